#!/usr/bin/env bash
# Static 1:1 NAT, lan2 192.168.77.3 <-> 203.0.113.3, both ways and with the
# ports untouched: lan2's flows leave from 203.0.113.3, the WAN reaches lan2
# on 203.0.113.3 unsolicited (TCP, UDP, ICMP echo), and lan1 still leaves by
# the dynamic mapping on 203.0.113.1.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
STATIC_EXT=203.0.113.3
GW_STATICS=("$LAN2=$STATIC_EXT")
e2e_setup

seen=$(probe lan2 udp "$SRV1" "$ECHO_UDP_PORT" --sport 40002) || true
expect_eq "lan2's UDP leaves from $STATIC_EXT with its own port" "$seen" "$STATIC_EXT:40002"
seen=$(probe lan2 tcp "$SRV1" "$ECHO_TCP_PORT" --sport 40003) || true
expect_eq "lan2's TCP leaves from $STATIC_EXT with its own port" "$seen" "$STATIC_EXT:40003"
seen=$(probe lan1 udp "$SRV1" "$ECHO_UDP_PORT") || true
expect_eq "lan1's UDP still leaves from the dynamic address" "$(addr_of "$seen")" "$GW_WAN"

seen=$(probe srv tcp "$STATIC_EXT" "$ECHO_TCP_PORT" --sport 41000) || true
expect_eq "TCP from the WAN to $STATIC_EXT reaches lan2 and keeps its source" "$seen" "$SRV1:41000"
seen=$(probe srv udp "$STATIC_EXT" "$LAN_SVC_PORT" --sport 41001) || true
expect_eq "UDP from the WAN to $STATIC_EXT reaches lan2 and keeps its source" "$seen" "$SRV1:41001"
# lan2 answers the echo itself: its reply has crossed two routers (TTL 62);
# one from the gateway would have crossed only one.
out=$(nsx srv ping -c 2 -i 0.2 -W 2 "$STATIC_EXT" 2>&1)
if grep -q "from $STATIC_EXT: icmp_seq=.* ttl=62" <<<"$out"; then
  ok "ping from the WAN to $STATIC_EXT is answered by lan2 (ttl 62)"
else
  not_ok "ping from the WAN to $STATIC_EXT is answered by lan2 (ttl 62):"
  indent <<<"$out"
fi
