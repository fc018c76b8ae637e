#!/usr/bin/env bash
# PCP (RFC 6887) and NAT-PMP (RFC 6886) served by masqd on UDP 5351 of its
# LAN address. natpmpc (a real client) gets the external address, maps a
# UDP and a TCP port, is reached through them from the WAN and deletes a
# mapping; tests/e2e/pcp_client.py speaks PCP: MAP with and without a
# suggested port, conflicts, PEER, FILTER, THIRD_PARTY refused (the
# default; allowed: pcp_traffic.sh), ANNOUNCE (asked, and heard at
# start), hairpinning, expiry, hostile requests (answered with the right
# error or dropped, and counted) and a request from the WAN (dropped and
# counted); none of them disturbs the other mappings. UDP filtering is
# APDF, the strictest: only the mappings let strangers in.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the kernel's NAT has no PCP server"
# One worker: the test names external ports in advance (a kept source
# port, a suggested port), and with several workers a port is kept only
# inside the slice of the host's worker (docs/architecture.md, "Workers and
# steering"). The ports are below the gateway host's range (32768-60999 by
# default), which the NAT never hands out.
GW_WORKERS=1
GW_NAT_TOML=$'[nat.udp]\nfiltering = "apdf"\n\n[pcp]\nenabled = true\nmin_lifetime_s = 2'
e2e_setup

# pcp_counter NAME: a counter of the PCP server (masqctl counters, group pcp).
pcp_counter() { masqd_counter pcp "$1"; }

# Announcements (ten, 250 ms apart and doubling) are still due while the
# rest runs; lan1 listens for them from now on.
pcp lan1 --timeout 12 listen >"$MQ_DIR/announce.out" 2>&1 &
LISTENER=$!

# --- natpmpc ---
out=$(nsx lan1 natpmpc -g "$GW_LAN" 2>&1)
check "natpmpc: the external address is $GW_WAN" grep -q "Public IP address : $GW_WAN" <<<"$out"
out=$(nsx lan1 natpmpc -g "$GW_LAN" -a 0 "$LAN_SVC_PORT" udp 60 2>&1)
udp_port=$(sed -n 's/.*Mapped public port \([0-9]*\) protocol UDP.*/\1/p' <<<"$out")
expect_ne "natpmpc: a UDP map is granted" "${udp_port:-none}" "none"
seen=$(probe srv udp "$GW_WAN" "${udp_port:-1}") || true
expect_eq "UDP from the WAN reaches lan1 through the NAT-PMP mapping" "$(addr_of "$seen")" "$SRV1"
out=$(nsx lan1 natpmpc -g "$GW_LAN" -a 0 "$LAN_SVC_PORT" tcp 60 2>&1)
tcp_port=$(sed -n 's/.*Mapped public port \([0-9]*\) protocol TCP.*/\1/p' <<<"$out")
expect_ne "natpmpc: a TCP map is granted" "${tcp_port:-none}" "none"
seen=$(probe srv tcp "$GW_WAN" "${tcp_port:-1}") || true
expect_eq "TCP from the WAN reaches lan1 through the NAT-PMP mapping" "$(addr_of "$seen")" "$SRV1"
check "masqctl sessions marks the mapping pcp with its lifetime" "$MQ_PY" -c '
import json, sys
for s in json.load(sys.stdin)["sessions"]:
    if s["kind"] == "pcp" and s["internal"] == sys.argv[1] and 0 < s["expires_in_s"] <= 60:
        sys.exit(0)
sys.exit(1)' "$LAN1:$LAN_SVC_PORT" < <(masqd_sessions_json)
check "masqctl sessions shows the kind column" grep -q " pcp " < <(masqctl sessions)
nsx lan1 natpmpc -g "$GW_LAN" -a "$udp_port" "$LAN_SVC_PORT" udp 0 >/dev/null 2>&1
out=$(probe srv udp "$GW_WAN" "${udp_port:-1}" --timeout 1) || true
expect_eq "after natpmpc deletes the UDP mapping the WAN is filtered out again" "$out" "timeout"

# --- PCP MAP ---
out=$(pcp lan1 map --proto udp --port "$ECHO_TCP_PORT" --suggest 20007 --nonce 0101010101010101010101aa)
check "MAP with a suggested free port gets it" grep -q "result=success ext=$GW_WAN:20007 " <<<"$out"
seen=$(probe srv udp "$GW_WAN" 20007) || true
expect_eq "UDP from the WAN reaches lan1 through the PCP mapping" "$(addr_of "$seen")" "$SRV1"
LAN2_NONCE=0202020202020202020202bb
out=$(pcp lan2 map --proto udp --port "$LAN_SVC_PORT" --nonce "$LAN2_NONCE")
lan2_port=$(ext_port_of "$out")
check "MAP without a suggestion is granted" grep -q "result=success ext=$GW_WAN:" <<<"$out"
seen=$(probe srv udp "$GW_WAN" "$(ext_port_of "$out")") || true
expect_eq "... and reaches lan2" "$(addr_of "$seen")" "$SRV1"
out=$(pcp lan2 map --proto udp --port "$ECHO_TCP_PORT" --suggest 20007 --prefer-failure)
check "another host's port with PREFER_FAILURE: CANNOT_PROVIDE_EXTERNAL" \
  grep -q "result=cannot_provide_external" <<<"$out"
out=$(pcp lan2 map --proto udp --port "$ECHO_TCP_PORT" --suggest 20007)
check "another host's port without it: another port" grep -q "result=success" <<<"$out"
expect_ne "... not the one taken" "$(ext_port_of "$out")" "20007"
seen=$(probe lan2 udp "$GW_WAN" 20007) || true
expect_eq "hairpinning through the mapping: lan1 sees lan2's external address" \
  "$(addr_of "$seen")" "$GW_WAN"

# --- FILTER and PEER ---
out=$(pcp lan2 map --proto tcp --port "$LAN_SVC_PORT" --filter "$SRV2/32")
seen=$(probe srv tcp "$GW_WAN" "$(ext_port_of "$out")" --timeout 1) || true
expect_eq "FILTER for $SRV2 keeps $SRV1 out" "$seen" "error: timed out"
out=$(pcp lan1 peer --proto udp --port "$LAN_SVC_PORT" --peer "$SRV1:5555")
check "PEER is granted" grep -q "result=success ext=$GW_WAN:" <<<"$out"
peer_port=$(ext_port_of "$out")
seen=$(probe srv udp "$GW_WAN" "${peer_port:-1}" --sport 5555) || true
expect_eq "the peer reaches lan1 through the PEER mapping" "$seen" "$SRV1:5555"
seen=$(probe srv udp "$GW_WAN" "${peer_port:-1}" --sport 5556 --timeout 1) || true
expect_eq "another port of the peer does not" "$seen" "timeout"

out=$(pcp lan1 map --proto udp --port "$LAN_SVC_PORT" --third-party "$LAN2")
check "THIRD_PARTY, not allowed by the config: NOT_AUTHORIZED" grep -q "result=not_authorized" <<<"$out"

# --- ANNOUNCE, hostile requests, the WAN side ---
check "ANNOUNCE is answered" grep -q "result=success" < <(pcp lan1 announce)
before=$(pcp_counter drop_too_short)
out=$(pcp lan1 --tries 1 raw 02010000) || true
expect_eq "a short request gets no answer" "$out" "no answer"
check "... and is counted" test "$(pcp_counter drop_too_short)" -gt "$before"
out=$(pcp lan1 raw "0200$(printf '00%.0s' {1..23})") || true
check "a request not a multiple of 4: MALFORMED_REQUEST" grep -q "result=malformed_request" <<<"$out"
out=$(pcp lan1 raw "03$(printf '0%.0s' {1..46})") || true
check "version 3: UNSUPP_VERSION" grep -q "result=unsupp_version" <<<"$out"
check "... counted" test "$(pcp_counter pcp_result_unsupp_version)" -ge 1
out=$(pcp inet --server "$GW_WAN" --tries 1 announce) || true
expect_eq "a request from the WAN gets no answer" "$out" "no answer"
check "... and is counted" test "$(masqd_counter router.drops pcp_from_wan)" -ge 1
seen=$(probe srv udp "$GW_WAN" 20007) || true
expect_eq "the first mapping is undisturbed by all of it" "$(addr_of "$seen")" "$SRV1"

# --- lifetime ---
# A refresh with the mapping's nonce shortens lan2's UDP mapping to 3 s.
# Each probe comes from a new source port: under APDF only the mapping
# lets it in, not the sessions earlier probes left.
out=$(pcp lan2 map --proto udp --port "$LAN_SVC_PORT" --nonce "$LAN2_NONCE" --lifetime 3)
check "a refresh keeps the external port" grep -q "result=success ext=$GW_WAN:$lan2_port lifetime=3 " \
  <<<"$out"
seen=$(probe srv udp "$GW_WAN" "${lan2_port:-1}") || true
expect_eq "the refreshed mapping still lets UDP in" "$(addr_of "$seen")" "$SRV1"
closed() { [ "$(probe srv udp "$GW_WAN" "$lan2_port" --timeout 0.5 --tries 1)" = "timeout" ]; }
check "... and stops doing so once it expires" wait_until 10 closed

wait "$LISTENER"
check "the PCP ANNOUNCE was heard on 224.0.0.1:5350" grep -q "announce pcp epoch=" "$MQ_DIR/announce.out"
check "the NAT-PMP announcement names $GW_WAN" grep -q "announce natpmp ext=$GW_WAN" \
  "$MQ_DIR/announce.out"
