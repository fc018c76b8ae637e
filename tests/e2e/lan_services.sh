#!/usr/bin/env bash
# Services on the gateway for its LAN, through masqd's LAN host interface:
# dnsmasq bound to masq-lan0 hands lan2 its address and the gateway as
# router and DNS server (udhcpc), answers a name, and lan2 then reaches the
# server by that name through the NAT. A host without a reservation gets
# one from the dynamic range.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "host interfaces are masqd's"
command -v dnsmasq >/dev/null || e2e_skip "dnsmasq is not installed (scripts/install-deps.sh)"
command -v udhcpc >/dev/null || e2e_skip "udhcpc is not installed (scripts/install-deps.sh)"
e2e_setup

lan_services_start || e2e_abort "dnsmasq did not start on masq-lan0"
check "dnsmasq on the gateway listens on masq-lan0 only" \
  sh -c "ip netns exec $(ns gw) ss -Hlun 'sport = :67' | grep -q masq-lan0"

check "lan2 takes a lease from the gateway with udhcpc" lan_dhcp lan2
check "lan2 has its reserved address from the lease" \
  sh -c "ip -n $(ns lan2) -4 -o addr show dev eth0 | grep -q ' $LAN2/24 '"
check "lan2's default route is the gateway" \
  sh -c "ip -n $(ns lan2) route show default | grep -q 'via $GW_LAN'"
expect_eq "the lease names the gateway as DNS server" "$(cat "$MQ_DIR/lan2.dns" 2>&1)" "$GW_LAN"

resolved=$(nsx lan2 busybox nslookup "$DHCP_NAME" "$GW_LAN" 2>&1 | awk '/^Address/ {a=$NF} END {print a}')
expect_eq "lan2 resolves $DHCP_NAME through the gateway's DNS" "$resolved" "$SRV1"
seen=$(probe lan2 udp "$resolved" "$ECHO_UDP_PORT" 2>&1)
expect_eq "lan2 reaches the server by name through the NAT (the server sees the WAN address)" \
  "$(addr_of "$seen")" "$GW_WAN"
check "lan2 fetches from the server by name" \
  nsx lan2 curl -sS --max-time 10 -o /dev/null "http://$resolved:$HTTP_PORT/"

# A host with no reservation: a third MAC on lan1's link gets a dynamic address.
ip -n "$(ns lan1)" link add dhcp0 link eth0 type macvlan mode bridge
ip -n "$(ns lan1)" link set dhcp0 up
if nsx lan1 env UDHCPC_DNS_FILE="$MQ_DIR/dhcp0.dns" udhcpc -i dhcp0 -f -q -n -t 5 -T 2 \
  -s "$MQ_TOOLS/udhcpc.script" >"$MQ_DIR/dhcp0.log" 2>&1; then
  got=$(ip -n "$(ns lan1)" -4 -o addr show dev dhcp0 | awk '{print $4}')
  case ${got%/*} in
  192.168.77.1[0-4][0-9] | 192.168.77.150) ok "a host without a reservation gets $got from the range" ;;
  *) not_ok "a host without a reservation gets an address from the range: got '$got'" ;;
  esac
else
  not_ok "a host without a reservation gets a lease"
  indent <"$MQ_DIR/dhcp0.log"
fi
check "dnsmasq recorded both leases" test "$(wc -l <"$MQ_DIR/dnsmasq.leases")" -eq 2
