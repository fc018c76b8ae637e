#!/usr/bin/env bash
# Unsolicited traffic from the WAN: a SYN scan and a UDP scan of the public
# address, and SYNs sent straight to a LAN address by a neighbour on the WAN
# link (who routes 192.168.77.0/24 via the gateway). None of it may reach a
# LAN host (capture on the LAN switch), and the gateway must not answer the
# SYNs at all: no RST, no SYN-ACK, no ICMP, for at least 6 s after the scan
# (RFC 5382 REQ-4; RFC 4787 REQ-8 / 5382 REQ-3 filtering).
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
e2e_setup

cap_start lan sw br0 "ip and (tcp or udp or icmp) and not src net $LAN_PREFIX" || e2e_abort "tcpdump on the LAN switch"
cap_start wan inet up0 "ip and src host $GW_WAN" || e2e_abort "tcpdump on the WAN link"
scan_start=$SECONDS

# hping3 exits non-zero when nothing answers, which is the point.
nsx srv hping3 --syn --destport ++1 --count 300 --interval u1000 "$GW_WAN" >"$MQ_DIR/scan-syn.log" 2>&1
nsx srv hping3 --udp --destport ++1 --count 300 --interval u1000 "$GW_WAN" >"$MQ_DIR/scan-udp.log" 2>&1
ip -n "$(ns inet)" route add "$LAN_PREFIX" via "$GW_WAN"
nsx inet hping3 --syn --destport ++20 --count 20 --interval u10000 "$LAN1" >"$MQ_DIR/scan-lan.log" 2>&1
ip -n "$(ns inet)" route del "$LAN_PREFIX" via "$GW_WAN"

# The gateway may not answer the SYNs within 6 s of them (RFC 5382 REQ-4).
while ((SECONDS - scan_start < 7)); do sleep 0.2; done
cap_stop lan
cap_stop wan

leaked=$(cap_count lan)
if [ "$leaked" -eq 0 ]; then
  ok "no scan packet reached the LAN"
else
  not_ok "$leaked packets from outside reached the LAN:"
  cap_show lan | head -n 20 | indent
fi
answered_tcp=$(cap_count wan tcp)
if [ "$answered_tcp" -eq 0 ]; then
  ok "the gateway sent no TCP (RST or SYN-ACK) in answer to 320 SYNs"
else
  not_ok "the gateway answered the SYN scan with $answered_tcp TCP segments:"
  cap_show wan tcp | head -n 10 | indent
fi
answered_icmp_tcp=$(cap_count wan "icmp and icmp[28+9] == 6")
if [ "$answered_icmp_tcp" -eq 0 ]; then
  ok "the gateway sent no ICMP error about the SYNs within 6 s"
else
  not_ok "the gateway answered the SYN scan with $answered_icmp_tcp ICMP errors within 6 s:"
  cap_show wan icmp | head -n 10 | indent
fi
echo "# ICMP the gateway sent about the UDP scan (allowed): $(cap_count wan "icmp and icmp[28+9] == 17")"

if is_masqd; then
  check "masqctl counters answers after the scan" masqctl counters
else
  skip_check "masqctl counters answers after the scan" "the kernel reference has no masqctl"
fi
