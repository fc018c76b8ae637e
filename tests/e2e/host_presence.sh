#!/usr/bin/env bash
# The gateway host keeps its own network through masqd's host interfaces
# (masq-lan0, masq-wan0): the kernel has the gateway's addresses and its
# default route there; a TCP service on the gateway answers LAN hosts at
# the LAN address and gives the WAN nothing (masqd's nftables table); the
# gateway fetches from a WAN HTTP server while LAN hosts hold many NAT
# flows from the very source ports it uses, and neither disturbs the
# other: NAT hands out no port of the host's range.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "host interfaces are masqd's"
e2e_setup
net_blob 8

HOST_FIRST=32768 HOST_LAST=60999 # the kernel's default ip_local_port_range
TABLE=masq_host_masq_wan0
GW_SVC_PORT=2222

check "the gateway's kernel has its LAN address on masq-lan0" \
  sh -c "ip -n $(ns gw) -4 -o addr show dev masq-lan0 | grep -q ' $GW_LAN/24 '"
check "the gateway's kernel has its WAN address on masq-wan0" \
  sh -c "ip -n $(ns gw) -4 -o addr show dev masq-wan0 | grep -q ' $GW_WAN/$WAN_PREFIX_LEN '"
check "the gateway's default route is via the WAN gateway on masq-wan0" \
  sh -c "ip -n $(ns gw) route show default | grep -q 'via $INET_WAN dev masq-wan0'"
check "lan0 and wan0 still carry no kernel IPv4 address" \
  sh -c "! ip -n $(ns gw) -4 -o addr show dev lan0 | grep -q inet && ! ip -n $(ns gw) -4 -o addr show dev wan0 | grep -q inet"
check "masqd installed its table inet $TABLE" nsx gw nft list table inet "$TABLE"

check "the gateway pings the server (through masq-wan0)" nsx gw ping -c 2 -W 2 "$SRV1"
check "the gateway pings lan1 (through masq-lan0)" nsx gw ping -c 2 -W 2 "$LAN1"

# A TCP service on the gateway itself, on every address.
nsbg gw gwsvc "$MQ_PY" "$MQ_TOOLS/peer_echo.py" --tcp "$GW_SVC_PORT"
wait_until 10 listening gw tcp "$GW_SVC_PORT" || e2e_abort "the gateway's service did not start"
seen=$(probe lan1 tcp "$GW_LAN" "$GW_SVC_PORT" 2>&1)
expect_eq "the gateway's service answers lan1 at the LAN address, seeing lan1 itself" \
  "$(addr_of "$seen")" "$LAN1"
check "the gateway's service gives the WAN nothing (no answer, no RST)" \
  probe srv tcp-silent "$GW_WAN" "$GW_SVC_PORT" --timeout 3

# LAN hosts hold UDP mappings from source ports inside the host's range
# (preserve_port would keep them), then the gateway fetches from the
# server with its local ports in that same span, then the LAN flows
# must still be answered: 2 x 100 flows.
nsx lan1 "$MQ_PY" "$MQ_TOOLS/probe.py" udp-many "$SRV1" "$ECHO_UDP_PORT" --sport 40000 --count 100 \
  --rounds 3 --pause 2 >"$MQ_DIR/lan1-flows.out" 2>&1 &
lan1_flows=$!
nsx lan2 "$MQ_PY" "$MQ_TOOLS/probe.py" udp-many "$SRV1" "$ECHO_UDP_PORT" --sport 40000 --count 100 \
  --rounds 3 --pause 2 >"$MQ_DIR/lan2-flows.out" 2>&1 &
lan2_flows=$!
sleep 1
fetched=$(nsx gw curl -sS --max-time 30 --local-port 40000-40099 -o "$MQ_DIR/gw-blob.bin" \
  -w '%{local_port}' "http://$SRV1:$HTTP_PORT/blob.bin" 2>&1)
want=$(cat "$MQ_DIR/www/blob.sha256")
got=$(sha256sum "$MQ_DIR/gw-blob.bin" 2>/dev/null | cut -d' ' -f1)
expect_eq "the gateway fetched 8 MB from the WAN server (sha256) from local port $fetched" "$got" "$want"
if wait "$lan1_flows" && wait "$lan2_flows"; then
  ok "every LAN flow was answered before, during and after the gateway's fetch"
else
  not_ok "every LAN flow was answered before, during and after the gateway's fetch"
  tail -n 3 "$MQ_DIR/lan1-flows.out" "$MQ_DIR/lan2-flows.out" | indent
fi
in_host_range=$(cat "$MQ_DIR/lan1-flows.out" "$MQ_DIR/lan2-flows.out" | awk -F: -v a="$HOST_FIRST" \
  -v b="$HOST_LAST" '$2 >= a && $2 <= b' | wc -l)
mappings=$(cat "$MQ_DIR/lan1-flows.out" "$MQ_DIR/lan2-flows.out" | grep -c "^$GW_WAN:" || true)
expect_eq "200 LAN flows mapped to the WAN address" "$mappings" 200
expect_eq "no NAT mapping in the host's ports $HOST_FIRST-$HOST_LAST" "$in_host_range" 0
to_host=$(masqd_counter router wan_to_host)
if [ "${to_host:-0}" -gt 100 ]; then
  ok "masqd handed the fetch to masq-wan0 ($to_host frames)"
else
  not_ok "masqd handed the fetch to masq-wan0: ${to_host:-none} frames"
fi

gw_stop && ok "masqd stopped" || not_ok "masqd stopped"
check "masqd removed its table at exit" sh -c "! ip netns exec $(ns gw) nft list table inet $TABLE"
check "the host interfaces went with masqd" sh -c "! ip -n $(ns gw) link show masq-lan0"
