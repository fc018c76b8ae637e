#!/usr/bin/env bash
# The translation log (docs/operations.md, "Translation log"), masqctl
# lookup and masqctl events through a running masqd, with real traffic:
# UDP, TCP and ping from the LAN hosts each leave a create line naming the
# right inside and outside endpoints (and the remote, logged here because
# translations_remote is set: RFC 6888 REQ-12); masqctl lookup finds the
# host that held an outside endpoint, now and at a past time, and nobody
# before the traffic; masqctl events shows the same as it happens; a flush
# leaves delete lines (reason "deleted") and the endpoint then has no
# holder now, while the past still answers. Nothing is dropped. The same
# events go as IPFIX NAT event records (RFC 8158) to nfcapd, and nfdump
# decodes them (natEvent, inside and translated endpoints). Runs with
# whatever GW_WORKERS says (run it with 1 and 2).
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the translation log is masqd's"
mq_set_net "mqe$$" # e2e_setup sets the same: the log goes into the run directory
TLOG="$MQ_DIR/translations.log"
IPFIX_PORT=4739
GW_NAT_TOML=$'[log]\ntranslations = "'"$TLOG"$'"\ntranslations_remote = true\nipfix = "127.0.0.1:'"$IPFIX_PORT"'"'
e2e_setup
# The IPFIX collector, in the gateway's namespace, before any session.
HAVE_NFDUMP=
if command -v nfcapd >/dev/null && command -v nfdump >/dev/null; then
  HAVE_NFDUMP=1
  mkdir -p "$MQ_DIR/nfcap"
  nsbg gw nfcapd nfcapd -w "$MQ_DIR/nfcap" -b 127.0.0.1 -p "$IPFIX_PORT" -t 3600
  wait_until 5 bash -c "ip netns exec $(ns gw) ss -uln | grep -q ':$IPFIX_PORT '" ||
    not_ok "nfcapd listens on 127.0.0.1:$IPFIX_PORT"
fi

expect_in() { # DESC HAYSTACK NEEDLE
  if [[ $2 == *"$3"* ]]; then ok "$1"; else not_ok "$1: '$3' not in: $2"; fi
}
# lines_match FILE CONDITION: a JSON line e of FILE satisfies the Python CONDITION.
lines_match() {
  "$MQ_PY" - "$1" "$2" <<'PY'
import json, sys
path, cond = sys.argv[1], sys.argv[2]
try:
    lines = open(path).read().splitlines()
except FileNotFoundError:
    sys.exit(1)
for line in lines:
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if eval(cond):
        sys.exit(0)
sys.exit(1)
PY
}
# await_line FILE CONDITION DESC: polls FILE (up to 5 s) for a matching line.
await_line() {
  if wait_until 5 lines_match "$1" "$2"; then ok "$3"; else
    not_ok "$3: no line with $2"
    tail -n 20 "$1" 2>/dev/null | indent
  fi
}

before=$(date +%s)
# masqctl events, following from before the traffic; it ends when masqd does.
"$(masqctl_bin)" --socket "$(masq_sock)" events --json >"$MQ_DIR/events.jsonl" 2>&1 &
EVENTS_PID=$!
kill -0 "$EVENTS_PID" 2>/dev/null && ok "masqctl events is running" || not_ok "masqctl events is running"
# Ready when the follower sees the events of a flow made for the purpose.
probe lan2 udp "$SRV1" "$ECHO_UDP_PORT" --sport 42100 >/dev/null || not_ok "lan2 UDP from 42100"
if ! wait_until 5 lines_match "$MQ_DIR/events.jsonl" "e.get('inside') == '$LAN2:42100'"; then
  # It may have subscribed after that flow was made: one more.
  probe lan2 udp "$SRV1" "$ECHO_UDP_PORT" --sport 42101 >/dev/null || true
fi

# --- the traffic ---
udp_out=$(probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport 42001) || not_ok "lan1 UDP from 42001"
tcp_out=$(probe lan2 tcp "$SRV1" "$ECHO_TCP_PORT" --sport 42002) || not_ok "lan2 TCP from 42002"
check "lan1 pings the server" nsx lan1 ping -c 2 -i 0.2 -W 2 "$SRV1"
during=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)

# --- the log ---
await_line "$TLOG" "e['event'] == 'create' and e['proto'] == 'udp' and e['inside'] == '$LAN1:42001' \
and e['outside'] == '$udp_out' and e['remote'] == '$SRV1:$ECHO_UDP_PORT' and e['kind'] == 'dynamic'" \
  "the log has lan1's UDP session: inside $LAN1:42001, outside $udp_out"
await_line "$TLOG" "e['event'] == 'create' and e['proto'] == 'tcp' and e['inside'] == '$LAN2:42002' \
and e['outside'] == '$tcp_out' and e['remote'] == '$SRV1:$ECHO_TCP_PORT'" \
  "the log has lan2's TCP session: inside $LAN2:42002, outside $tcp_out"
await_line "$TLOG" "e['event'] == 'create' and e['proto'] == 'icmp' and \
e['inside'].startswith('$LAN1:') and e['outside'].startswith('$GW_WAN:') and e['remote'] == '$SRV1:0'" \
  "the log has lan1's ping"
check "every line has its time in UTC" "$MQ_PY" -c "
import json, sys
for line in open('$TLOG'):
    e = json.loads(line)
    assert e['time'].endswith('Z') and len(e['time']) == 27, line
    assert e['event'] in ('create', 'delete'), line"

# --- masqctl events saw the same ---
await_line "$MQ_DIR/events.jsonl" "e.get('event') == 'create' and e['inside'] == '$LAN1:42001' \
and e['outside'] == '$udp_out'" "masqctl events showed lan1's UDP session"
await_line "$MQ_DIR/events.jsonl" "e.get('event') == 'create' and e['inside'] == '$LAN2:42002' \
and e['outside'] == '$tcp_out'" "masqctl events showed lan2's TCP session"

# --- masqctl lookup ---
got=$(masqctl lookup "$udp_out")
expect_in "lookup $udp_out names lan1" "$got" "$LAN1:42001 held $udp_out (udp dynamic"
got=$(masqctl lookup "$tcp_out" --proto tcp --at "$during")
expect_in "lookup $tcp_out --proto tcp --at $during names lan2" "$got" "$LAN2:42002 held $tcp_out"
got=$(masqctl --json lookup "$udp_out" --at "$((before - 60))") && rc=0 || rc=$?
expect_eq "nobody held it a minute before the traffic (exit 1)" "$rc" 1
expect_in "... and the reply says so" "$got" '"hits": []'
got=$(masqctl lookup "$udp_out" --at yesterday 2>&1) && rc=0 || rc=$?
expect_eq "a time masqctl cannot read is refused (exit 2)" "$rc" 2
expect_in "... saying what it wants" "$got" "want ISO 8601"

# --- deletion ---
masqctl sessions flush >/dev/null
await_line "$TLOG" "e['event'] == 'delete' and e['inside'] == '$LAN1:42001' and e['reason'] == 'deleted'" \
  "a flush leaves a delete line for lan1's UDP session"
await_line "$MQ_DIR/events.jsonl" "e.get('event') == 'delete' and e['inside'] == '$LAN2:42002'" \
  "masqctl events showed lan2's TCP session go"
masqctl lookup "$udp_out" >/dev/null && rc=0 || rc=$?
expect_eq "after the flush nobody holds $udp_out" "$rc" 1
got=$(masqctl lookup "$udp_out" --at "$during")
expect_in "... but at $during lan1 did, until the flush" "$got" "(deleted)"

# --- IPFIX, decoded by nfdump ---
if [ -n "$HAVE_NFDUMP" ]; then
  kill "$(cat "$MQ_DIR/nfcapd.pid")" # nfcapd writes its file out as it stops
  wait_until 5 bash -c "! kill -0 $(cat "$MQ_DIR/nfcapd.pid")" || not_ok "nfcapd stopped"
  nfdump -R "$MQ_DIR/nfcap" -o "fmt:%nevt %pr %sap -> %xsap %dap" -q >"$MQ_DIR/nfdump.txt" 2>&1 ||
    not_ok "nfdump reads the collected records: $(tail -n 3 "$MQ_DIR/nfdump.txt")"
  got=$(tr -s ' ' <"$MQ_DIR/nfdump.txt")
  expect_in "nfdump decodes lan1's UDP session create" "$got" \
    "ADD UDP $LAN1:42001 -> $udp_out $SRV1:$ECHO_UDP_PORT"
  expect_in "nfdump decodes lan2's TCP session create" "$got" "ADD TCP $LAN2:42002 -> $tcp_out"
  expect_in "nfdump decodes the flush's delete of lan1's UDP session" "$got" \
    "DELETE UDP $LAN1:42001 -> $udp_out"
  check "no IPFIX send failed" test "$(masqd_counter session_events ipfix_send_errors)" -eq 0
else
  skip_check "IPFIX records decoded by nfdump" "nfcapd/nfdump not installed (Debian nfdump)"
fi

# --- nothing lost ---
expect_eq "no event dropped by an engine" "$(masqd_counter nat events_dropped)" 0
expect_eq "no event dropped by a full queue" "$(masqd_counter session_events dropped_queue_full)" 0
check "the lines are counted as written" test "$(masqd_counter session_events log_lines_written)" -ge 6

if gw_stop; then ok "masqd stopped"; else not_ok "masqd stopped"; fi
GW_KIND=
check "masqctl events ends when masqd does" wait_until 5 bash -c "! kill -0 $EVENTS_PID"
