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
exec "$launcher" demo "$@"
