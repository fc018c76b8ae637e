# shellcheck shell=bash
# Harness of the end-to-end tests: each tests/e2e/<name>.sh is run as
#
#   tests/e2e/<name>.sh GATEWAY [BUILD_DIR]
#
# with GATEWAY one of kernel-nft, masqd-af_packet, masqd-af_xdp (see
# scripts/testnet/lib.sh). BUILD_DIR (or $MASQD / $MASQCTL) locates masqd.
# A test builds its own network (unique names, torn down on any exit), starts
# the gateway, runs checks, and exits 0 (all passed), 1 (a check failed) or
# 77 (skipped: does not apply to this gateway, or masqd is not built).
# Needs root. Set MQ_KEEP_DIR=1 to keep the run directory (captures, logs).

# shellcheck source=scripts/testnet/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/testnet/lib.sh"

E2E_TEST=$(basename "$0" .sh)
GATEWAY=${1:-}
BUILD_DIR=${2:-${BUILD_DIR:-$MQ_ROOT/build/release}}
E2E_PASSED=0
E2E_FAILED=0
E2E_SKIPPED=0

if [ -z "$GATEWAY" ] || [[ " ${GW_KINDS[*]} " != *" $GATEWAY "* ]]; then
  echo "usage: $0 {${GW_KINDS[*]// /|}} [BUILD_DIR]" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: e2e.$E2E_TEST needs root (network namespaces)"
  exit 77
fi

is_masqd() { [[ $GATEWAY == masqd-* ]]; }

e2e_summary() {
  echo "e2e.$E2E_TEST.$GATEWAY: $E2E_PASSED passed, $E2E_FAILED failed, $E2E_SKIPPED skipped"
}

e2e_cleanup() {
  local rc=$?
  trap - EXIT
  # A second Ctrl-C must not leave the network half removed.
  trap '' INT TERM
  if [ -n "${GW_KIND:-}" ]; then
    if gw_stop; then
      ok "gateway stopped cleanly"
    else
      not_ok "gateway stopped cleanly"
    fi
  fi
  if [ "$E2E_FAILED" -gt 0 ]; then
    is_masqd && masqd_log_tail
    [ -n "${MQ_KEEP_DIR:-}" ] && echo "run files kept in $MQ_DIR"
  fi
  net_down
  if [ "$rc" -eq 77 ]; then
    exit 77
  fi
  [ "$rc" -eq 130 ] && echo "interrupted"
  e2e_summary
  if [ "$rc" -ne 0 ] || [ "$E2E_FAILED" -gt 0 ]; then
    exit 1
  fi
  exit 0
}

# e2e_skip REASON: the whole test does not apply.
e2e_skip() {
  echo "SKIP: e2e.$E2E_TEST.$GATEWAY: $*"
  exit 77
}

# e2e_setup: network, servers and gateway, with whatever GW_FORWARDS,
# GW_STATICS, GW_POOL and WAN_MTU the test set first.
e2e_setup() {
  if is_masqd && [ ! -x "$(masqd_bin)" ]; then
    e2e_skip "masqd is not built ($(masqd_bin)); pass BUILD_DIR or set MASQD"
  fi
  mq_set_net "mqe$$"
  trap e2e_cleanup EXIT
  trap 'exit 130' INT TERM
  echo "# e2e.$E2E_TEST through $GATEWAY (network $MQ_NET)"
  net_up || e2e_abort "could not build the network"
  net_services || e2e_abort "could not start the servers"
  gw_start "$GATEWAY" || e2e_abort "the gateway did not start"
  # What the tests measure is the gateway, not the switch in front of it.
  sw_is_plain_wire || e2e_abort "bridge netfilter is on in the LAN switch"
}

e2e_abort() {
  not_ok "$*"
  exit 1
}

ok() {
  E2E_PASSED=$((E2E_PASSED + 1))
  echo "ok - $*"
}

not_ok() {
  E2E_FAILED=$((E2E_FAILED + 1))
  echo "FAIL - $*"
}

# skip_check DESC REASON: one check that does not apply to this gateway.
skip_check() {
  E2E_SKIPPED=$((E2E_SKIPPED + 1))
  echo "skip - $1 ($2)"
}

# indent: output of a failed check, set off from the verdicts.
indent() { sed 's/^/    | /'; }

# check DESC CMD...: CMD must succeed; its output is shown when it fails.
check() {
  local desc=$1 out
  shift
  if out=$("$@" 2>&1); then
    ok "$desc"
  else
    not_ok "$desc"
    printf '%s\n' "$out" | tail -n 30 | indent
  fi
}

# expect_eq DESC GOT WANT
expect_eq() {
  if [ "$2" = "$3" ]; then
    ok "$1 ($2)"
  else
    not_ok "$1: got '$2', want '$3'"
  fi
}

# expect_ne DESC A B
expect_ne() {
  if [ "$2" != "$3" ]; then
    ok "$1 ($2 vs $3)"
  else
    not_ok "$1: both are '$2'"
  fi
}

# probe NODE ARGS...: scripts/testnet/probe.py inside NODE.
probe() {
  local node=$1
  shift
  nsx "$node" "$MQ_PY" "$MQ_TOOLS/probe.py" "$@"
}

# mapping_ip / mapping_port of "IP:PORT" as printed by peer_echo.
addr_of() { printf '%s' "${1%:*}"; }
port_of() { printf '%s' "${1##*:}"; }

# masqd_counter GROUP NAME: one counter as masqctl counters --json names it,
# e.g. masqd_counter router.drops bad_ihl.
masqd_counter() {
  masqctl --json counters | "$MQ_PY" -c '
import json, sys
print(json.load(sys.stdin)["counters"][sys.argv[1]][sys.argv[2]])' "$1" "$2"
}

# pcp NODE ARGS...: tests/e2e/pcp_client.py run in NODE.
pcp() {
  local node=$1
  shift
  nsx "$node" "$MQ_PY" "$(dirname "${BASH_SOURCE[0]}")/pcp_client.py" "$@"
}
# ext_port_of "result=... ext=IP:PORT ...": PORT.
ext_port_of() { sed -n 's/.* ext=[0-9.]*:\([0-9]*\) .*/\1/p' <<<"$1"; }

# masqd_sessions_json: the session table as JSON (masqctl --json).
masqd_sessions_json() { masqctl --json sessions; }

# session_external PROTO INTERNAL: the external endpoint masqctl reports for
# the session of INTERNAL ("IP:PORT"), or nothing.
session_external() {
  masqd_sessions_json | "$MQ_PY" -c '
import json, sys
proto, internal = sys.argv[1], sys.argv[2]
for s in json.load(sys.stdin)["sessions"]:
    if s["proto"] == proto and s["internal"] == internal:
        print(s["external"])
        break
' "$1" "$2"
}

# A long TCP transfer from lan1 to a server, every byte checked at both ends
# (stream.py). stream_start PORT starts it and keeps lan1's source port in
# $MQ_DIR/sport; stream_goes_on WHAT checks that it moves on by 256 KiB
# within 20 s; stream_end stops it and checks both ends.
stream_sent() { cat "$MQ_DIR/progress" 2>/dev/null || echo 0; }
stream_more_than() { [ "$(stream_sent)" -gt "$1" ]; }
stream_start() {
  local port=$1
  nsbg srv receiver "$MQ_PY" "$(dirname "${BASH_SOURCE[0]}")/stream.py" receive "$SRV1" "$port"
  wait_until 10 listening srv tcp "$port" || e2e_abort "the receiver did not start"
  nsbg lan1 sender "$MQ_PY" "$(dirname "${BASH_SOURCE[0]}")/stream.py" send "$SRV1" "$port" \
    --until "$MQ_DIR/stop" --progress "$MQ_DIR/progress"
  wait_until 10 stream_more_than 262144 || e2e_abort "the transfer did not start"
  nsx lan1 ss -Htn "dport = :$port" | awk '{ split($4, a, ":"); print a[2] }' >"$MQ_DIR/sport"
}
stream_goes_on() {
  local from
  from=$(stream_sent)
  if wait_until 20 stream_more_than $((from + 262144)); then
    ok "the transfer goes on after $1 ($from -> $(stream_sent) bytes)"
  else
    not_ok "the transfer goes on after $1 (stuck at $(stream_sent) bytes)"
  fi
}
stream_end() {
  local end
  touch "$MQ_DIR/stop"
  for end in sender receiver; do
    if wait "$(cat "$MQ_DIR/$end.pid")"; then
      ok "$(cat "$MQ_DIR/$end.log")"
    else
      not_ok "the $end: $(cat "$MQ_DIR/$end.log")"
    fi
  done
}
