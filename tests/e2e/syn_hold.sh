#!/usr/bin/env bash
# RFC 5382 REQ-4 with [nat.tcp] unsolicited_syn_icmp = true (masqd only; the
# default, no answer ever, is inbound_scan.sh). A SYN from the server to an
# unmapped port of the external address draws nothing for 6 s, then ICMP
# port unreachable. A SYN answered within 6 s by lan1's outbound SYN for
# the same connection (simultaneous open through the NAT) draws no ICMP at
# all.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "unsolicited_syn_icmp is a masqd option"
# One worker: the test names external ports in advance (a kept source
# port, a suggested port), and with several workers a port is kept only
# inside the slice of the host's worker (docs/architecture.md, "Workers and
# steering"). The ports are below the gateway host's range (32768-60999 by
# default), which the NAT never hands out.
GW_WORKERS=1
GW_NAT_TOML=$'[nat.tcp]\nunsolicited_syn_icmp = true'
e2e_setup

# answers LOG: the ICMP lines syn_probe.py printed ("DELAY icmp T/C").
answers() { grep ' icmp ' "$MQ_DIR/$1.log" || true; }

nsx srv "$MQ_PY" "$MQ_TOOLS/syn_probe.py" --iface eth0 --dst "$GW_WAN" --dport 2222 --sport 45000 \
  --listen 8 >"$MQ_DIR/lonely.log" 2>&1
lonely=$(answers lonely)
first=$(printf '%s\n' "$lonely" | head -n 1)
if [ -n "$first" ] && awk -v d="${first%% *}" 'BEGIN { exit !(d >= 6.0) }'; then
  ok "nothing within 6 s, then: $first"
else
  not_ok "nothing within 6 s, then ICMP port unreachable: got '$(paste -sd';' "$MQ_DIR/lonely.log")'"
fi
expect_eq "what the gateway sent back" "$(printf '%s\n' "$lonely" | cut -d' ' -f2- | sort -u)" "icmp 3/3"

nsbg srv crossing "$MQ_PY" "$MQ_TOOLS/syn_probe.py" --iface eth0 --dst "$GW_WAN" --dport 20123 \
  --sport 45001 --listen 8
wait_until 5 grep -q sent "$MQ_DIR/crossing.log" || e2e_abort "syn_probe.py did not send"
sleep 1
check "lan1's SYN for the same connection leaves" nsx lan1 "$MQ_PY" -c "
from scapy.all import IP, TCP, send
send(IP(dst='$SRV1') / TCP(sport=20123, dport=45001, flags='S', seq=5000), verbose=False)"
wait "$(cat "$MQ_DIR/crossing.pid")"
expect_eq "ICMP for the SYN an outbound SYN followed" "$(answers crossing)" ""
expect_eq "masqd held two SYNs" "$(masqd_counter nat syns_held)" 2
expect_eq "and answered one" "$(masqd_counter nat syns_released)" 1
