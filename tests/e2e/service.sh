#!/usr/bin/env bash
# masqd under a service manager, with a stand-in for systemd: a datagram
# socket as NOTIFY_SOCKET and WATCHDOG_USEC set. masqd sends READY=1 once
# it forwards, STATUS= lines, WATCHDOG=1 again and again while its worker
# answers, and STOPPING=1 on SIGTERM. Its log says what an operator must
# hear: the effective config at start, a session table nearing full (20
# slots: lan1 and lan2 fill it) and back under 80 % once flushed, quota
# hits and allocation failures summed up, and the stop.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "sd_notify and the operator log are masqd's"
GW_WORKERS=1
GW_MAX_SESSIONS=20
GW_NAT_TOML='sessions_per_subscriber = 15'

# The stand-in for systemd: each line of each datagram on its own line of
# notify.log. It ends with this shell.
mq_set_net "mqe$$"
mkdir -p "$MQ_DIR"
notify_sock=$MQ_DIR/notify.sock
notify_log=$MQ_DIR/notify.log
: >"$notify_log"
"$MQ_PY" - "$notify_sock" "$notify_log" "$$" <<'PY' &
import os, socket, sys
path, log, parent = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(0.5)
with open(log, "a", buffering=1) as out:
    while os.getppid() == parent:
        try:
            data = s.recv(4096)
        except socket.timeout:
            continue
        for line in data.decode(errors="replace").splitlines():
            out.write(line + "\n")
PY
listener=$!
wait_until 5 test -S "$notify_sock" || { echo "FAIL: the notify listener did not start"; exit 1; }

# WATCHDOG_USEC of 2 s: a ping about every second.
export NOTIFY_SOCKET=$notify_sock WATCHDOG_USEC=2000000
e2e_setup
unset NOTIFY_SOCKET WATCHDOG_USEC
log=$MQ_DIR/masqd.log

notes() { grep -c "^$1\$" "$notify_log" || true; }
watchdogs_at_least() { [ "$(notes WATCHDOG=1)" -ge "$1" ]; }

check "READY=1 arrives" wait_until 10 grep -qx READY=1 "$notify_log"
check "... with a STATUS= line" grep -q '^STATUS=forwarding: ' "$notify_log"
check "WATCHDOG=1 arrives again and again" wait_until 10 watchdogs_at_least 4
first=$(notes WATCHDOG=1)
check "... and keeps coming" wait_until 5 watchdogs_at_least $((first + 2))
check "the log starts with the effective config" \
  grep -q "masqd .* starting: lan lan0=$GW_LAN/24, wan wan0=.* 20 sessions and" "$log"

# --- the session table nearing full ---
# lan1 may hold 15 sessions: its 16th is over its quota. lan2 takes the
# 5 slots left (20 of 20), and its 6th finds the table full.
for p in $(seq 42001 42015); do
  probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport "$p" >/dev/null || not_ok "lan1 UDP from $p"
done
probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport 42016 --timeout 0.5 >/dev/null 2>&1 || true
for p in $(seq 42001 42005); do
  probe lan2 udp "$SRV1" "$ECHO_UDP_PORT" --sport "$p" >/dev/null || not_ok "lan2 UDP from $p"
done
check "a table nearing full is warned about" \
  wait_until 5 grep -qE "session table (9[0-9]|100)% full \((1[89]|20) of 20" "$log"
probe lan2 udp "$SRV1" "$ECHO_UDP_PORT" --sport 42006 --timeout 0.5 >/dev/null 2>&1 || true
check "quota hits are summed up" \
  wait_until 15 grep -q "quota hits in the last [0-9]* s: [0-9]* (subscriber_sessions [0-9]*)" "$log"
check "allocation failures are summed up" \
  wait_until 15 grep -q "allocation failures in the last [0-9]* s: [0-9]* (table_full [0-9]*)" "$log"
check "the warning is given once" test "$(grep -c 'session table .*% full' "$log")" -eq 1
check "masqctl sessions flush" masqctl sessions flush
check "the table back under 80 % is logged" wait_until 5 grep -q "session table back under 80%" "$log"

# --- a lost XDP program (AF_XDP) ---
# Its BPF link detached behind masqd's back, as bpftool can.
if [ "$GATEWAY" = masqd-af_xdp ]; then
  if command -v bpftool >/dev/null; then
    prog=$(ip -n "$(ns gw)" -d link show lan0 | sed -n 's|.*prog/xdp id \([0-9]*\).*|\1|p' | head -1)
    link=$(bpftool -j link show | "$MQ_PY" -c '
import json, sys
print(next(l["id"] for l in json.load(sys.stdin) if l.get("prog_id") == int(sys.argv[1])))' "$prog")
    check "the XDP program's link detached" bpftool link detach id "$link"
    check "a lost XDP program is logged" \
      wait_until 10 grep -q "lan0: masqd's XDP program was detached" "$log"
    check "... and counted" test "$(masqd_counter supervisor xdp_program_lost)" -eq 1
  else
    skip_check "a lost XDP program" "no bpftool"
  fi
fi

# --- stop ---
if gw_stop; then ok "masqd stops on SIGTERM"; else not_ok "masqd stops on SIGTERM"; fi
check "STOPPING=1 arrives" grep -qx STOPPING=1 "$notify_log"
check "the log ends with the stop" grep -q "masqd .* stopped" "$log"
kill "$listener" 2>/dev/null || true
