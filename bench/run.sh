#!/usr/bin/env bash
# One command for the loopback load test: Cairn, BIRD 2, FRR, OpenBGPD and GoBGP one after another.
#   bench/run.sh            full workloads, median of 3 runs (tens of minutes)
#   bench/run.sh --quick    small workloads, 1 run each (about a minute)
# Every other argument goes to io.cairn.bench.LoadTest (see bench/README.md), e.g.
#   bench/run.sh --routers cairn,bird --workloads 1 --runs 3
# Builds first (mvn -B -q package -DskipTests) unless BENCH_NO_BUILD=1. Must run as root (FRR's
# bgpd and OpenBGPD are started without privilege separation). Loopback only: 127.0.0.0/8.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  mvn -B -q package -DskipTests
fi
exec java -Xmx2g -cp bench/target/benchmarks.jar io.cairn.bench.LoadTest "$@"
