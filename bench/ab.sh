#!/usr/bin/env bash
# Interleaved A/B(/C...) of the load test across builds, for a machine shared with other work: each
# round runs every build once (2 runs per workload), so load that comes and goes hits all of them.
#   bench/ab.sh OUT ROUNDS WORKLOADS NAME=WORKTREE[,LOAD-TEST ARGS]...
#   e.g. bench/ab.sh /tmp/ab.txt 6 1,2 before=/work/wt-base after=/work/wt-new
#        bench/ab.sh /tmp/ab.txt 6 1 cold=/work/main warmed=/work/main,--cairn-warm-up
# Each worktree must be built already (its bench/target/benchmarks.jar and packaging/target/cairn).
# More load-test options for every run go in AB_ARGS, e.g. AB_ARGS="--warm 2" to compare warm JVMs.
# One line per successful run in OUT: name workload seconds cpu-seconds-during-run load-average-1min
# seconds-from-the-router's-start (failed runs are left out). Summary: python3 bench/ab-summary.py OUT
set -u
out=$1; rounds=$2; workloads=$3; shift 3
for round in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    name=${spec%%=*}; dir=${spec#*=}; args=
    if [[ $dir == *,* ]]; then args=${dir#*,}; dir=${dir%%,*}; fi
    load=$(cut -d' ' -f1 /proc/loadavg)
    (cd "$dir" && BENCH_NO_BUILD=1 bench/run.sh --routers cairn --workloads "$workloads" --runs 2 ${AB_ARGS:-} $args 2>&1) \
      | grep -aE ' run [0-9]+( warm [0-9]+)?: [0-9.]+ s' \
      | sed -E "s/^ *cairn +(w[0-9]).* run [0-9]+( warm [0-9]+)?: ([0-9.]+) s.*\(([0-9.]+) s during run\)(.*, ([0-9.]+) s from the router's start)?.*/$name \1 \3 \4 $load \6/" >> "$out"
  done
done
