#!/usr/bin/env bash
# masqd owns the gateway's addresses: lan0 and wan0 carry no kernel IPv4
# address, masqd answers ARP for 192.168.77.1 and 203.0.113.1 with the
# interfaces' MACs, and it refuses to start on an interface that has a
# kernel IPv4 address (two IP stacks on one link would both answer).
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the kernel reference keeps its addresses in the kernel by design"
e2e_setup

for ifc in lan0 wan0; do
  expect_eq "$ifc carries no kernel IPv4 address" "$(ip -n "$(ns gw)" -4 -o addr show dev "$ifc")" ""
done

mac_of() { ip -n "$(ns "$1")" -o link show dev "$2" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2; }
neigh_of() { ip -n "$(ns "$1")" neigh show "$2" | grep -o 'lladdr [0-9a-f:]*' | cut -d' ' -f2; }
check "lan1 pings $GW_LAN" nsx lan1 ping -c 1 -W 2 "$GW_LAN"
check "the internet pings $GW_WAN" nsx inet ping -c 1 -W 2 "$GW_WAN"
expect_eq "lan1 learnt $GW_LAN at lan0's MAC" "$(neigh_of lan1 "$GW_LAN")" "$(mac_of gw lan0)"
expect_eq "the internet learnt $GW_WAN at wan0's MAC" "$(neigh_of inet "$GW_WAN")" "$(mac_of gw wan0)"

if gw_stop; then ok "masqd stopped on SIGTERM with status 0"; else not_ok "masqd stopped on SIGTERM with status 0"; fi
ip -n "$(ns gw)" addr add "$GW_LAN/24" dev lan0
nsx gw timeout 10 "$(masqd_bin)" --lan "lan0=$GW_LAN/24" --wan "wan0=$GW_WAN/$WAN_PREFIX_LEN" \
  --gateway "$INET_WAN" >"$MQ_DIR/refuse.log" 2>&1 && rc=0 || rc=$?
case $rc in
0) not_ok "masqd started although lan0 has a kernel IPv4 address" ;;
124) not_ok "masqd ran for 10 s although lan0 has a kernel IPv4 address" ;;
*)
  if grep -q lan0 "$MQ_DIR/refuse.log"; then
    ok "masqd refuses lan0 with a kernel address (status $rc): $(head -n 1 "$MQ_DIR/refuse.log")"
  else
    not_ok "masqd exited $rc but its message does not name lan0: $(head -n 3 "$MQ_DIR/refuse.log")"
  fi
  ;;
esac
