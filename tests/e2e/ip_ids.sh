#!/usr/bin/env bash
# IPv4 IDs (RFC 7857 §11, RFC 6864): lan1 and lan2 each send a fragmented
# UDP datagram with the same IP ID to one server, behind one external
# address. Masq reassembles each, gives each an ID of its own and cuts it
# again for the 1280-byte WAN link: the server must get both whole, and the
# fragments it sees carry two IDs, one per datagram. The kernel's NAT keeps
# the hosts' IDs, so the ID check applies to masqd only.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
WAN_MTU=1280
e2e_setup

PORT=6002
ID=4242
# The gateway knows its WAN next hop first: a reassembled datagram does not
# wait in the ARP queue (arp_queue_too_large).
check "lan1 pings the server" nsx lan1 ping -c 1 -W 2 "$SRV1"
nsbg srv sink "$MQ_PY" "$MQ_TOOLS/same_id_fragments.py" receive --bind "$SRV1" --port "$PORT" --tags 1 2
wait_until 10 listening srv udp "$PORT" || e2e_abort "the receiver did not start"
cap_start ids srv eth0 "src host $GW_WAN and (udp port $PORT or ip[6:2] & 0x1fff != 0)" ||
  e2e_abort "tcpdump did not start"

for host in 1 2; do
  check "lan$host sends 3000 bytes as fragments with id $ID" \
    nsx "lan$host" "$MQ_PY" "$MQ_TOOLS/same_id_fragments.py" send --dst "$SRV1" --port "$PORT" \
    --sport 40100 --ip-id "$ID" --tag "$host"
done
sink_pid=$(cat "$MQ_DIR/sink.pid")
wait "$sink_pid" && rc=0 || rc=$?
cap_stop ids
said=$(paste -sd';' "$MQ_DIR/sink.log")
if [ "$rc" -eq 0 ]; then
  ok "both datagrams reach the server whole: $said"
else
  not_ok "both datagrams reach the server whole: $said"
fi

# tcpdump -v prints "id N, offset O, flags [...]" for every fragment.
ids=$(cap_show ids | grep -o 'id [0-9]*,' | sort -u | wc -l)
frags=$(cap_count ids)
expect_eq "fragments the server saw from $GW_WAN (two datagrams cut for MTU $WAN_MTU)" "$frags" 6
if is_masqd; then
  expect_eq "distinct IDs among them: one per datagram" "$ids" 2
else
  skip_check "distinct IDs among them" "the kernel's NAT keeps the hosts' IDs"
fi
