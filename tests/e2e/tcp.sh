#!/usr/bin/env bash
# TCP through the NAT (RFC 5382), with real sockets on both ends:
# - EIM (REQ-1): one source port to SRV1 and SRV2 is seen from one mapping;
# - simultaneous open (REQ-2a): lan1 and the server connect() to each other
#   at once; the server's first SYN arrives before lan1's and is dropped
#   silently (REQ-4), its retransmission crosses lan1's SYN and both ends
#   open and exchange data;
# - RST (RFC 7857 §3.3): a connect() to a closed server port is refused at
#   once, the server's RST translated back;
# - ICMP for TCP (RFC 5508 REQ-3, RFC 5382 REQ-9): the server's firewall
#   answers a SYN with ICMP host unreachable; the error, translated back
#   with its quote, fails lan1's connect() with EHOSTUNREACH (a RST could
#   only give "refused");
# - under EIF ([nat.tcp] filtering = "eif", masqd only) a SYN from a third
#   host (SRV2) to lan1's mapping reaches lan1 (RFC 5382 REQ-3).
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
# One worker: the test names external ports in advance (a kept source
# port, a suggested port), and with several workers a port is kept only
# inside the slice of the host's worker (docs/architecture.md, "Workers and
# steering"). The ports are below the gateway host's range (32768-60999 by
# default), which the NAT never hands out.
GW_WORKERS=1
e2e_setup

moves() {
  local node=$1
  shift
  nsx "$node" "$MQ_PY" "$MQ_TOOLS/tcp_moves.py" "$@"
}

one=$(moves lan1 connect "$SRV1" "$ECHO_TCP_PORT" --sport 41000 2>&1)
two=$(moves lan1 connect "$SRV2" "$ECHO_TCP_PORT" --sport 41000 2>&1)
expect_eq "one source port to two servers: one mapping (EIM)" "$two" "$one"

nsbg srv crossing "$MQ_PY" "$MQ_TOOLS/tcp_moves.py" open "$GW_WAN" 22000 --sport 43000 --answer --timeout 15
sleep 0.5
check "simultaneous open: lan1's side" moves lan1 open "$SRV1" 43000 --sport 22000 --timeout 15
wait "$(cat "$MQ_DIR/crossing.pid")" && rc=0 || rc=$?
if [ "$rc" -eq 0 ]; then
  ok "simultaneous open: the server's side ($(cat "$MQ_DIR/crossing.log"))"
else
  not_ok "simultaneous open: the server's side: $(cat "$MQ_DIR/crossing.log")"
fi

check "a closed server port refuses at once (RST translated)" \
  moves lan1 refused "$SRV1" "$CLOSED_UDP_PORT" --timeout 3

# The server's own firewall answers this port's SYNs with an ICMP error.
UNREACHABLE_TCP_PORT=45000
nsx srv nft -f - <<EOF || e2e_abort "cannot install the server's reject rule"
table ip mq_reject {
  chain input {
    type filter hook input priority 0;
    tcp dport $UNREACHABLE_TCP_PORT reject with icmp type host-unreachable
  }
}
EOF
check "ICMP host unreachable for a SYN reaches the client (connect fails EHOSTUNREACH)" \
  moves lan1 unreachable "$SRV1" "$UNREACHABLE_TCP_PORT" --timeout 5

if ! is_masqd; then
  skip_check "EIF for TCP: a third host reaches the mapping" "filtering is a masqd setting"
  exit 0
fi
gw_stop || not_ok "masqd stopped cleanly before the EIF run"
GW_NAT_TOML=$'[nat.tcp]\nfiltering = "eif"'
gw_start "$GATEWAY" || e2e_abort "masqd did not start with TCP EIF"
nsbg lan1 listener "$MQ_PY" "$MQ_TOOLS/tcp_moves.py" accept --port 44000 --timeout 15
wait_until 5 grep -q listening "$MQ_DIR/listener.log" || e2e_abort "lan1's listener did not start"
# The mapping lives while this connection does.
nsbg lan1 holder "$MQ_PY" "$MQ_TOOLS/tcp_moves.py" connect "$SRV1" "$ECHO_TCP_PORT" --sport 44000 --hold 10
wait_until 5 grep -q : "$MQ_DIR/holder.log" || e2e_abort "lan1 made no mapping: $(cat "$MQ_DIR/holder.log")"
mapped=$(head -n 1 "$MQ_DIR/holder.log")
check "SRV2 connects to lan1's mapping $mapped" nsx srv "$MQ_PY" -c "
import socket
s = socket.socket(); s.bind(('$SRV2', 0)); s.settimeout(5)
s.connect(('$(addr_of "$mapped")', $(port_of "$mapped")))"
wait "$(cat "$MQ_DIR/listener.pid")" && rc=0 || rc=$?
if [ "$rc" -eq 0 ]; then
  ok "lan1 accepted the third host: $(grep accepted "$MQ_DIR/listener.log")"
else
  not_ok "lan1 accepted the third host: $(cat "$MQ_DIR/listener.log")"
fi
