#!/usr/bin/env bash
# The gateway's own ICMP and IP options (RFC 1812 §4.3.2.8, RFC 7126):
#  - a TTL-1 flood from lan1 (hping3) draws no more time exceeded than the
#    per-host bucket allows (burst 6, then one a second: masqd's defaults,
#    which are Linux's icmp_ratelimit); masqd counts the rest as
#    router.icmp_errors_rate_limited;
#  - a loose source-routed datagram from lan1 never reaches the server
#    (masqd counts it as router.drops.source_route);
#  - a Record Route option from lan1 that holds an inside address reaches
#    the server with the option gone (NOPs), no private address in it.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
e2e_setup

PROBES=1500
BURST=6
PER_HOST_RATE=1

# Warm the path (ARP both ways) so the flood is the only thing measured.
probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport 40030 >/dev/null ||
  e2e_abort "UDP echo through the gateway before the flood"

limited_before=0
is_masqd && limited_before=$(masqd_counter router icmp_errors_rate_limited)
cap_start ttl sw br0 "icmp[0] == 11" || e2e_abort "tcpdump on the LAN switch"
start_ns=$(date +%s%N)
nsx lan1 hping3 -2 -q -c "$PROBES" -i u1000 -t 1 -p 33434 "$SRV1" >/dev/null 2>&1
end_ns=$(date +%s%N)
sleep 0.5
cap_stop ttl
errors=$(cap_count ttl)
# Whole seconds the flood lasted, rounded up, plus one for the capture's
# edges: the bucket refills one error per second after its burst.
seconds=$(((end_ns - start_ns + 999999999) / 1000000000 + 1))
bound=$((BURST + PER_HOST_RATE * seconds))
if [ "$errors" -ge 1 ] && [ "$errors" -le "$bound" ]; then
  ok "$PROBES TTL-1 probes in ${seconds}s drew $errors time exceeded (at most $bound)"
else
  not_ok "$PROBES TTL-1 probes in ${seconds}s drew $errors time exceeded, not 1..$bound"
fi
if is_masqd; then
  limited=$(($(masqd_counter router icmp_errors_rate_limited) - limited_before))
  if [ "$limited" -ge $((PROBES - bound)) ]; then
    ok "masqd counted $limited suppressed errors"
  else
    not_ok "masqd counted $limited suppressed errors, expected at least $((PROBES - bound))"
  fi
fi

# send_with_option KIND: three UDP datagrams from lan1 to the server's
# discard port, with a loose source route (via SRV2) or a Record Route
# option one of whose slots holds an inside address.
send_with_option() {
  nsx lan1 "$MQ_PY" - "$1" "$SRV1" "$SRV2" <<'PY'
import sys
from scapy.all import IP, UDP, IPOption_LSRR, IPOption_RR, conf, send
conf.verb = 0
kind, srv, via = sys.argv[1:4]
option = (IPOption_LSRR(routers=[via]) if kind == "lsrr"
          else IPOption_RR(pointer=8, routers=["192.168.77.254", "0.0.0.0"]))
send(IP(dst=srv, options=[option]) / UDP(sport=40031, dport=9) / b"options", count=3)
PY
}

dropped_before=0
is_masqd && dropped_before=$(masqd_counter router.drops source_route)
cap_start srv-lsrr srv eth0 "udp port 9" || e2e_abort "tcpdump on the server"
send_with_option lsrr || not_ok "scapy could not send the LSRR datagrams"
sleep 1
cap_stop srv-lsrr
expect_eq "no source-routed datagram from lan1 reaches the server" "$(cap_count srv-lsrr)" 0
if is_masqd; then
  expect_eq "masqd counted them as router.drops.source_route" \
    "$(($(masqd_counter router.drops source_route) - dropped_before))" 3
fi

cap_start srv-rr srv eth0 "udp port 9" || e2e_abort "tcpdump on the server"
send_with_option rr || not_ok "scapy could not send the Record Route datagrams"
sleep 1
cap_stop srv-rr
expect_eq "the Record Route datagrams reach the server" "$(cap_count srv-rr)" 3
if is_masqd; then
  if cap_show srv-rr | grep -q '192\.168\.77\.'; then
    not_ok "a private address reached the server inside an option:"
    cap_show srv-rr | head -n 6 | indent
  else
    ok "no private address reaches the server inside an option"
  fi
fi
