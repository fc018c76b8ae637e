#!/usr/bin/env bash
# Malformed IPv4 from a LAN host reaches masqd, which drops it and counts
# it under its own reason (masqctl counters --json), while the flows that
# were already established go on working. lan1 sends each class with scapy
# (scripts/testnet/send_malformed.py) straight to the gateway's MAC; the
# LAN switch is a plain wire (bridge netfilter off, scripts/testnet/lib.sh),
# so what is counted here is masqd's own verdict, not the switch's.
#
# The router parses every packet first and counts the parser's refusals
# (router.drops.<reason>: truncated, bad_version, bad_ihl,
# bad_total_length, bad_ip_checksum, bad_ip_options, truncated_l4,
# bad_tcp_offset, bad_udp_length); the engine decides what is wrong in an
# ICMP error (nat.drops.icmp_error_about_error, RFC 5508 §4.3 / RFC 1122
# §3.2.2: no error about an error). A datagram followed by link padding is
# not malformed and must be answered. The kernel reference has no such
# counters: skipped there.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "reads masqd's drop counters; the kernel reference has none"
e2e_setup

COUNT=3
UDP_SPORT=40010
TCP_SPORT=40011

mapping=$(probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport "$UDP_SPORT") ||
  e2e_abort "UDP echo through the gateway before any malformed packet: $mapping"
ok "UDP flow from lan1:$UDP_SPORT established, mapped to $mapping"
# A TCP connection kept open (echoing both ways every 0.2 s) across every class.
nsbg lan1 tcp-hold "$MQ_PY" "$MQ_TOOLS/probe.py" tcp "$SRV1" "$ECHO_TCP_PORT" \
  --sport "$TCP_SPORT" --hold 25 --timeout 3
tcp_hold_pid=$(cat "$MQ_DIR/tcp-hold.pid")

counter_at_least() { [ "$(masqd_counter "$1" "$2")" -ge "$3" ]; }

# malformed CLASS GROUP REASON: lan1 sends COUNT packets of CLASS; masqd must
# count exactly COUNT more under GROUP.REASON, and the UDP flow must still
# be answered through the same mapping.
malformed() {
  local class=$1 group=$2 reason=$3 before after sent now
  before=$(masqd_counter "$group" "$reason")
  if ! sent=$(nsx lan1 "$MQ_PY" "$MQ_TOOLS/send_malformed.py" "$class" "$SRV1" \
    --gateway "$GW_LAN" --src "$LAN1" --count "$COUNT" 2>&1); then
    not_ok "$class: send_malformed.py failed: $sent"
    return
  fi
  # Counters are published between batches: wait for them, then check
  # that nothing else was counted there.
  wait_until 5 counter_at_least "$group" "$reason" $((before + COUNT))
  after=$(masqd_counter "$group" "$reason")
  expect_eq "$class ($sent): masqd counted $group.$reason" "$((after - before))" "$COUNT"
  now=$(probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport "$UDP_SPORT")
  expect_eq "after $class, the established UDP flow is answered through its mapping" "$now" "$mapping"
}

# Truncated headers: an IPv4 header of 16 bytes, and a UDP header of 4.
# The test network's veths do not pad frames to the Ethernet minimum; on a
# link that does, the cut header is read with the padding as its end.
malformed truncated router.drops truncated
malformed truncated_padded router.drops bad_ip_checksum
malformed truncated_l4 router.drops truncated_l4
malformed bad_version router.drops bad_version
# IHL below 5, and beyond the bytes present.
malformed bad_ihl router.drops bad_ihl
malformed bad_ihl_long router.drops bad_ihl
# Total length past the bytes, and below the header's own 20.
malformed total_too_large router.drops bad_total_length
malformed total_too_small router.drops bad_total_length
malformed bad_ip_checksum router.drops bad_ip_checksum
malformed bad_ip_options router.drops bad_ip_options
malformed bad_tcp_offset router.drops bad_tcp_offset
malformed bad_tcp_offset_long router.drops bad_tcp_offset
malformed bad_udp_length router.drops bad_udp_length
malformed bad_udp_length_long router.drops bad_udp_length
malformed icmp_error_about_error nat.drops icmp_error_about_error

# Bytes past the total length are link padding, not part of the datagram
# (RFC 894): the datagram is translated and answered.
check "a UDP datagram followed by 20 bytes of padding is translated and answered" \
  nsx lan1 "$MQ_PY" "$MQ_TOOLS/send_malformed.py" padded "$SRV1" --gateway "$GW_LAN" \
  --src "$LAN1" --sport 40012 --dport "$ECHO_UDP_PORT" --count 1 --expect-reply

if wait "$tcp_hold_pid"; then
  ok "the TCP connection opened before kept echoing both ways throughout"
else
  not_ok "the TCP connection opened before broke: $(paste -sd' ' "$MQ_DIR/tcp-hold.log")"
fi
