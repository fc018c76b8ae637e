#!/usr/bin/env bash
# Two LAN hosts use the same source port towards the same server, over UDP
# and over TCP at the same time: both work and the server sees two different
# external endpoints (no port overloading: RFC 4787 REQ-3, RFC 5382 REQ-7).
# For masqd, the session table (masqctl) must name the same mappings.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
e2e_setup

# UDP: the server's answer is the mapping it saw.
m1=$(probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport 40000) || not_ok "lan1 UDP from port 40000 got no answer"
m2=$(probe lan2 udp "$SRV1" "$ECHO_UDP_PORT" --sport 40000) || not_ok "lan2 UDP from port 40000 got no answer"
expect_eq "lan1's UDP mapping is on the public address" "$(addr_of "$m1")" "$GW_WAN"
expect_eq "lan2's UDP mapping is on the public address" "$(addr_of "$m2")" "$GW_WAN"
expect_ne "the two UDP mappings differ" "$m1" "$m2"

# TCP: both connections held open together while their mappings are compared.
probe lan1 tcp "$SRV1" "$ECHO_TCP_PORT" --sport 40001 --hold 3 >"$MQ_DIR/t1.out" 2>&1 &
p1=$!
probe lan2 tcp "$SRV1" "$ECHO_TCP_PORT" --sport 40001 --hold 3 >"$MQ_DIR/t2.out" 2>&1 &
p2=$!
wait_until 3 grep -q : "$MQ_DIR/t1.out"
wait_until 3 grep -q : "$MQ_DIR/t2.out"

if is_masqd; then
  # While the flows are alive, masqctl must show each of them with the
  # external endpoint the server saw.
  expect_eq "masqctl: UDP session of lan1:40000" "$(session_external udp "$LAN1:40000")" "$m1"
  expect_eq "masqctl: UDP session of lan2:40000" "$(session_external udp "$LAN2:40000")" "$m2"
  t1=$(head -n 1 "$MQ_DIR/t1.out")
  t2=$(head -n 1 "$MQ_DIR/t2.out")
  expect_eq "masqctl: TCP session of lan1:40001" "$(session_external tcp "$LAN1:40001")" "$t1"
  expect_eq "masqctl: TCP session of lan2:40001" "$(session_external tcp "$LAN2:40001")" "$t2"
else
  skip_check "session table matches what the server saw" "the kernel reference has no masqctl"
fi

wait $p1 && r1=0 || r1=$?
wait $p2 && r2=0 || r2=$?
t1=$(head -n 1 "$MQ_DIR/t1.out")
t2=$(head -n 1 "$MQ_DIR/t2.out")
expect_eq "lan1's TCP connection from port 40001 carried data for 3 s" "$r1" 0
expect_eq "lan2's TCP connection from port 40001 carried data for 3 s" "$r2" 0
expect_eq "lan1's TCP mapping is on the public address" "$(addr_of "$t1")" "$GW_WAN"
expect_eq "lan2's TCP mapping is on the public address" "$(addr_of "$t2")" "$GW_WAN"
expect_ne "the two TCP mappings differ" "$t1" "$t2"
