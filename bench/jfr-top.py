#!/usr/bin/env python3
"""Top frames of `jfr print --events jdk.ExecutionSample` output: the leaf frame of each sample,
and the first io.cairn frame of each sample (where in Cairn the time goes)."""
import collections
import re
import sys

text = open(sys.argv[1]).read()
leaf, cairn, n = collections.Counter(), collections.Counter(), 0
for event in text.split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w$.<>/]+\(.*?\))\s+line:", event, re.M)
    if not frames:
        continue
    n += 1
    leaf[frames[0]] += 1
    first = next((f for f in frames if f.startswith("io.cairn")), None)
    if first:
        cairn[first] += 1
print(f"{n} samples\n\ntop leaf frames:")
for f, c in leaf.most_common(15):
    print(f"  {100.0 * c / n:5.1f}%  {f}")
print("\ntop first io.cairn frames:")
for f, c in cairn.most_common(15):
    print(f"  {100.0 * c / n:5.1f}%  {f}")
