#!/usr/bin/env bash
# Runs every test: unit tests, the fuzz tests (30 s each by default) and the interop tests
# against real BIRD, FRR, GoBGP and ExaBGP. Installs those from Debian first when they are
# missing and we are root; otherwise warns that the interop tests needing them are skipped.
# Extra arguments go to Maven, e.g.  ./scripts/test.sh -pl node -am -Dtest='ConfigLoaderTest'
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/debian-packages.sh
. "$root/scripts/debian-packages.sh"

mapfile -t missing < <(cairn_missing_packages)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing ${missing[*]}" >&2
    cairn_install_packages "${missing[@]}"
  else
    cat >&2 <<WARNING
************************************************************************************
WARNING: missing Debian packages: ${missing[*]}
The interop tests that need them will be SKIPPED. To run them, install them with
    sudo apt-get install -y --no-install-recommends ${missing[*]}
or run this script as root.
************************************************************************************
WARNING
  fi
fi

cd "$root"
exec mvn -B verify "$@"
