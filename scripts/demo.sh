#!/usr/bin/env bash
# Runs the canonical scenario of DESIGN.md on this machine (`cairn demo`), building Cairn
# first when the runnable layout is missing or older than any source. Works from any directory;
# arguments go to `cairn demo`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
launcher=$root/packaging/target/cairn/bin/cairn
# The assembly keeps the launcher's source timestamp, so "built at" needs its own marker.
stamp=$root/packaging/target/demo-build.stamp

needs_build() {
  [ -x "$launcher" ] && [ -e "$stamp" ] || return 0
  local newer
  newer=$(find "$root" \( -name .git -o -name target \) -prune -o -type f \
    \( -name pom.xml -o -path '*/src/*' \) -newer "$stamp" -print -quit)
  [ -n "$newer" ]
}

if needs_build; then
  echo "demo.sh: building Cairn (mvn package -DskipTests) ..." >&2
  (cd "$root" && mvn -B -q -Dstyle.color=never package -DskipTests)
  touch "$stamp"
fi
# The demo's own JVM hosts ZooKeeper and the simulated NVAs for under a minute: start-up is what
# counts, so it runs with the client JIT alone, as its nodes do (see io.cairn.node.demo.NodeProcess).
JAVA_OPTS="-XX:TieredStopAtLevel=1 ${JAVA_OPTS:-}" exec "$launcher" demo "$@"
