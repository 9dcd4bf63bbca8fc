#!/usr/bin/env python3
"""Per-thread CPU seconds from `jfr print --events jdk.ThreadCPULoad X.jfr` output: the sum over
samples of (user + system) x the period (argument 2, default 0.1 s) x the number of CPUs, because
JFR gives a thread's load as a share of the whole machine (a busy thread reads 50 % on 2 CPUs)."""
import collections
import os
import re
import sys

period = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1
cpu = collections.Counter()
for event in open(sys.argv[1]).read().split("jdk.ThreadCPULoad")[1:]:
    user = re.search(r"user = ([\d.]+)%", event)
    system = re.search(r"system = ([\d.]+)%", event)
    thread = re.search(r'eventThread = "([^"]*)"', event)
    if user and system and thread:
        cpu[thread.group(1)] += (float(user.group(1)) + float(system.group(1))) / 100 * period * os.cpu_count()
for name, seconds in cpu.most_common(12):
    print(f"{seconds:7.2f} s  {name}")
