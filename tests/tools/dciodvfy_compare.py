#!/usr/bin/env python3
"""Compare dciodvfy errors of de-identified outputs with their inputs.

Usage: dciodvfy_compare.py KEYFILE INPUT_DIR OUTPUT_DIR
Maps each input to its output through the keyed UID (radveil's pseudonym of the SOP Instance UID),
runs dciodvfy on both and prints every error the output has that the input did not. Exit 1 if any.
Error lines are compared without values, so a changed value with the same problem is not new.
"""
import hashlib, hmac, os, re, subprocess, sys

key = bytes.fromhex(open(sys.argv[1]).read().strip())
inp, out = sys.argv[2], sys.argv[3]

def keyed_uid(uid):
    m = bytearray(hmac.new(key, b"uid\0" + uid.encode(), hashlib.sha256).digest())
    m[6] = (m[6] & 0x0F) | 0x80
    m[8] = (m[8] & 0x3F) | 0x80
    return "2.25." + str(int.from_bytes(m[:16], "big"))

def sop_uid(path):
    r = subprocess.run(["dcmdump", "+P", "0008,0018", "-q", path], capture_output=True, text=True)
    m = re.search(r"\[([0-9.]+)\]", r.stdout)
    return m.group(1) if m else None

def errors(path):
    r = subprocess.run(["dciodvfy", "-new", path], capture_output=True, text=True, errors="replace")
    lines = set()
    for line in (r.stdout + r.stderr).splitlines():
        if line.startswith("Error"):
            # Values change by design (UIDs, dummies): compare the message without them.
            line = re.sub(r"\b\d+(\.\d+){3,}\b", "UID", line)
            line = re.sub(r"=\s*<[^>]*>", "= <value>", line)
            lines.add(line)
    return lines

outputs = {}
for root, _, files in os.walk(out):
    for f in files:
        if f.endswith(".dcm"):
            outputs[f[:-4]] = os.path.join(root, f)
new_total, compared = 0, 0
for root, _, files in os.walk(inp):
    for f in sorted(files):
        src = os.path.join(root, f)
        uid = sop_uid(src)
        if not uid or keyed_uid(uid) not in outputs:
            continue
        compared += 1
        new = errors(outputs[keyed_uid(uid)]) - errors(src)
        for e in sorted(new):
            print(f"{os.path.relpath(src, inp)}: {e}")
        new_total += len(new)
print(f"compared {compared} files, {new_total} new errors")
sys.exit(1 if new_total else 0)
