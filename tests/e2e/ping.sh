#!/usr/bin/env bash
# ICMP echo through the gateway and to the gateway itself (RFC 5508 REQ-1,
# REQ-1a; REQ-10: echo for the gateway's own addresses). Fragmented echoes
# are in fragments.sh.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
e2e_setup

check "lan1 pings the gateway's LAN address $GW_LAN" nsx lan1 ping -c 2 -W 2 "$GW_LAN"
check "the internet pings the gateway's WAN address $GW_WAN" nsx inet ping -c 2 -W 2 "$GW_WAN"
check "lan1 pings the server $SRV1" nsx lan1 ping -c 3 -i 0.2 -W 2 "$SRV1"
check "lan2 pings the server $SRV2" nsx lan2 ping -c 3 -i 0.2 -W 2 "$SRV2"

# Both hosts use echo identifier 4242 at the same time: each must get its
# own replies back (the gateway maps the identifiers apart).
probe lan1 icmp-echo "$SRV1" --ident 4242 --count 5 >"$MQ_DIR/id1.out" 2>&1 &
p1=$!
probe lan2 icmp-echo "$SRV1" --ident 4242 --count 5 >"$MQ_DIR/id2.out" 2>&1 &
p2=$!
if wait $p1; then ok "lan1, echo id 4242: $(cat "$MQ_DIR/id1.out")"; else not_ok "lan1, echo id 4242: $(cat "$MQ_DIR/id1.out")"; fi
if wait $p2; then ok "lan2, echo id 4242: $(cat "$MQ_DIR/id2.out")"; else not_ok "lan2, echo id 4242: $(cat "$MQ_DIR/id2.out")"; fi
