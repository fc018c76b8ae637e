#!/usr/bin/env bash
# Fragments through the NAT (RFC 4787 REQ-14: accept fragments in and out of
# order). Outbound, lan1's kernel fragments a 4000-byte UDP datagram and a
# 3000-byte echo request; inbound, the server answers through lan1's
# mapping with datagrams it cut into 4 fragments itself, once in order and
# once in reverse order, and with fragmented echo replies. lan1 must get
# every one of them whole.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
e2e_setup

FRAG_PORT=6001
check "3000-byte echoes to $SRV1 (fragmented both ways)" nsx lan1 ping -c 2 -i 0.2 -W 2 -s 3000 "$SRV1"

nsbg srv frags "$MQ_PY" "$MQ_TOOLS/send_fragments.py" --bind "$SRV1" --port "$FRAG_PORT" --bytes 4000
wait_until 10 listening srv udp "$FRAG_PORT" || e2e_abort "send_fragments.py did not start"
out=$(probe lan1 udp-fragments "$SRV1" "$FRAG_PORT" --sport 40005 --bytes 4000 --count 2 --timeout 10) && rc=0 || rc=$?
frags_pid=$(cat "$MQ_DIR/frags.pid")
wait "$frags_pid" && srv_rc=0 || srv_rc=$?
server_said=$(paste -sd';' "$MQ_DIR/frags.log")
if [ "$srv_rc" -eq 0 ]; then
  ok "lan1's fragmented 4000-byte datagram reached the server whole"
else
  not_ok "lan1's fragmented 4000-byte datagram reached the server whole: $server_said"
fi
if [ "$rc" -eq 0 ]; then
  ok "inbound fragments in order and reversed reach lan1 whole: $out"
else
  not_ok "inbound fragments in order and reversed reach lan1 whole: $out (server: $server_said)"
fi
