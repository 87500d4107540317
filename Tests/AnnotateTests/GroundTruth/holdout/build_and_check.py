# Assemble the hand labels into functions.tsv and check them against the headers' declarations.
import json, os, re, subprocess, collections
HD = os.path.dirname(os.path.abspath(__file__)) + "/"
rows = []
for f in ["rows_openssl.py", "rows_libc.py"]:
    g = {}; exec(open(HD + f).read(), g); rows += g["R"]
decls = json.load(open(HD + "decls.json"))
nognu = json.load(open(HD + "decls_nognu.json"))  # same headers without _GNU_SOURCE
HPATH = {"bio.h":"/usr/include/openssl/bio.h","bn.h":"/usr/include/openssl/bn.h","pem.h":"/usr/include/openssl/pem.h",
         "sys/socket.h":"/usr/include/x86_64-linux-gnu/sys/socket.h","netdb.h":"/usr/include/netdb.h","arpa/inet.h":"/usr/include/arpa/inet.h"}
errs, warns, info = [], [], []
seen = set()
only_macro = []
def split_ret(ft):
    # ft like "int (BIO *, void *, int)" or "int (*(const BIO_METHOD *))(BIO *, int)"
    if re.match(r'^[^(]*\(\*\(', ft): return "fnptr"
    ret = ft[:ft.index('(')].strip()
    return "ptr" if ret.endswith('*') else "val"
for lib, fn, b, ret, ev in rows:
    if fn in seen: errs.append("duplicate " + fn)
    seen.add(fn)
    if fn not in decls: errs.append("not declared: " + fn); continue
    hdr, ft, params = decls[fn]
    if not ev.startswith(hdr + ":"): errs.append("%s: evidence names %s but declared in %s" % (fn, ev.split(':')[0], hdr))
    txt = open(HPATH[hdr]).read()
    if not re.search(r'\b%s\b' % re.escape(fn), txt): only_macro.append(fn)
    names = [p[0] for p in params]
    rk = split_ret(ft)
    if rk == "ptr" and ret == "-": errs.append("%s: pointer result labelled '-'" % fn)
    if rk == "val" and ret != "-": errs.append("%s: non-pointer result labelled %s" % (fn, ret))
    if rk == "fnptr" and ret != "-": errs.append("%s: fn-pointer result labelled %s" % (fn, ret))
    if ret not in ("-", "static", "borrowed", "retained", "unretained", "unknown") and not ret.startswith("caller-frees:"):
        errs.append("%s: bad returns %s" % (fn, ret))
    if b == "-": continue
    for e in b.split(";"):
        parts = e.split(":")
        if len(parts) != 4: errs.append("%s: bad entry %s" % (fn, e)); continue
        pos, kind, count, esc = parts
        pos = int(pos)
        if pos >= len(params): errs.append("%s: POS %d out of range (%d params)" % (fn, pos, len(params))); continue
        pname, ptype = params[pos]
        if ptype in ("__SOCKADDR_ARG", "__CONST_SOCKADDR_ARG"):
            # _GNU_SOURCE transparent union; the default prototype is a struct sockaddr pointer
            if fn in nognu:
                ptype = nognu[fn][2][pos][1]; assert nognu[fn][2][pos][0] == pname
            else:  # GNU-only function: use the header's non-GNU #define (sys/socket.h)
                ptype = {"__SOCKADDR_ARG": "struct sockaddr *__restrict", "__CONST_SOCKADDR_ARG": "const struct sockaddr *"}[ptype]
            info.append("%s: %s is %s without _GNU_SOURCE" % (fn, pname, ptype))
        if not ('*' in ptype or '[' in ptype): errs.append("%s: POS %d (%s %s) is not a pointer" % (fn, pos, ptype, pname))
        if kind not in ("counted_by", "sized_by"): errs.append("%s: bad kind %s" % (fn, kind))
        if esc not in ("noescape", "escapes", "unknown"): errs.append("%s: bad escape %s" % (fn, esc))
        base = re.sub(r'\[.*\]', '', ptype).replace('__restrict', '').replace('restrict','').strip()
        if kind == "sized_by" and not re.match(r'^(const )?void \*', base):
            warns.append("%s: sized_by on %s (%s)" % (fn, ptype, pname))
        if kind == "counted_by" and re.match(r'^(const )?void \*', base):
            errs.append("%s: counted_by on void* %s" % (fn, pname))
        for ident in re.findall(r'[A-Za-z_][A-Za-z0-9_]*', count):
            if ident not in names: errs.append("%s: COUNT name %s is not a parameter %s" % (fn, ident, names))
            elif count.startswith('*'):
                t = params[names.index(ident)][1]
                if '*' not in t: errs.append("%s: *%s but %s is not a pointer" % (fn, ident, ident))
        if ident_is_self := (count.lstrip('*') == pname): errs.append("%s: counts itself" % fn)
# declared but unlabelled
unl = sorted(set(decls) - seen)
with open(HD + "functions.tsv", "w") as o:
    o.write("library\tfunction\tbounds\treturns\tevidence\n")
    for row in rows:
        assert all('\t' not in c and '\n' not in c for c in row)
        o.write("\t".join(row) + "\n")
print("rows", len(rows)); print("ERRORS", len(errs)); [print("  E", e) for e in errs]
print("WARN sized_by on non-void*", len(warns)); [print("  W", w) for w in warns]
print("INFO transparent-union params checked against the non-GNU prototype:", len(info))
print("declared but not labelled:", unl)
print("names found only through macro expansion (not by grep -w):", len(only_macro))
