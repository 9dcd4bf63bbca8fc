#!/usr/bin/env bash
# Install test of the Debian package: lintian has no errors, the package installs, the unit
# verifies, the installed `cairn` runs, a reinstall is idempotent, remove keeps the
# configuration and the journal, purge leaves nothing behind.
#
# Usage: install-test.sh DIR     (DIR holds cairn_VERSION_all.deb; Maven passes target/)
#
# Where it installs: into this machine, but inside a private mount namespace in which /usr,
# /etc and /var are overlays whose upper layers live in a temporary directory. dpkg, adduser
# and deb-systemd-helper see a normal system and write only to the upper layers; when the
# namespace ends, the host is untouched. That is why this and not the alternatives:
# `dpkg --root` runs maintainer scripts chrooted into a tree that would need a whole system
# (adduser, Java, systemd's units for `systemd-analyze verify`); debootstrap needs a mirror
# and minutes. /run is a fresh tmpfs inside, so even on a host booted with systemd the
# maintainer scripts see no running systemd and start nothing (and policy-rc.d says no).
#
# Prints one line per check and "deb-install-test: N passed, N failed" at the end.
set -euo pipefail

if [ "${1:-}" = --inside ]; then
  inside=1
  deb=$2
else
  inside=0
  dir=${1:?usage: install-test.sh DIR}
fi

# shellcheck source=scripts/test-checks.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../../../scripts/test-checks.sh"
checks_init deb-install-test "${3:-}"

if [ "$inside" = 0 ]; then
  [ "$(id -u)" -eq 0 ] || skip "needs root (dpkg, mount namespaces); run ./scripts/test.sh as root"
  for tool in dpkg unshare systemd-analyze lintian; do
    command -v "$tool" >/dev/null || skip "$tool is missing (apt-get install lintian systemd util-linux)"
  done
  deb=$(ls -t "$dir"/cairn_*_all.deb 2>/dev/null | head -n 1)
  [ -n "$deb" ] || { echo "deb-install-test: no cairn_*_all.deb in $dir (run mvn package)" >&2; exit 1; }
  deb=$(readlink -f "$deb")

  work=$(mktemp -d /tmp/cairn-deb-test.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  # The overlays exist inside the new namespace only; the script re-enters itself there.
  exec 3>&1
  status=0
  in_overlay_system "$work" bash "$(readlink -f "${BASH_SOURCE[0]}")" --inside "$deb" "$work" ||
    status=$?
  exit "$status"
fi

# ---- inside the namespace ----
work=$3
# The summary also comes when a step outside check() stops the script (set -e).
trap 'checks_summary $? || exit 1' EXIT

owner_mode() { [ "$(stat -c '%U:%G %a' "$1")" = "$2" ]; }
no_output() { local out; out=$("$@" 2>&1) && [ -z "$out" ] || { echo "$out" >&2; return 1; }; }
absent() { local p; for p in "$@"; do [ ! -e "$p" ] && [ ! -L "$p" ] || { echo "still there: $p" >&2; return 1; }; done; }
# Every path the package or its scripts touched in the overlays, other than the user's
# entries in passwd/group (kept on purpose) and dpkg's own logs and database.
leftovers() {
  (cd "$work" && find usr/upper etc/upper var/upper -name '*cairn*' \
    -not -path 'var/upper/lib/dpkg/*' -not -path 'var/upper/log/*')
}
no_leftovers() { local left; left=$(leftovers); [ -z "$left" ] || { echo "$left" >&2; return 1; }; }

lintian_errors() {
  # --fail-on error: warnings are reported (below) but only errors fail.
  local out
  out=$(lintian --fail-on error --tag-display-limit 0 "$deb" 2>&1) || { echo "$out" >&2; return 1; }
  # Warnings go to the console; the report lists them.
  [ -z "$out" ] || grep -v 'root privileges' <<<"$out" | sed 's/^/        lintian: /' >&3 || true
}

printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d

check "lintian reports no errors" lintian_errors
install_log=$work/dpkg.log
if ! dpkg -i "$deb" >"$install_log" 2>&1; then
  # A missing Java runtime: let apt bring it (inside the overlay only).
  DEBIAN_FRONTEND=noninteractive apt-get install -f -y --no-install-recommends >>"$install_log" 2>&1 || true
fi
check "dpkg -i installs cairn" dpkg-query -W -f='${Status}' cairn
grep -q 'install ok installed' <(dpkg-query -W -f='${Status}' cairn) || { cat "$install_log" >&2; exit 1; }
check "postinst created the system user cairn" getent passwd cairn
check "journal dir /var/lib/cairn/journal is cairn's, 0750" owner_mode /var/lib/cairn/journal "cairn:cairn 750"
check "config /etc/cairn/cairn.yaml is root:cairn 0640" owner_mode /etc/cairn/cairn.yaml "root:cairn 640"
conffiles() { [ "$(sort /var/lib/dpkg/info/cairn.conffiles)" = "$(printf '%s\n' "$@")" ]; }
check "the conffiles are /etc/cairn/cairn.yaml and /etc/default/cairn" \
  conffiles /etc/cairn/cairn.yaml /etc/default/cairn
check "cairn.service is enabled for multi-user.target" \
  test -L /etc/systemd/system/multi-user.target.wants/cairn.service
check "systemd-analyze verify cairn.service is silent" no_output systemd-analyze verify /lib/systemd/system/cairn.service
check "cairn --version prints the version" grep -q '^cairn ' <(/usr/bin/cairn --version)
check "the cairn user can check the default config" \
  runuser -u cairn -- /usr/bin/cairn check-config /etc/cairn/cairn.yaml
check "reinstall (upgrade path) succeeds" dpkg -i "$deb"
check "reinstall kept one cairn user" test "$(getent passwd cairn | wc -l)" -eq 1

echo "# a local change to the configuration" >> /etc/cairn/cairn.yaml
echo cairn-test > /var/lib/cairn/journal/marker
check "dpkg --remove succeeds" dpkg --remove cairn
check "remove deletes the program" absent /usr/share/cairn /usr/bin/cairn /lib/systemd/system/cairn.service
check "remove keeps the configuration and the journal" \
  test -f /etc/cairn/cairn.yaml -a -f /var/lib/cairn/journal/marker
check "dpkg --purge succeeds" dpkg --purge cairn
check "purge deletes configuration, journal, unit links" \
  absent /etc/cairn /etc/default/cairn /var/lib/cairn /etc/systemd/system/multi-user.target.wants/cairn.service
check "purge drops the statoverride" test -z "$(dpkg-statoverride --list /etc/cairn/cairn.yaml)"
check "purge keeps the cairn system user (Debian practice)" getent passwd cairn
check "nothing named cairn is left under /usr, /etc, /var" no_leftovers
