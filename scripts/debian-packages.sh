# shellcheck shell=bash
# The Debian packages the tests need, in one place: the BGP speakers Cairn is tested against
# (BIRD, FRR, GoBGP, ExaBGP), tshark to decode captured sessions, the OVN northbound database
# (ovn-central: ovsdb-server, ovn-nbctl, the schema) with openssl for its TLS test, iproute2 and
# procps for namespaces, routes and processes; lintian for the .deb, ansible, ansible-lint,
# openssh-server and zookeeperd for the playbooks' deploy test. Sourced by scripts/test.sh
# and .ci/run.

CAIRN_TEST_PACKAGES=(bird2 frr gobgpd exabgp tshark iproute2 procps ovn-central openssl
  lintian ansible ansible-lint openssh-server zookeeperd)

# Prints, one per line, the packages of CAIRN_TEST_PACKAGES that are not installed.
cairn_missing_packages() {
  local pkg
  for pkg in "${CAIRN_TEST_PACKAGES[@]}"; do
    # sed reads all of dpkg's output, so pipefail cannot trip on a SIGPIPE.
    if [ "$(dpkg -s "$pkg" 2>/dev/null | sed -n 's/^Status: //p')" != "install ok installed" ]; then
      echo "$pkg"
    fi
  done
}

# Installs the given packages (as root) without starting their services: the tests start
# their own daemons on high ports, and a system bgpd on port 179 would only get in the way.
# policy-rc.d is Debian's switch for "do not start services from maintainer scripts".
cairn_install_packages() {
  (
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod 755 /usr/sbin/policy-rc.d
    fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
  )
}
