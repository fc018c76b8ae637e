#!/usr/bin/env bash
# masqctl and the control socket through a running masqd: the socket gets
# the configured mode and group; a malformed or oversized request is
# answered with an error and masqd carries on; unknown commands and options
# are named with the valid ones; sessions are listed, filtered, counted,
# deleted and flushed, and a deleted session gives its quota back (lan1 may
# hold 4 sessions); status agrees with the listing; stats sums up the
# traffic; a regular file at the socket path is refused with a clear error
# and left as it was.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "masqctl talks to masqd"
GW_NAT_TOML=$'sessions_per_subscriber = 4\n\n[control]\nmode = "0640"\ngroup = "nogroup"'
e2e_setup

# raw_request TEXT: TEXT sent as is to the control socket; prints the answer.
raw_request() {
  "$MQ_PY" - "$(masq_sock)" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode())
out = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    out += chunk
print(out.decode(errors="replace").strip())
PY
}

# --- the socket ---
expect_eq "the control socket has the configured mode and group" \
  "$(stat -c '%a %G' "$(masq_sock)")" "640 nogroup"

# --- bad requests ---
got=$(raw_request $'{{{\n')
expect_eq "a request that is not JSON gets an error" \
  "$got" '{"error":"request is not a JSON object","ok":false}'
got=$(raw_request "$(printf 'x%.0s' $(seq 5000))")
expect_eq "an oversized request gets an error" \
  "$got" '{"error":"request longer than 4096 bytes","ok":false}'
got=$(raw_request $'{"cmd":"reboot"}\n')
expect_eq "an unknown command gets an error" "$got" '{"error":"unknown command \"reboot\"","ok":false}'
check "masqd answers status after the bad requests" masqctl status

# --- the command line ---
expect_in() { # DESC HAYSTACK NEEDLE
  if [[ $2 == *"$3"* ]]; then ok "$1"; else not_ok "$1: '$3' not in: $2"; fi
}
got=$(masqctl stat 2>&1) && not_ok "masqctl stat fails" || true
expect_in "an unknown command is named" "$got" "unknown command 'stat'"
expect_in "... with the valid ones listed" "$got" "status, sessions, stats (or counters)"
got=$(masqctl sessions --colour red 2>&1) && not_ok "masqctl sessions --colour fails" || true
expect_in "an unknown option is named" "$got" "unknown option '--colour' for masqctl sessions"
expect_in "... with the valid ones listed" "$got" "--inside-port"
check "--json is taken after the command" masqctl status --json

# --- sessions: list, filter, count ---
# json_of EXPR: EXPR (a Python expression over the reply j) of masqctl --json ARGS.
json_of() {
  local expr=$1
  shift
  masqctl --json "$@" | "$MQ_PY" -c "import json,sys; j=json.load(sys.stdin); print($expr)"
}
count() { masqctl sessions --count "$@"; }
for p in 41001 41002 41003; do
  probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport "$p" >/dev/null || not_ok "lan1 UDP from $p"
done
probe lan1 tcp "$SRV1" "$ECHO_TCP_PORT" --sport 41005 >/dev/null || not_ok "lan1 TCP from 41005"
probe lan2 udp "$SRV1" "$ECHO_UDP_PORT" --sport 41004 >/dev/null || not_ok "lan2 UDP from 41004"
expect_eq "lan1's UDP sessions" "$(count --proto udp --inside "$LAN1")" 3
expect_eq "lan1's TCP session, closed" "$(count --proto tcp --inside "$LAN1" --state fin_both)" 1
expect_eq "the session of lan1:41002" \
  "$(json_of '[s["internal"] for s in j["sessions"]]' sessions --inside-port 41002)" "['$LAN1:41002']"
expect_eq "sessions to the server's echo port" \
  "$(count --remote "$SRV1" --remote-port "$ECHO_UDP_PORT")" 4
expect_eq "every session is dynamic" "$(count --kind dynamic)" "$(count)"
expect_eq "none idle for a day" "$(count --min-idle 86400)" 0
expect_eq "all idle under a minute" "$(count --max-idle 60)" "$(count)"
expect_eq "lan2's session by its external endpoint" "$(count --outside "$GW_WAN" \
  --outside-port "$(json_of 'j["sessions"][0]["external"].split(":")[1]' sessions --inside "$LAN2")")" 1
expect_eq "status counts what the listing shows" "$(json_of 'j["sessions"]' status)" \
  "$(json_of 'len(j["sessions"])' sessions)"

# --- stats ---
expect_eq "stats: UDP sessions" "$(json_of 'j["stats"]["sessions.udp"]["udp"]' stats)" 4
expect_eq "stats: TCP sessions closing" "$(json_of 'j["stats"]["sessions.tcp"]["fin_both"]' stats)" 1
check "stats: frames received on the LAN" test "$(json_of 'j["stats"]["interface.lan"]["rx_frames"]' stats)" -gt 0
check "stats (as counters): the allocation failures and quota hits are there" \
  json_of 'j["stats"]["allocation_failures"]["table_full"] + j["stats"]["quota_hits"]["subscriber_ports"]' counters
expect_in "stats in text shows the sessions by protocol" "$(masqctl stats)" "sessions.udp"
expect_eq "stats: lan1 holds the most mappings (3 UDP, 1 TCP)" \
  "$(json_of "j['stats']['busiest.$LAN1']['mappings']" stats)" 4
expect_eq "stats: UDP mappings on the WAN address (lan1's 3, lan2's 1)" \
  "$(json_of "j['stats']['ports.$GW_WAN']['udp_mappings']" stats)" 4
check "stats: the WAN address has UDP ports to give" \
  test "$(json_of "j['stats']['ports.$GW_WAN']['udp_ports']" stats)" -gt 1000

# --- delete and flush ---
if probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport 41006 --tries 1 --timeout 1 >/dev/null; then
  not_ok "a fifth session of lan1 is refused (sessions_per_subscriber = 4)"
else
  ok "a fifth session of lan1 is refused (sessions_per_subscriber = 4)"
fi
check "stats: the quota hit is counted" \
  test "$(json_of 'j["stats"]["quota_hits"]["subscriber_sessions"]' stats)" -gt 0
expect_eq "sessions delete FILTER deletes what it selects" \
  "$(masqctl sessions delete --inside "$LAN1" --inside-port 41002)" "1 sessions deleted"
expect_eq "... and nothing else" "$(count --inside "$LAN1")" 3
expect_eq "... and it is gone" "$(count --inside-port 41002)" 0
seen=$(probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport 41006) || true
expect_ne "the deleted session's quota is free again: lan1:41006 gets through" "$seen" ""
total=$(count)
expect_eq "sessions flush deletes every session" "$(masqctl sessions flush)" "$total sessions deleted"
expect_eq "... and none is left" "$(count)" 0
expect_eq "... status agrees" "$(json_of 'j["sessions"]' status)" 0
expect_eq "the deletions are counted" "$(masqd_counter nat sessions_deleted)" $((total + 1))
seen=$(probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport 41002) || true
expect_ne "lan1 makes new sessions after the flush" "$seen" ""

# --- last: a file that is not a socket stays where it is ---
read -r -a cmdline <"$MQ_DIR/masqd.cmdline"
if gw_stop; then ok "masqd stopped"; else not_ok "masqd stopped"; fi
GW_KIND=
echo "not a socket" >"$(masq_sock)"
if timeout 10 ip netns exec "$(ns gw)" "${cmdline[@]}" >"$MQ_DIR/refused.log" 2>&1; then
  not_ok "masqd refuses a regular file at its socket path (it ran and exited 0)"
elif grep -q "exists and is not a socket" "$MQ_DIR/refused.log"; then
  ok "masqd refuses a regular file at its socket path: $(grep -o 'control socket path.*socket;' "$MQ_DIR/refused.log")"
else
  not_ok "masqd refuses a regular file at its socket path with a clear error"
  indent <"$MQ_DIR/refused.log"
fi
expect_eq "the regular file is left as it was" "$(cat "$(masq_sock)")" "not a socket"
