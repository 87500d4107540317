# Checker helper: list FunctionDecls declared in the six named headers (clang JSON AST),
# with parameter names/types and return type. Used only to validate the hand labels.
import json, sys
HDRS = {"/usr/include/openssl/bio.h":"bio.h","/usr/include/openssl/bn.h":"bn.h","/usr/include/openssl/pem.h":"pem.h",
        "/usr/include/x86_64-linux-gnu/sys/socket.h":"sys/socket.h","/usr/include/netdb.h":"netdb.h","/usr/include/arpa/inet.h":"arpa/inet.h"}
ast = json.load(open(sys.argv[1]))
cur = [None]
def fileof(loc):
    if not loc: return None
    if "expansionLoc" in loc: loc = loc["expansionLoc"]
    if "file" in loc: cur[0] = loc["file"]
    return cur[0]
out = {}
for n in ast["inner"]:
    # track file through both loc and range.begin
    f = None
    rng = n.get("range", {}).get("begin", {})
    fileof(rng)
    f = fileof(n.get("loc", {}))
    fileof(n.get("range", {}).get("end", {}))
    if n.get("kind") != "FunctionDecl" or n.get("isImplicit"): continue
    if f not in HDRS: continue
    params = [(p.get("name", ""), p["type"]["qualType"]) for p in n.get("inner", []) if p.get("kind") == "ParmVarDecl"]
    ft = n["type"]["qualType"]
    out.setdefault(n["name"], (HDRS[f], ft, params))
json.dump(out, open(sys.argv[2], "w"), indent=0)
print(len(out))
