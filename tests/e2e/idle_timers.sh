#!/usr/bin/env bash
# The default timers, waited out (label "slow": 125 s), both at once:
# - RFC 4787 REQ-5: lan1 makes a UDP mapping with one exchange with the
#   server, then stays silent; 125 s later the server sends to that mapping
#   from its other address (RFC 5780's test, allowed by the default EIF),
#   and lan1 must get it.
# - RFC 5508 REQ-2: an echo reply that comes 58 s after its request still
#   reaches the pinging host (the ICMP query timer must not be below 60 s).
#   The server's kernel is kept from answering; a raw socket there answers
#   the translated request itself, 58 s late.
# masqd only: the kernel forgets a one-exchange UDP flow after 30 s
# (nf_conntrack_udp_timeout), below the RFC's 2 minutes, and an ICMP flow
# after 30 s (nf_conntrack_icmp_timeout).
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the kernel's UDP and ICMP timeouts are 30 s"
e2e_setup

LATE_S=58
ECHO_ID=19793
nsx srv sysctl -qw net.ipv4.icmp_echo_ignore_all=1 || e2e_abort "cannot silence the server's kernel"

# The answering side: takes the first echo request to SRV1, waits, replies
# with its identifier, sequence and data (RFC 792) from SRV1.
nsbg srv late "$MQ_PY" -c "
import socket, struct, sys, time
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.bind(('$SRV1', 0))
s.settimeout(20)
print('listening', flush=True)
while True:
    pkt, peer = s.recvfrom(4096)
    ihl = (pkt[0] & 15) * 4
    icmp = pkt[ihl:]
    if icmp[0] == 8 and socket.inet_ntoa(pkt[16:20]) == '$SRV1':
        break
ident, seq = struct.unpack('!HH', icmp[4:8])
print(f'request id {ident} from {peer[0]}', flush=True)
time.sleep($LATE_S)
reply = struct.pack('!BBHHH', 0, 0, 0, ident, seq) + icmp[8:]
reply = reply[:2] + struct.pack('!H', csum(reply)) + reply[4:]
s.sendto(reply, (peer[0], 0))
print('replied', flush=True)
"
wait_until 5 grep -q listening "$MQ_DIR/late.log" || e2e_abort "the server's responder did not start"

nsbg lan1 ping "$MQ_PY" -c "
import socket, struct, sys, time
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
req = struct.pack('!BBHHH', 8, 0, 0, $ECHO_ID, 1) + b'late-reply-test!'
req = req[:2] + struct.pack('!H', csum(req)) + req[4:]
s.sendto(req, ('$SRV1', 0))
start = time.monotonic()
deadline = start + $LATE_S + 20
while time.monotonic() < deadline:
    s.settimeout(deadline - time.monotonic())
    try:
        pkt, peer = s.recvfrom(4096)
    except socket.timeout:
        break
    icmp = pkt[(pkt[0] & 15) * 4:]
    if icmp[0] == 0 and struct.unpack('!H', icmp[4:6])[0] == $ECHO_ID and peer[0] == '$SRV1':
        print(f'reply after {time.monotonic() - start:.0f} s', flush=True)
        sys.exit(0)
print('no reply', flush=True)
sys.exit(1)
"

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
wait "$(cat "$MQ_DIR/ping.pid")" && rc=0 || rc=$?
said="lan1: $(paste -sd';' "$MQ_DIR/ping.log"); server: $(paste -sd';' "$MQ_DIR/late.log")"
if [ "$rc" -eq 0 ]; then
  ok "an echo reply $LATE_S s after its request reaches lan1: $said"
else
  not_ok "an echo reply $LATE_S s after its request reaches lan1: $said"
fi
