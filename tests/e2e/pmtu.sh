#!/usr/bin/env bash
# Path MTU with a 1280-byte WAN link (RFC 4787 REQ-13, RFC 1191):
#  - DF set and too big: the gateway answers frag-needed with MTU 1280 from
#    its LAN address, and a 1280-byte packet still passes;
#  - DF clear: the gateway fragments, nothing bigger than 1280 bytes goes
#    on the WAN, and the fragmented reply comes back through the NAT;
#  - a TCP upload (TSO on lan1's veth) settles on the smaller MSS.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
WAN_MTU=1280
e2e_setup

out=$(nsx lan1 ping -M "do" -s 1400 -c 1 -W 2 "$SRV1" 2>&1)
if grep -q "From $GW_LAN icmp_seq=1 Frag needed and DF set (mtu = 1280)" <<<"$out"; then
  ok "ping -M do -s 1400: frag-needed with mtu 1280 from $GW_LAN"
else
  not_ok "ping -M do -s 1400: want frag-needed with mtu 1280 from $GW_LAN, got:"
  indent <<<"$out"
fi
check "ping -M do -s 1252 (exactly 1280 bytes) passes" nsx lan1 ping -M "do" -s 1252 -c 2 -i 0.2 -W 2 "$SRV1"

# SRV2: lan1 has learnt no path MTU for it, so lan1 sends 1428-byte packets
# and the gateway must fragment them.
cap_start wan inet up0 "icmp" || e2e_abort "tcpdump on the WAN link"
check "ping -M dont -s 1400 passes (fragmented by the gateway, reply reassembled or translated)" \
  nsx lan1 ping -M dont -s 1400 -c 2 -i 0.2 -W 2 "$SRV2"
cap_stop wan
expect_eq "packets over 1280 bytes from the gateway on the WAN" "$(cap_count wan "src host $GW_WAN and greater 1295")" 0
frags=$(cap_count wan "src host $GW_WAN and ip[6:2] & 0x3fff != 0")
if [ "$frags" -ge 4 ]; then ok "the gateway sent $frags fragments"; else not_ok "the gateway sent $frags fragments, want at least 4"; fi

json=$(nsx lan1 iperf3 --client "$SRV1" --port "$IPERF_PORT" --time 2 --json 2>&1)
if verdict=$("$MQ_PY" "$MQ_TOOLS/iperf_summary.py" --min-bytes 1000000 <<<"$json"); then
  ok "TCP upload over the 1280-byte link: $verdict"
else
  not_ok "TCP upload over the 1280-byte link: $verdict"
fi
