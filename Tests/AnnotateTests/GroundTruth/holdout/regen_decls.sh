#!/bin/sh
# Regenerates decls.json / decls_nognu.json (declarations of the six headers, for the checker only).
set -e; D=$(cd "$(dirname "$0")" && pwd); T=$(mktemp -d -p $D)
printf '#define _GNU_SOURCE\n#include <openssl/bio.h>\n#include <openssl/bn.h>\n#include <openssl/pem.h>\n#include <sys/socket.h>\n#include <netdb.h>\n#include <arpa/inet.h>\n' > $T/a.c
printf '#include <sys/socket.h>\n#include <netdb.h>\n#include <arpa/inet.h>\n' > $T/b.c
clang -fsyntax-only -Xclang -ast-dump=json $T/a.c > $T/a.json
clang -fsyntax-only -Xclang -ast-dump=json $T/b.c > $T/b.json
python3 $D/extract_decls.py $T/a.json $D/decls.json
python3 $D/extract_decls.py $T/b.json $D/decls_nognu.json
rm -rf $T
