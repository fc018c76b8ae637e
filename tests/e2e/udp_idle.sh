#!/usr/bin/env bash
# RFC 4787 REQ-5 with the default timers (label "slow": it waits 125 s).
# lan1 makes a UDP mapping with one exchange with the server, then stays
# silent; 125 s later the server sends to that mapping from its other
# address (RFC 5780's test, allowed by the default EIF), and lan1 must get
# it. masqd only: the kernel forgets a one-exchange UDP flow after 30 s
# (nf_conntrack_udp_timeout), below the RFC's 2 minutes.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the kernel's UDP timeout for a one-exchange flow is 30 s"
e2e_setup

IDLE_S=125
nsbg lan1 idle "$MQ_PY" -c "
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('0.0.0.0', 40200))
s.settimeout(5)
s.sendto(b'hello', ('$SRV1', $ECHO_UDP_PORT))
mapped = s.recvfrom(2048)[0].decode().strip()
print('mapped', mapped, flush=True)
start = time.monotonic()
s.settimeout($IDLE_S + 20)
try:
    data, peer = s.recvfrom(2048)
except socket.timeout:
    print('nothing', flush=True)
    sys.exit(1)
print(f'late {data.decode()} from {peer[0]}:{peer[1]} after {time.monotonic() - start:.0f} s', flush=True)
"
wait_until 10 grep -q '^mapped' "$MQ_DIR/idle.log" || e2e_abort "no first exchange: $(cat "$MQ_DIR/idle.log")"
mapped=$(grep '^mapped' "$MQ_DIR/idle.log" | cut -d' ' -f2)
start=$SECONDS
# Waiting is the test: poll the clock, nothing else moves.
while ((SECONDS - start < IDLE_S)); do sleep 1; done
nsx srv "$MQ_PY" -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('$SRV2', 6100))
s.sendto(b'still-there', ('$(addr_of "$mapped")', $(port_of "$mapped")))"
wait "$(cat "$MQ_DIR/idle.pid")" && rc=0 || rc=$?
said=$(paste -sd';' "$MQ_DIR/idle.log")
if [ "$rc" -eq 0 ]; then
  ok "the mapping $mapped took a datagram after $IDLE_S s idle: $said"
else
  not_ok "the mapping $mapped took a datagram after $IDLE_S s idle: $said"
fi
