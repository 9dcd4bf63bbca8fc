#!/usr/bin/env python3
"""Medians per build and workload of bench/ab.sh output files (convergence, CPU during the run and,
where recorded, the time from the router's start to convergence)."""
import collections
import statistics
import sys

runs, loads = collections.defaultdict(list), []
for path in sys.argv[1:]:
    for line in open(path):
        fields = line.split()
        if len(fields) in (5, 6):
            runs[(fields[0], fields[1])].append((float(fields[2]), float(fields[3]),
                                                 float(fields[5]) if len(fields) == 6 else None))
            loads.append(float(fields[4]))
print(f"load average (1 min) before each invocation: median {statistics.median(loads):.1f}, "
      f"min {min(loads):.1f}, max {max(loads):.1f}")
for workload in sorted({w for _, w in runs}):
    for name in dict.fromkeys(n for n, _ in runs):
        r = runs.get((name, workload))
        if r:
            print(f"{workload} {name}: convergence median {statistics.median(x[0] for x in r):.3f} s, "
                  f"CPU during run median {statistics.median(x[1] for x in r):.2f} s, n={len(r)}"
                  + (f", from the router's start median {statistics.median(x[2] for x in r):.3f} s"
                     if all(x[2] is not None for x in r) else ""))
