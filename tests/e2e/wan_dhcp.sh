#!/usr/bin/env bash
# The WAN address by DHCP (masqd --wan wan0=dhcp): dnsmasq on the upstream
# router leases the gateway an address; masqd's own udhcpc on masq-wan0
# takes it, and masqd, told by the kernel (rtnetlink), translates with it.
# Then the lease moves to another address mid-run (the reservation changes,
# the client renews, is refused and asks again): new flows leave from the
# new address, the mappings on the old one are dropped and counted, and
# the gateway host itself still reaches the WAN, and NAT-PMP tells the LAN
# the new address (RFC 6886 §3.2.1). Last, a restart with [state]: the
# snapshot is read before any lease, and what is on the address the lease
# gives again comes back with it, a UDP flow with its external port.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the WAN lease is masqd's (the kernel gateway's address is static here)"
command -v dnsmasq >/dev/null || e2e_skip "dnsmasq is not installed (scripts/install-deps.sh)"
command -v udhcpc >/dev/null || e2e_skip "udhcpc is not installed (scripts/install-deps.sh)"
FIRST=203.0.113.21
SECOND=203.0.113.22
GW_WAN_DHCP=1
# The run directory e2e_setup will use, so that the snapshot is in it.
mq_set_net "mqe$$"
STATE=$MQ_DIR/state/masqd.state
GW_NAT_TOML=$'[state]\npath = "'$STATE$'"\n\n[pcp]\nenabled = true'
e2e_setup
wan_dhcp_start "$FIRST" || e2e_abort "dnsmasq did not start on the upstream router"

seen_from() { probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport "$1" 2>/dev/null; }
leased() { [ "$(addr_of "$(seen_from "$1")")" = "$2" ]; }

if wait_until 30 leased 40001 "$FIRST"; then
  ok "lan1's flow leaves from the leased address $FIRST"
else
  not_ok "lan1's flow leaves from the leased address $FIRST (seen: '$(seen_from 40001)')"
  indent <"$MQ_DIR/wan-dnsmasq.log"
fi
check "masqd said that it translated nothing without a lease" \
  grep -q "no DHCP lease; nothing is translated" "$MQ_DIR/masqd.log"
check "masqd logged the lease" grep -q "DHCP lease $FIRST/24 via $INET_WAN" "$MQ_DIR/masqd.log"
check "the gateway host reaches the server through its leased address" \
  nsx gw ping -c 1 -W 2 "$SRV1"
old_sessions=$(masqctl --json sessions | "$MQ_PY" -c '
import json, sys
print(sum(1 for s in json.load(sys.stdin)["sessions"] if s["external"].startswith("'"$FIRST"':")))')
expect_ne "sessions on $FIRST before the move" "$old_sessions" "0"

# The reservation moves; the client renews now instead of at T1, is
# refused (NAK: the address is not its own any more) and asks afresh.
pcp lan1 --timeout 40 listen --natpmp-ext "$SECOND" \
  >"$MQ_DIR/announce.out" 2>&1 &
LISTENER=$!
wan_dhcp_reserve "$SECOND"
client=$(pgrep -P "$MASQD_PID" udhcpc) || e2e_abort "masqd runs no udhcpc"
kill -USR1 "$client"
if wait_until 30 leased 40002 "$SECOND"; then
  ok "after the move, a new flow leaves from $SECOND"
else
  not_ok "after the move, a new flow leaves from $SECOND (seen: '$(seen_from 40002)')"
  indent <"$MQ_DIR/wan-dnsmasq.log"
fi
left=$(masqctl --json sessions | "$MQ_PY" -c '
import json, sys
print(sum(1 for s in json.load(sys.stdin)["sessions"] if s["external"].startswith("'"$FIRST"':")))')
expect_eq "no session is left on the old address $FIRST" "$left" "0"
dropped=$(masqd_counter nat sessions_readdressed)
expect_ne "the sessions on the old address were counted as readdressed" "$dropped" "0"
check "the gateway host reaches the server through its new address" \
  nsx gw ping -c 1 -W 2 "$SRV1"
check "the WAN host interface carries $SECOND only" \
  sh -c "[ \"\$(ip -n $(ns gw) -4 -o addr show dev masq-wan0 | awk '{print \$4}')\" = $SECOND/24 ]"
wait "$LISTENER" && rc=0 || rc=$?
if [ "$rc" -eq 0 ]; then
  ok "NAT-PMP announced the new address to the LAN ($(cat "$MQ_DIR/announce.out"))"
else
  not_ok "NAT-PMP announced the new address $SECOND to the LAN: $(cat "$MQ_DIR/announce.out")"
fi

# --- a restart: the state waits for the lease ---
before=$(seen_from 40020)
[ "$(addr_of "$before")" = "$SECOND" ] || not_ok "lan1's flow from 40020 leaves from $SECOND ($before)"
gw_stop || not_ok "masqd stopped cleanly"
gw_start "$GATEWAY" || e2e_abort "masqd did not start again"
restored() { grep -q "with the first DHCP lease" "$MQ_DIR/masqd.log"; }
if wait_until 30 restored; then
  # One line per worker that kept a part.
  line=$(grep -o "state: .*with the first DHCP lease.*" "$MQ_DIR/masqd.log" | head -1)
  if [[ $line =~ restored\ ([0-9]+)\ of ]] && ((BASH_REMATCH[1] >= 1)) &&
    [[ $line == *"refused: none"* ]]; then
    ok "the snapshot waited for the lease and came back with it ($line)"
  else
    not_ok "the snapshot came back with the lease: '$line'"
  fi
else
  not_ok "the snapshot came back with the first lease: $(grep 'state:' "$MQ_DIR/masqd.log")"
fi
check "masqd said the snapshot waited for the lease" \
  grep -q "wait for the first DHCP lease" "$MQ_DIR/masqd.log"
# Before lan1 sends again: the session is there, restored.
expect_eq "the UDP flow keeps its external endpoint across the restart" \
  "$(session_external udp "$LAN1:40020")" "$before"
expect_eq "... and its packets still get it" "$(seen_from 40020)" "$before"
