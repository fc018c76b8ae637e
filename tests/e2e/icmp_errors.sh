#!/usr/bin/env bash
# ICMP errors translated both ways (RFC 5508 REQ-4, REQ-5; RFC 4787 REQ-12;
# RFC 5382 REQ-9):
#  - from outside: UDP to a closed port of the server draws port unreachable,
#    which must reach lan1's socket (ECONNREFUSED on a connected socket);
#    TCP to a port the server rejects with admin-prohibited fails at once;
#  - from inside: lan1 answers the server's datagram to its closed port with
#    port unreachable; the server's socket must see it, and nothing on the
#    WAN may carry a private address;
#  - traceroute with UDP, ICMP and TCP probes lists every hop, the gateway's
#    own time-exceeded first (RFC 5508 REQ-10).
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
e2e_setup

check "UDP to the server's closed port $CLOSED_UDP_PORT: lan1 gets port unreachable" \
  probe lan1 udp-refused "$SRV1" "$CLOSED_UDP_PORT"

nsx srv nft -f - <<EOF_NFT
table ip reject_test {
  chain input {
    type filter hook input priority filter; policy accept;
    tcp dport $CLOSED_UDP_PORT reject with icmp type admin-prohibited
  }
}
EOF_NFT
out=$(probe lan1 tcp "$SRV1" "$CLOSED_UDP_PORT" --timeout 3)
expect_eq "TCP to a port the server rejects with ICMP admin-prohibited fails at once" \
  "$out" "error: [Errno 113] No route to host"

cap_start wan inet up0 icmp || e2e_abort "tcpdump on the WAN link"
nsbg srv reflect "$MQ_PY" "$MQ_TOOLS/probe.py" reflect-refused --port 6000 --delay 1
# The probe needs the socket bound before lan1 sends.
wait_until 5 listening srv udp 6000 || not_ok "reflect-refused did not start"
probe lan1 udp-send "$SRV1" 6000 --sport 40004 >/dev/null
reflect_pid=$(cat "$MQ_DIR/reflect.pid")
wait "$reflect_pid" && rc=0 || rc=$?
if [ "$rc" -eq 0 ]; then
  ok "server's datagram to lan1's closed port: the server gets port unreachable ($(paste -sd' ' "$MQ_DIR/reflect.log"))"
else
  not_ok "server's datagram to lan1's closed port: the server gets port unreachable: $(paste -sd' ' "$MQ_DIR/reflect.log")"
fi
cap_stop wan
if cap_show wan | grep -qE "^ +$GW_WAN > $SRV1: ICMP $GW_WAN udp port [0-9]+ unreachable"; then
  ok "the error crossed the WAN from $GW_WAN, quoting the public mapping"
else
  not_ok "no port unreachable from $GW_WAN about $GW_WAN on the WAN; seen:"
  cap_show wan | head -n 12 | indent
fi
if cap_show wan | grep -q '192\.168\.77\.'; then
  not_ok "an ICMP message on the WAN carries a private address:"
  cap_show wan | grep -B1 -A1 '192\.168\.77\.' | head -n 12 | indent
else
  ok "no ICMP message on the WAN carries a private address"
fi

# check_traceroute DESC ARGS...: traceroute must list every hop; when it
# does not, the ICMP seen on the LAN and on the WAN meanwhile is shown.
check_traceroute() {
  local desc=$1 hops
  shift
  cap_start tr-lan sw br0 icmp
  cap_start tr-wan inet up0 "icmp or arp"
  hops=$(nsx lan1 traceroute -n -q 1 -w 2 -m 5 "$@" "$SRV1" 2>&1 | awk 'NR > 1 { print $2 }' | paste -sd' ')
  cap_stop tr-lan
  cap_stop tr-wan
  expect_eq "$desc" "$hops" "$GW_LAN $INET_WAN $SRV1"
  if [ "$hops" != "$GW_LAN $INET_WAN $SRV1" ]; then
    echo "    LAN side:"
    tcpdump -n -r "$MQ_DIR/tr-lan.pcap" 2>/dev/null | head -n 20 | indent
    echo "    WAN side:"
    tcpdump -n -e -r "$MQ_DIR/tr-wan.pcap" 2>/dev/null | head -n 20 | indent
  fi
}
check_traceroute "traceroute (UDP probes) lists every hop"
check_traceroute "traceroute -I (ICMP echo probes) lists every hop" -I
check_traceroute "traceroute -T (TCP SYN probes to port $HTTP_PORT) lists every hop" -T -p "$HTTP_PORT"
