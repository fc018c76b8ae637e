#!/usr/bin/env bash
# One masqd per interface, and nothing a dead one leaves behind blackholes
# traffic: a second masqd on the same interfaces is refused before it touches
# them while the first keeps forwarding; SIGHUP (a reload, of the flags
# alone here) leaves masqd running and forwarding; lan0 and wan0 going down and up are noticed and counted and
# traffic resumes without a restart; after kill -9 no XDP program is left
# attached, a --control path that is a regular file is refused and kept, and
# a new masqd starts and forwards at once.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "interface ownership is masqd's"
e2e_setup

counter_is() { [ "$(masqd_counter "$1" "$2")" = "$3" ]; }
attached_xdp() { ip -n "$(ns gw)" -d link show "$1" | grep -c 'prog/xdp' || true; }

check "lan1 pings the server through masqd" nsx lan1 ping -c 2 -W 2 "$SRV1"

# The second instance, with the first one's flags and a control socket of its own.
read -r -a first_cmdline <"$MQ_DIR/masqd.cmdline"
second=("${first_cmdline[@]}")
for i in "${!second[@]}"; do
  [ "${second[$i]}" = --control ] && second[$((i + 1))]="$MQ_DIR/second.sock"
done
nsx lan1 ping -i 0.05 -W 1 -c 60 "$SRV1" >"$MQ_DIR/during.out" 2>&1 &
pinger=$!
if timeout 10 ip netns exec "$(ns gw)" "${second[@]}" >"$MQ_DIR/second.log" 2>&1; then
  not_ok "a second masqd on the same interfaces is refused (it ran and exited 0)"
else
  rc=$?
  if [ "$rc" -eq 124 ]; then
    not_ok "a second masqd on the same interfaces is refused (it was still running after 10 s)"
  elif grep -q "lan0 is owned by masqd pid $MASQD_PID" "$MQ_DIR/second.log"; then
    ok "a second masqd is refused: $(grep -o 'lan0 is owned by.*' "$MQ_DIR/second.log" | head -1)"
  else
    not_ok "a second masqd is refused with the owner's pid $MASQD_PID"
    indent <"$MQ_DIR/second.log"
  fi
fi
wait "$pinger" || true
received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$MQ_DIR/during.out")
expect_eq "the first masqd forwarded every echo while the second tried to start" "${received:-0}" 60
check "the second masqd left its control socket path alone" test ! -e "$MQ_DIR/second.sock"
check "lan1 still pings the server through the first masqd" nsx lan1 ping -c 2 -W 2 "$SRV1"

# SIGHUP: a reload (tests/e2e/reload.sh has the rest).
kill -HUP "$MASQD_PID"
if wait_until 5 grep -q "SIGHUP from pid" "$MQ_DIR/masqd.log"; then
  ok "masqd logs SIGHUP: $(grep -o 'SIGHUP from pid.*' "$MQ_DIR/masqd.log" | head -1)"
else
  not_ok "masqd logs SIGHUP"
fi
check "masqd still runs after SIGHUP" kill -0 "$MASQD_PID"
expect_eq "SIGHUP counted as a reload" "$(masqd_counter config reloads)" 1
check "lan1 pings the server after SIGHUP" nsx lan1 ping -c 2 -W 2 "$SRV1"

# Link flap on each side: noticed, counted, and traffic resumes by itself.
for side in lan wan; do
  ip -n "$(ns gw)" link set "${side}0" down
  wait_until 5 counter_is events "${side}_link_down" 1 &&
    ok "$side link down noticed" || not_ok "$side link down noticed"
  ip -n "$(ns gw)" link set "${side}0" up
  wait_until 5 counter_is events "${side}_link_up" 1 &&
    ok "$side link up noticed" || not_ok "$side link up noticed"
  if wait_until 15 nsx lan1 ping -c 1 -W 1 "$SRV1"; then
    ok "lan1 pings the server again after the $side link came back"
  else
    not_ok "lan1 pings the server again after the $side link came back"
  fi
done
check "masqd logged the link changes" grep -q "wan link is up" "$MQ_DIR/masqd.log"
check "masqd does not spin after the flaps (under 30 % CPU over 2 s)" sh -c "
  t0=\$(awk '{print \$14+\$15}' /proc/$MASQD_PID/stat); sleep 2
  t1=\$(awk '{print \$14+\$15}' /proc/$MASQD_PID/stat); [ \$((t1 - t0)) -lt 60 ]"

# kill -9: nothing left attached, and the next start works.
if [ "$GATEWAY" = masqd-af_xdp ]; then
  expect_eq "masqd's XDP program is attached to lan0 before kill -9" "$(attached_xdp lan0)" 1
fi
kill -KILL "$MASQD_PID"
wait "$MASQD_PID" 2>/dev/null || true
MASQD_PID=
rm -f "$MQ_DIR/masqd.pid"
GW_KIND=
expect_eq "no XDP program left on lan0 after kill -9" "$(attached_xdp lan0)" 0
expect_eq "no XDP program left on wan0 after kill -9" "$(attached_xdp wan0)" 0
# A --control path that is someone's regular file: refused, and kept.
echo "not a socket" >"$MQ_DIR/regular.txt"
control_file=("${first_cmdline[@]}")
for i in "${!control_file[@]}"; do
  [ "${control_file[$i]}" = --control ] && control_file[$((i + 1))]="$MQ_DIR/regular.txt"
done
if timeout 10 ip netns exec "$(ns gw)" "${control_file[@]}" >"$MQ_DIR/regular.log" 2>&1; then
  not_ok "masqd refuses a --control path that is a regular file (it ran)"
elif grep -q "is not a socket" "$MQ_DIR/regular.log"; then
  ok "masqd refuses a --control path that is a regular file"
else
  not_ok "masqd refuses a --control path that is a regular file"
  indent <"$MQ_DIR/regular.log"
fi
expect_eq "the regular file is still there, untouched" "$(cat "$MQ_DIR/regular.txt" 2>&1)" "not a socket"

if gw_start "$GATEWAY"; then
  ok "masqd starts again after kill -9"
  check "lan1 pings the server through the new masqd" nsx lan1 ping -c 2 -W 2 "$SRV1"
else
  not_ok "masqd starts again after kill -9"
fi
