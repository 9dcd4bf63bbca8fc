# shellcheck shell=bash
# Helpers of the shell tests (packaging's install test, ansible's deploy test): one line per
# check, a summary line that CI reads ("NAME: N passed, N failed"), loud skips, bounded waits.
# Source it, then call checks_init NAME WORKDIR.

checks_init() {
  checks_name=$1
  checks_work=$2
  checks_passed=0
  checks_failed=0
}

# Ends the test successfully, loudly, when the machine cannot run it.
skip() {
  cat >&2 <<WARNING
************************************************************************************
WARNING: $checks_name SKIPPED: $1
************************************************************************************
WARNING
  exit 0
}

# check WHAT COMMAND...: runs the command, prints "ok" or "FAILED" with its output.
check() {
  local what=$1
  shift
  if "$@" >"$checks_work/check.log" 2>&1; then
    echo "ok      $what"
    checks_passed=$((checks_passed + 1))
  else
    echo "FAILED  $what" >&2
    sed 's/^/        /' "$checks_work/check.log" >&2
    checks_failed=$((checks_failed + 1))
  fi
}

# Prints the summary; fails when a check failed or the script stopped with status $1.
checks_summary() {
  echo "$checks_name: $checks_passed passed, $checks_failed failed"
  [ "$1" -eq 0 ] && [ "$checks_failed" -eq 0 ]
}

# await SECONDS COMMAND...: polls the command until it succeeds or the deadline passes.
await() {
  local deadline=$(( $(date +%s) + $1 ))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

# in_overlay_system DIR COMMAND...: runs the command in a private mount namespace in which
# /usr, /etc and /var are overlays of this machine's (what changes lands in DIR/LAYER/upper)
# and /run is an empty tmpfs: dpkg, adduser and daemons see a whole system and touch nothing
# outside DIR, and no systemd seems to be running, so maintainer scripts start nothing.
in_overlay_system() {
  local dir=$1 layer
  shift
  for layer in usr etc var; do mkdir -p "$dir/$layer/upper" "$dir/$layer/work"; done
  unshare --mount --propagation private -- bash -c '
      set -e
      dir=$1
      shift
      for layer in usr etc var; do
        mount -t overlay "cairn-test-$layer" \
          -o "lowerdir=/$layer,upperdir=$dir/$layer/upper,workdir=$dir/$layer/work" "/$layer"
      done
      mount -t tmpfs cairn-test-run /run
      exec "$@"' bash "$dir" "$@"
}
