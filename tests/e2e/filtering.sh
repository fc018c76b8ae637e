#!/usr/bin/env bash
# UDP filtering (RFC 4787 REQ-8) with a third host: lan1's socket asks SRV1
# for its mapping, then SRV2, another address that lan1 never talked to,
# sends to that mapping. Under masqd's default endpoint-independent
# filtering it arrives (application transparency); with
# `[nat.udp] filtering = "adf"` it is dropped, while SRV1 from another
# port still gets through. The kernel's NAT filters per connection, so
# this test is for masqd only.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the kernel reference filters address-and-port-dependently"
e2e_setup

# lan1: learn the mapping from SRV1's echo (first line out), then report
# the first datagram from anyone but that echo service (second line).
LISTENER='
import socket, sys
srv1, echo_port, sport = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", sport))
s.settimeout(1.0)
for _ in range(3):
    s.sendto(b"probe\n", (srv1, echo_port))
    try:
        print(s.recvfrom(65536)[0].decode().strip(), flush=True)
        break
    except socket.timeout:
        pass
else:
    sys.exit(1)
s.settimeout(4.0)
try:
    while True:
        _, src = s.recvfrom(65536)
        if src != (srv1, echo_port):
            print(f"from {src[0]}:{src[1]}", flush=True)
            break
except socket.timeout:
    print("nothing", flush=True)
'

# The srv node sends from ADDR:PORT to the mapping IP:PORT, a few times.
SENDER='
import socket, sys, time
src, sport, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((src, sport))
for _ in range(5):
    s.sendto(b"hello from a stranger\n", (dst.rsplit(":", 1)[0], int(dst.rsplit(":", 1)[1])))
    time.sleep(0.2)
'

# from_stranger OUT SPORT SRC_ADDR SRC_PORT: one listener on lan1:SPORT,
# one sender from SRC_ADDR:SRC_PORT once the mapping is known; OUT gets
# the listener's two lines.
from_stranger() {
  local out=$1 sport=$2 src=$3 src_port=$4 pid mapping
  nsx lan1 "$MQ_PY" -c "$LISTENER" "$SRV1" "$ECHO_UDP_PORT" "$sport" >"$out" 2>&1 &
  pid=$!
  if ! wait_until 5 grep -q : "$out"; then
    wait "$pid"
    return 1
  fi
  mapping=$(head -n 1 "$out")
  nsx srv "$MQ_PY" -c "$SENDER" "$src" "$src_port" "$mapping"
  wait "$pid"
}

# Default: UDP EIM + EIF.
from_stranger "$MQ_DIR/eif.out" 41000 "$SRV2" 5555 || not_ok "lan1 learned no mapping from SRV1"
expect_eq "EIF: the mapping is on the public address" "$(addr_of "$(head -n 1 "$MQ_DIR/eif.out")")" "$GW_WAN"
expect_eq "EIF: SRV2, never contacted, reaches lan1's mapping" "$(sed -n 2p "$MQ_DIR/eif.out")" \
  "from $SRV2:5555"

# ADF: only addresses the mapping talks to.
gw_stop || not_ok "gateway stopped for the restart"
GW_NAT_TOML=$'[nat.udp]\nfiltering = "adf"'
gw_start "$GATEWAY" || e2e_abort "the gateway did not start with filtering = adf"
from_stranger "$MQ_DIR/adf.out" 41001 "$SRV2" 5555 || not_ok "lan1 learned no mapping from SRV1 (adf)"
expect_eq "ADF: SRV2 is filtered out" "$(sed -n 2p "$MQ_DIR/adf.out")" "nothing"
from_stranger "$MQ_DIR/adf_known.out" 41002 "$SRV1" 5556 ||
  not_ok "lan1 learned no mapping from SRV1 (adf, known address)"
expect_eq "ADF: SRV1 from another port gets through" "$(sed -n 2p "$MQ_DIR/adf_known.out")" \
  "from $SRV1:5556"
