#!/usr/bin/env bash
# Source guard ([lan] source_guard = true, masqd only): lan1 sends UDP from
# 50 spoofed LAN addresses it never claimed by ARP, straight to the
# gateway's MAC (scapy). None of them makes a session or a subscriber;
# masqd counts them as source_guard, and lan1 and lan2, whose bindings ARP
# knows, carry on.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the source guard is masqd's"
GW_NAT_TOML=$(printf '[lan]\nname = "lan0"\naddress = "%s/24"\nsource_guard = true' "$GW_LAN")
e2e_setup

check "lan1 pings the server" nsx lan1 ping -c 1 -W 2 "$SRV1"
gw_mac=$(nsx lan1 ip neigh show "$GW_LAN" | awk '{ print $5; exit }')
[ -n "$gw_mac" ] || e2e_abort "lan1 does not know the gateway's MAC"
check "lan1 sends from 50 spoofed addresses" nsx lan1 "$MQ_PY" -c "
from scapy.all import Ether, IP, UDP, sendp
sendp([Ether(dst='$gw_mac') / IP(src=f'192.168.77.{i}', dst='$SRV1') / UDP(sport=5000, dport=9)
       for i in range(100, 150)], iface='eth0', verbose=False)"
guarded() { [ "$(masqd_counter router.drops source_guard)" -ge 50 ]; }
wait_until 5 guarded || true
expect_eq "spoofed packets dropped by the guard" "$(masqd_counter router.drops source_guard)" 50
spoofed=$(masqd_sessions_json | "$MQ_PY" -c '
import json, sys
print(sum(1 for s in json.load(sys.stdin)["sessions"] if s["internal"].startswith("192.168.77.1") and len(s["internal"].split(":")[0]) > 12))')
expect_eq "sessions from spoofed addresses" "$spoofed" 0
check "lan1 still reaches the server" nsx lan1 ping -c 1 -W 2 "$SRV1"
check "lan2 reaches the server" nsx lan2 ping -c 1 -W 2 "$SRV1"
