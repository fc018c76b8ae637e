#!/usr/bin/env bash
# Real traffic through PCP mappings, with [pcp] allow_third_party = true:
# lan1 asks, with THIRD_PARTY (RFC 6887
# §13.1), for a TCP mapping to lan2's web server, and curl on the server
# fetches a page from lan2 through it; lan1 maps its own UDP port, and
# socat on the server sends a datagram through it to socat on lan1.
# (pcp.sh checks that THIRD_PARTY is refused when the config does not
# allow it.)
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the kernel's NAT has no PCP server"
# Two workers, lan1 and lan2 on different ones (as workers.sh shows): the
# THIRD_PARTY request goes to lan2's worker, which makes the mapping where
# lan2's answers are steered (apps/masqd/pcp_hand_off.hpp); made in lan1's,
# lan2's SYN-ACK would find no session and curl would fail.
GW_WORKERS=2
GW_NAT_TOML=$'[pcp]\nenabled = true\nallow_third_party = true'
e2e_setup

WEB_PORT=8000
UDP_PORT=9000

mkdir -p "$MQ_DIR/www"
echo "served by lan2 through a PCP mapping" >"$MQ_DIR/www/page.txt"
nsbg lan2 web "$MQ_PY" -m http.server --bind "$LAN2" --directory "$MQ_DIR/www" "$WEB_PORT"
wait_until 10 listening lan2 tcp "$WEB_PORT" || e2e_abort "lan2's web server did not start"
nsbg lan1 udp-sink socat -u "UDP4-RECV:$UDP_PORT" "OPEN:$MQ_DIR/udp.got,creat,append"
wait_until 10 listening lan1 udp "$UDP_PORT" || e2e_abort "lan1's socat did not start"

# TCP, for another host.
out=$(pcp lan1 map --proto tcp --port "$WEB_PORT" --third-party "$LAN2")
check "THIRD_PARTY, allowed: lan1 maps lan2's web server" grep -q "result=success ext=$GW_WAN:" \
  <<<"$out"
web=$(ext_port_of "$out")
page=$(nsx srv curl -sS --max-time 10 "http://$GW_WAN:${web:-1}/page.txt" 2>&1)
expect_eq "curl on the server fetches lan2's page through the mapping" "$page" \
  "served by lan2 through a PCP mapping"

# UDP, its own.
out=$(pcp lan1 map --proto udp --port "$UDP_PORT")
check "lan1 maps its UDP port" grep -q "result=success ext=$GW_WAN:" <<<"$out"
udp=$(ext_port_of "$out")
echo "datagram through a PCP mapping" | nsx srv socat -u - "UDP4-SENDTO:$GW_WAN:${udp:-1}"
if wait_until 5 grep -q "datagram through a PCP mapping" "$MQ_DIR/udp.got"; then
  ok "socat on the server reaches socat on lan1 through the mapping"
else
  not_ok "socat on the server reaches socat on lan1 through the mapping: '$(cat "$MQ_DIR/udp.got")'"
fi
