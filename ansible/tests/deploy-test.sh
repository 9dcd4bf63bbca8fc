#!/usr/bin/env bash
# Deploy test of the Ansible playbooks: site.yml deploys a Cairn node pair onto two hosts
# that behave like VMs as far as this machine allows, both nodes peer with a BIRD NVA in a
# third network namespace, and BIRD learns the VNet prefix from both. A second run changes
# nothing, check mode with --diff on the deployed pair reports nothing to change, and an
# inventory Cairn rejects never reaches the live configuration.
#
# A witness host joins the two to form a three-server ZooKeeper ensemble (role zookeeper),
# and the two nodes form a Cairn cluster with it (the cluster section comes from the role's
# defaults: the zookeeper group): both see each other, one leads, each has replicated the
# other's journal, and the leader programs BIRD's route into the SDN. The SDN is the file
# driver's JSON document in a directory both hosts share (outside their overlays), as the two
# nodes of a real pair share one OVN database: whoever leads writes it, fenced by its epoch.
#
# upgrade.yml then upgrades the pair to a newer package, one node at a time, while BIRD's
# sessions and the SDN are sampled every 0.2 s: BIRD has a session with at least one node in
# every sample, and the SDN holds exactly BIRD's route in every sample.
#
# Usage: deploy-test.sh PACKAGE_DIR     (holds cairn_VERSION_all.deb; Maven passes target/)
#
# The hosts: systemd cannot run as PID 1 here (and there is no container engine), so each
# host is a network namespace (its own address on a bridge) plus a mount namespace in which
# /usr, /etc and /var are overlays of this machine's and /run is private, with its own sshd.
# Ansible reaches them over SSH like any VM; dpkg, adduser and the node's files stay inside
# the host's overlay. The role runs with cairn_service_manager=direct (start-stop-daemon);
# the systemd unit itself is verified by packaging's install test.
#
# Prints one line per check and "deploy-test: N passed, N failed" at the end.
set -euo pipefail

# shellcheck source=scripts/test-checks.sh
checks_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts" && pwd)/test-checks.sh
. "$checks_lib"
checks_init deploy-test /tmp

pkgdir=${1:?usage: deploy-test.sh PACKAGE_DIR}
[ "$(id -u)" -eq 0 ] || skip "needs root (namespaces, bridge); run ./scripts/test.sh as root"
for tool in ansible-playbook ip unshare /usr/sbin/sshd ssh-keygen bird birdc start-stop-daemon setpriv; do
  command -v "$tool" >/dev/null ||
    skip "$tool is missing (apt-get install ansible openssh-server bird2 iproute2)"
done
[ "$(dpkg-query -W -f='${Status}' zookeeperd 2>/dev/null)" = "install ok installed" ] ||
  skip "zookeeperd is missing (apt-get install zookeeperd): the hosts install it from this machine"
deb=$(ls -t "$pkgdir"/cairn_*_all.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "deploy-test: no cairn_*_all.deb in $pkgdir (run mvn package)" >&2; exit 1; }
deb=$(readlink -f "$deb")
ansible_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Names unique to this test (prefix pkg), addresses on a bridge that exists only here.
bridge=pkgbr0
net=10.99.79
hosts=(a b)           # the Cairn nodes
ssh_hosts=(a b w)     # every host Ansible logs into; w is the ZooKeeper witness
declare -A addr=([a]=$net.11 [b]=$net.12 [w]=$net.13 [nva]=$net.21)
namespaces=(pkg-a pkg-b pkg-w pkg-nva)
work=$(mktemp -d /tmp/cairn-deploy-test.XXXXXX)
chmod 700 "$work"
# The SDN both nodes program: outside /usr, /etc and /var, so both hosts see the same
# directory; the role hands it to the cairn user (the same uid on both hosts, checked below).
sdn_dir=$(mktemp -d /tmp/cairn-deploy-test-sdn.XXXXXX)
sdn_file=$sdn_dir/effective-routes.json

checks_init deploy-test "$work"

# Stops what this test started, by the PIDs in its own namespaces, then removes them.
cleanup() {
  local status=$? ns pid
  for ns in "${namespaces[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  done
  for ns in "${namespaces[@]}"; do
    for _ in $(seq 50); do [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break; sleep 0.1; done
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  ip link del "$bridge" 2>/dev/null || true
  rm -rf "$sdn_dir"
  if [ "$status" -ne 0 ] || [ "$checks_failed" -ne 0 ] || [ -n "${CAIRN_KEEP_LOGS:-}" ]; then
    echo "deploy-test: logs kept in $work" >&2
  else
    rm -rf "$work"
  fi
  checks_summary "$status" || exit 1
}
trap cleanup EXIT

# ---- network: one bridge, one namespace per host, the controller on the bridge ----
ip link add "$bridge" type bridge
ip addr add "$net.1/24" dev "$bridge"
ip link set "$bridge" up
for name in a b w nva; do
  ns=pkg-$name
  ip netns add "$ns"
  ip link add "pkg-$name-br" type veth peer name eth0 netns "$ns"
  ip link set "pkg-$name-br" master "$bridge" up
  ip -n "$ns" addr add "${addr[$name]}/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
done

# ---- the two hosts: overlays, private /run, sshd ----
ssh-keygen -q -t ed25519 -N '' -f "$work/id"
cp "$work/id.pub" "$work/authorized_keys"
for name in "${ssh_hosts[@]}"; do
  root=$work/host-$name
  mkdir -p "$root"
  ssh-keygen -q -t ed25519 -N '' -f "$root/ssh_host_key"
  cat > "$root/sshd_config" <<EOF
ListenAddress ${addr[$name]}:22
HostKey $root/ssh_host_key
PidFile $root/sshd.pid
AuthorizedKeysFile $work/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
EOF
  # Network namespace first: ip netns exec finds it under /run, which the overlay hides.
  ip netns exec "pkg-$name" bash -c '. "$1"; shift; in_overlay_system "$@"' bash "$checks_lib" \
    "$root" bash -c '
      mkdir -p /run/sshd
      echo "pkg-host-$2" > /etc/hostname
      exec /usr/sbin/sshd -D -e -f "$1/sshd_config"' bash "$root" "$name" \
    >"$root/sshd.log" 2>&1 &
done
reachable() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/22" 2>/dev/null; }
for name in "${ssh_hosts[@]}"; do
  check "sshd of host $name listens on ${addr[$name]}:22" await 20 reachable "${addr[$name]}"
done

# ---- the NVA: BIRD peering with both nodes, learning the VNet prefix ----
cat > "$work/bird.conf" <<EOF
router id ${addr[nva]};
log "$work/bird.log" all;
protocol device {}
protocol static { ipv4; route 10.250.0.0/16 blackhole; }
template bgp cairn_node {
  local ${addr[nva]} as 65001;
  ipv4 { import all; export all; };
  hold time 30;
  connect retry time 2;
}
protocol bgp node_a from cairn_node { neighbor ${addr[a]} as 65515; }
protocol bgp node_b from cairn_node { neighbor ${addr[b]} as 65515; }
EOF
ip netns exec pkg-nva bird -f -c "$work/bird.conf" -s "$work/bird.ctl" >"$work/bird.out" 2>&1 &

# ---- the inventory: the example's shape, pointed at the test hosts ----
cat > "$work/hosts.yml" <<EOF
all:
  vars:
    ansible_user: root
    ansible_become: false
    ansible_python_interpreter: /usr/bin/python3
    ansible_remote_tmp: /var/tmp/ansible
    ansible_ssh_private_key_file: $work/id
    ansible_ssh_common_args: >-
      -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
      -o ControlPath=$work/ssh-%C
  children:
    cairn:
      hosts:
        node-a: {ansible_host: ${addr[a]}, cairn_node_id: a}
        node-b: {ansible_host: ${addr[b]}, cairn_node_id: b}
      vars:
        cairn_package: $deb
        cairn_service_manager: direct
        cairn_vnet_prefixes: [10.1.0.0/16]
        cairn_peers:
          - {name: sdwan, address: ${addr[nva]}, asn: 65001, hold_time: 30}
        # cairn_zookeeper stays the role's default: the hosts of group zookeeper.
        cairn_cluster_name: deploy-test
        cairn_sdn_driver: file
        cairn_sdn_file_path: $sdn_file
    zookeeper:
      hosts:
        node-a: {zookeeper_id: 1}
        node-b: {zookeeper_id: 2}
        witness: {ansible_host: ${addr[w]}, zookeeper_id: 3}
      vars:
        zookeeper_service_manager: direct
        # The hosts have no route to a Debian mirror; zookeeperd comes from this machine.
        zookeeper_apt_cache_valid_time: 315360000
EOF

# Pipelining: one SSH round trip per task instead of three (the hosts log in as root).
export ANSIBLE_CONFIG=$ansible_dir/ansible.cfg ANSIBLE_LOCAL_TEMP=$work/ansible-local \
  ANSIBLE_NOCOLOR=1 ANSIBLE_PIPELINING=true ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks
playbook() {
  local log=$1
  shift
  timeout 600 ansible-playbook -i "$work/hosts.yml" "$@" >"$work/$log" 2>&1
}
# "changed=N" of every host in the play recap of a log.
recap_changed() { sed -n 's/^\(node-[ab]\|witness\) *: .*changed=\([0-9]*\).*/\1 \2/p' "$work/$1"; }
# no_changes LOG [HOSTS]: the recap lists HOSTS hosts (3), each with changed=0.
no_changes() { local out; out=$(recap_changed "$1"); [ "$(wc -l <<<"$out")" -eq "${2:-3}" ] && ! grep -v ' 0$' <<<"$out"; }
fails() { ! "$@"; }
run_ok() { playbook "$@" || { tail -40 "$work/$1"; return 1; }; }

birdc_() { birdc -s "$work/bird.ctl" "$@"; }
established() { birdc_ show protocols "$1" | grep -q Established; }
learned_from_both() {
  local routes
  routes=$(birdc_ show route 10.1.0.0/16)
  grep -q node_a <<<"$routes" && grep -q node_b <<<"$routes"
}
java_bin=$(readlink -f "$(command -v java)")
# The node's JVM (the host also runs ZooKeeper's).
node_pid() {
  local pid
  for pid in $(ip netns pids "pkg-$1"); do
    [ "$(readlink "/proc/$pid/exe")" = "$java_bin" ] &&
      grep -qa io.cairn.node.Main "/proc/$pid/cmdline" && echo "$pid"
  done
  return 0
}
# What cairn.service promises, kept by the direct fallback too: not root, and no capability
# but CAP_NET_BIND_SERVICE (bit 10), neither effective nor in the bounding set.
runs_as_cairn_with_bind_cap_only() {
  local pid status
  pid=$(node_pid "$1")
  [ -n "$pid" ] || { echo "no java process in pkg-$1"; return 1; }
  status=/proc/$pid/status
  grep -E '^(Uid|CapEff|CapBnd)' "$status"
  [ "$(awk '/^Uid:/ {print $2}' "$status")" -ne 0 ] &&
    grep -q '^CapEff:[[:space:]]*0000000000000400$' "$status" &&
    grep -q '^CapBnd:[[:space:]]*0000000000000400$' "$status"
}
config_of() { cat "$work/host-$1/etc/upper/cairn/cairn.yaml"; }
on_host() {
  local name=$1
  shift
  ssh -i "$work/id" -o BatchMode=yes -o LogLevel=ERROR -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null "root@${addr[$name]}" "$@"
}
# The cluster as both nodes see it (the installed `cairn cluster --json` on each host): each
# lists a and b and has replicated the other's journal to its end (replication_lag 0);
# exactly one leads, with an epoch above 0, and both name it as the leader and report the same
# (the cluster's) epoch. Writes "LEADER EPOCH" to $work/leader.
cluster_formed() {
  local name
  for name in "${hosts[@]}"; do
    on_host "$name" cairn cluster --json >"$work/cluster-$name.json" || return 1
  done
  python3 - "$work"/cluster-[ab].json >"$work/leader" <<'PY'
import json, sys
views = [json.load(open(path)) for path in sys.argv[1:]]
for view in views:
    me = view["self"]
    assert view["mode"] == "cluster", f"node {me} runs {view['mode']}"
    members = sorted(m["id"] for m in view["members"])
    assert members == ["a", "b"], f"node {me} sees members {members}"
    lag = {m["id"]: m["replication_lag"] for m in view["members"] if not m["self"]}
    assert all(v == 0 for v in lag.values()), f"node {me}: replication lag {lag}"
leaders = [v for v in views if v["leader"]]
assert len(leaders) == 1, f"{len(leaders)} nodes lead: {views}"
assert leaders[0]["epoch"] > 0, f"leader {leaders[0]['self']} has epoch {leaders[0]['epoch']}"
assert all(v["epoch"] == leaders[0]["epoch"] for v in views), f"the nodes report different epochs: {views}"
named = [sorted(m["id"] for m in v["members"] if m["leader"]) for v in views]
assert all(n == [leaders[0]["self"]] for n in named), f"the nodes name different leaders {named}: {views}"
print(leaders[0]["self"], leaders[0]["epoch"])
PY
}
leader() { cut -d' ' -f1 "$work/leader"; }
leader_epoch() { cut -d' ' -f2 "$work/leader"; }
# What the SDN must hold: BIRD's 10.250.0.0/16 with BIRD as next hop, nothing else (the VNet
# prefix is Cairn's own).
expected_routes='{"10.250.0.0/16": ["'${addr[nva]}'"]}'
# sdn_holds EPOCH FILE...: every line of the files (the SDN document, whitespace removed) holds
# exactly the expected routes, and epochs never go down; the last one is EPOCH.
sdn_holds() {
  python3 - "$expected_routes" "$@" <<'PY'
import json, sys
expected, want_epoch, files = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
epoch, samples = 0, 0
for path in files:
    for number, line in enumerate(open(path), 1):
        assert line.strip() != "missing", f"{path}:{number}: no SDN document"
        document = json.loads(line)
        assert document["routes"] == expected, f"{path}:{number}: routes {document['routes']}"
        assert document["epoch"] >= epoch, f"{path}:{number}: epoch {document['epoch']} after {epoch}"
        epoch, samples = document["epoch"], samples + 1
assert samples > 0, "no samples"
assert epoch == want_epoch, f"the SDN was last written with epoch {epoch}, the leader has {want_epoch}"
print(f"{samples} samples, all {expected}, last epoch {epoch}")
PY
}
sdn_sample() { if [ -e "$sdn_file" ]; then tr -d ' \n\t' <"$sdn_file"; echo; else echo missing; fi; }
sdn_programmed() { sdn_sample >"$work/sdn-now.txt"; sdn_holds "$(leader_epoch)" "$work/sdn-now.txt"; }
cairn_uid() { sed -n 's/^cairn:[^:]*:\([0-9]*\):.*/\1/p' "$work/host-$1/etc/upper/passwd"; }

if command -v ansible-lint >/dev/null; then
  check "ansible-lint passes with the production profile" \
    bash -c 'cd "$1" && ansible-lint --offline --profile production' _ "$ansible_dir"
else
  echo "deploy-test: WARNING: ansible-lint is missing (apt-get install ansible-lint): lint SKIPPED" >&2
fi
check "site.yml and upgrade.yml pass --syntax-check" \
  run_ok syntax.log --syntax-check "$ansible_dir/site.yml" "$ansible_dir/upgrade.yml"
check "check mode with --diff on a fresh host succeeds" \
  run_ok check-fresh.log --check --diff --limit node-b "$ansible_dir/site.yml"
check "check mode wrote nothing on the host" test ! -e "$work/host-b/etc/upper/cairn"
check "check mode showed the configuration it would write" grep -q '^+  id: "b"' "$work/check-fresh.log"

check "site.yml deploys both nodes" run_ok site-1.log "$ansible_dir/site.yml"
zk_connect="${addr[a]}:2181,${addr[b]}:2181,${addr[w]}:2181"
for name in "${hosts[@]}"; do
  check "node $name: rendered config names node $name" grep -q "id: \"$name\"" <(config_of "$name")
  check "node $name: rendered cluster section joins the ensemble the playbook installed" \
    grep -qx "  zookeeper: \"$zk_connect\"" <(config_of "$name")
  check "node $name: runs as a non-root user holding only CAP_NET_BIND_SERVICE" \
    runs_as_cairn_with_bind_cap_only "$name"
  check "BIRD NVA: session with node $name is Established" await 60 established "node_$name"
done
check "BIRD NVA learned the VNet 10.1.0.0/16 from both nodes" await 30 learned_from_both
# ZooKeeper's "srvr" four-letter word answers "Mode: leader" or "Mode: follower" once the
# server is in a quorum.
zk_mode() {
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/2181"; printf srvr >&3; cat <&3' _ "$1" 2>/dev/null |
    sed -n 's/^Mode: //p'
}
zk_modes() { local name; for name in "${ssh_hosts[@]}"; do zk_mode "${addr[$name]}"; done | sort | tr '\n' ' '; }
ensemble_formed() { [ "$(zk_modes)" = "follower follower leader " ]; }
check "ZooKeeper on a, b and the witness formed one ensemble (a leader, two followers)" \
  await 60 ensemble_formed
check "cairn user has the same uid on both hosts (they share the SDN directory)" \
  test "$(cairn_uid a)" = "$(cairn_uid b)"
check "cairn cluster on both nodes: members a and b, one leader with an epoch, replication lag 0" \
  await 90 cluster_formed
echo "deploy-test: node $(leader) leads with epoch $(leader_epoch)"
check "the leader programmed BIRD's 10.250.0.0/16 into the SDN with its epoch" await 30 sdn_programmed

check "second run of site.yml succeeds" run_ok site-2.log "$ansible_dir/site.yml"
check "second run reports changed=0 on all three hosts" no_changes site-2.log
check "check mode with --diff on the deployed pair succeeds" \
  run_ok check-deployed.log --check --diff "$ansible_dir/site.yml"
check "check mode on the deployed pair reports changed=0 on all three hosts" no_changes check-deployed.log
check "check mode on the deployed pair shows no diff" fails grep '^[-+][^-+]' "$work/check-deployed.log"
check "upgrade.yml in check mode with the installed package succeeds" \
  run_ok check-upgrade.log --check --diff "$ansible_dir/upgrade.yml"
check "upgrade.yml in check mode reports changed=0 on both nodes" no_changes check-upgrade.log 2

# An inventory mistake: a key Cairn does not know. The template's validate step must refuse
# it, naming the key, and leave the running node and its configuration as they were.
before=$(config_of a)
pid_before=$(node_pid a)
bad_peers='{"cairn_peers": [{"name": "sdwan", "address": "'${addr[nva]}'", "asn": 65001, "flavour": 1}]}'
check "a peer with an unknown key fails the play" \
  fails playbook site-bad.log "$ansible_dir/site.yml" --limit node-a -e "$bad_peers" \
  --start-at-task 'cairn : Write the node configuration'
check "the failure names the key" grep -q 'flavour' "$work/site-bad.log"
check "the live configuration is unchanged" test "$before" = "$(config_of a)"
check "the node kept running (same process)" test "$pid_before" = "$(node_pid a)"
check "BIRD NVA still learns the VNet from both nodes" learned_from_both

# ---- rolling upgrade to a newer package ----
# The same build with a higher version (what a release is, as far as dpkg and apt can tell).
version=$(dpkg-deb -f "$deb" Version)
new_version="$version+upgrade1"
dpkg-deb -R "$deb" "$work/newdeb"
sed -i "s/^Version: .*/Version: $new_version/" "$work/newdeb/DEBIAN/control"
dpkg-deb -Zgzip -b "$work/newdeb" "$work/cairn_upgrade_all.deb" >/dev/null

# During the upgrade, every 0.2 s: how many of BIRD's sessions are Established, and the SDN.
sample() {
  while [ -e "$work/sampling" ]; do
    birdc_ show protocols | grep -c Established >>"$work/sessions.txt" || true
    sdn_sample >>"$work/sdn-upgrade.txt"
    sleep 0.2
  done
}
leader_before=$(leader)
epoch_before=$(leader_epoch)
follower_before=$( [ "$leader_before" = a ] && echo b || echo a)
touch "$work/sampling"
sample &
sampler=$!
check "upgrade.yml upgrades the pair" run_ok upgrade.log "$ansible_dir/upgrade.yml" -e "cairn_package=$work/cairn_upgrade_all.deb"
rm -f "$work/sampling"
wait "$sampler"
installed_version() { sed -n '/^Package: cairn$/,/^$/ s/^Version: //p' "$work/host-$1/var/upper/lib/dpkg/status"; }
batches() { [ "$(grep -c '^PLAY \[Upgrade Cairn one node at a time\]' "$work/upgrade.log")" -eq 2 ]; }
check "upgrade.yml went one node at a time (two batches)" batches
# upgraded_in_turn FIRST SECOND: the log shows FIRST installed, then FIRST's NVA sessions back
# and FIRST caught up, and only then SECOND installed.
upgraded_in_turn() {
  python3 - "$work/upgrade.log" "node-$1" "node-$2" <<'PY'
import re, sys
log, first, second = sys.argv[1:]
task, events = None, []
for line in open(log):
    header = re.match(r"TASK \[(.*)\] \*", line)
    if header:
        task = header.group(1)
    result = re.match(r"(ok|changed): \[([^\]]+)\]", line)
    if result:
        events.append((task, result.group(2)))
# Each step is looked for after the one before (the first play runs the waits on both nodes).
position = 0
for task, host in [("cairn : Install the package", first),
                   ("cairn : Wait until the NVA sessions that were up are Established again", first),
                   ("cairn : Wait until the node has caught up with every other node's journal", first),
                   ("cairn : Install the package", second)]:
    assert (task, host) in events[position:], f"no result of '{task}' for {host} after event {position}"
    position = events.index((task, host), position) + 1
PY
}
check "upgrade.yml upgraded the follower ($follower_before) first, and the leader only once the follower had its sessions back and had caught up" \
  upgraded_in_turn "$follower_before" "$leader_before"
for name in "${hosts[@]}"; do
  check "node $name runs $new_version" test "$(installed_version "$name")" = "$new_version"
  check "BIRD NVA: session with node $name is Established again" await 60 established "node_$name"
done
check "BIRD NVA learns the VNet from both nodes after the upgrade" await 30 learned_from_both
check "BIRD NVA kept a session to at least one node in each of $(wc -l <"$work/sessions.txt") samples" \
  test "$(sort -n "$work/sessions.txt" | head -n 1)" -ge 1
check "cairn cluster after the upgrade: members a and b, one leader, replication lag 0" await 90 cluster_formed
leadership_moved_once() {
  echo "before: $leader_before epoch $epoch_before; after: $(leader) epoch $(leader_epoch)"
  [ "$(leader)" = "$follower_before" ] && [ "$(leader_epoch)" -gt "$epoch_before" ]
}
check "leadership moved once, to the node upgraded first, with a higher epoch" leadership_moved_once
check "the new leader claimed the SDN with its epoch" await 30 sdn_programmed
check "the SDN held exactly BIRD's route in every sample during the upgrade, epochs only rising" \
  sdn_holds "$(leader_epoch)" "$work/sdn-upgrade.txt" "$work/sdn-now.txt"
