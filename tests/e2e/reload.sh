#!/usr/bin/env bash
# Changing a running masqd (docs/operations.md, "Changing a running
# gateway"), with a long TCP transfer from lan1 going on throughout, every
# byte checked at both ends (stream.py):
# - masqctl forwards add|del and static add|del take effect at once: the WAN
#   reaches lan2 through the new forward, and on a new static address
#   (answered for by ARP); a deleted forward closes;
# - a rule that is there already, or that clashes, is refused, and named;
# - masqctl reload applies an edited file; a broken file, and a change only a
#   restart applies, are refused with the reason, and the running config is
#   kept;
# - SIGHUP reloads too;
# - the transfer's session keeps its external port through all of it.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "reload is masqd's"
STATIC_EXT=203.0.113.3
STREAM_PORT=5602
GW_NAT_TOML="# edited by the test"
e2e_setup
TOML=$MQ_DIR/masq.toml
cp "$TOML" "$MQ_DIR/masq.toml.orig"

external() { session_external tcp "$LAN1:$(cat "$MQ_DIR/sport")"; }
# refused WHAT PATTERN ARGS...: masqctl ARGS fails, saying PATTERN.
refused() {
  local what=$1 pattern=$2 out
  shift 2
  if out=$(masqctl "$@" 2>&1); then
    not_ok "$what is refused (masqctl said: $out)"
  elif grep -q -- "$pattern" <<<"$out"; then
    ok "$what is refused: $out"
  else
    not_ok "$what is refused, saying '$pattern': $out"
  fi
}
# via_gw PROTO ADDR PORT: what lan2's peer_echo saw of the server, or the error.
via_gw() { probe srv "$1" "$2" "$3" --timeout 2 || true; }

stream_start "$STREAM_PORT"
before=$(external)
[ -n "$before" ] || not_ok "masqctl shows the transfer's session"

# Forwards at run time.
FWD="tcp/$LAN_SVC_PORT=$LAN2:$LAN_SVC_PORT"
expect_eq "TCP to $GW_WAN:$LAN_SVC_PORT is closed before" \
  "$(via_gw tcp "$GW_WAN" "$LAN_SVC_PORT")" "error: timed out"
check "masqctl forwards add $FWD" masqctl forwards add "$FWD"
expect_eq "masqctl forwards lists it" "$(masqctl forwards)" \
  "tcp/$GW_WAN:$LAN_SVC_PORT=$LAN2:$LAN_SVC_PORT"
seen=$(via_gw tcp "$GW_WAN" "$LAN_SVC_PORT")
expect_eq "TCP to $GW_WAN:$LAN_SVC_PORT reaches lan2 through the added forward" \
  "$(addr_of "$seen")" "$SRV1"
refused "the same forward again" "exists" forwards add "$FWD"
refused "a forward to a host outside the LAN" "not inside" \
  forwards add "udp/9000=10.9.9.9:9000"
refused "a forward over the same external port" "overlap forward tcp/$GW_WAN:$LAN_SVC_PORT" \
  forwards add "tcp/$LAN_SVC_PORT=$LAN1:$LAN_SVC_PORT"
refused "deleting a forward that is not there" "no forward" forwards del "udp/9001=$LAN2:9001"
check "masqctl forwards del $FWD" masqctl forwards del "$FWD"
expect_eq "TCP to $GW_WAN:$LAN_SVC_PORT is closed again" \
  "$(via_gw tcp "$GW_WAN" "$LAN_SVC_PORT")" "error: timed out"

# Static 1:1 at run time, on an address the gateway did not answer for.
check "masqctl static add $LAN2=$STATIC_EXT" masqctl static add "$LAN2=$STATIC_EXT"
seen=$(probe lan2 udp "$SRV1" "$ECHO_UDP_PORT" --sport 40002) || true
expect_eq "lan2's UDP leaves from $STATIC_EXT with its own port" "$seen" "$STATIC_EXT:40002"
seen=$(via_gw udp "$STATIC_EXT" "$LAN_SVC_PORT")
expect_eq "UDP from the WAN to $STATIC_EXT reaches lan2" "$(addr_of "$seen")" "$SRV1"
stream_goes_on "forwards and static rules changed"

# masqctl reload: the file gains a UDP forward; the runtime static rule,
# which the file does not have, goes.
printf '\n[[nat.forward]]\nproto = "udp"\nport = %s\ninternal = "%s:%s"\n' \
  "$LAN_SVC_PORT" "$LAN2" "$LAN_SVC_PORT" >>"$TOML"
check "masqctl reload" masqctl reload
seen=$(via_gw udp "$GW_WAN" "$LAN_SVC_PORT")
expect_eq "UDP to $GW_WAN:$LAN_SVC_PORT reaches lan2 through the reloaded file's forward" \
  "$(addr_of "$seen")" "$SRV1"
seen=$(probe lan2 udp "$SRV1" "$ECHO_UDP_PORT" --sport 40003) || true
expect_eq "the runtime static rule went with the reload" "$(addr_of "$seen")" "$GW_WAN"

# A broken file, and a change only a restart applies: refused, kept.
cp "$TOML" "$MQ_DIR/masq.toml.good"
echo "this is not = = toml" >>"$TOML"
refused "a reload of a broken file" "masq.toml:" reload
cp "$MQ_DIR/masq.toml.good" "$TOML"
printf '\n[pcp]\nenabled = true\n' >>"$TOML"
refused "a reload that turns the PCP server on" "only a restart applies changes to \[pcp\]" reload
seen=$(via_gw udp "$GW_WAN" "$LAN_SVC_PORT")
expect_eq "... and the running config is kept" "$(addr_of "$seen")" "$SRV1"

# SIGHUP: the file without the UDP forward again.
cp "$MQ_DIR/masq.toml.orig" "$TOML"
kill -HUP "$MASQD_PID"
if wait_until 5 grep -q "reload: every worker took it" "$MQ_DIR/masqd.log"; then
  ok "SIGHUP reloads ($(grep -o 'SIGHUP from pid.*' "$MQ_DIR/masqd.log" | tail -1))"
else
  not_ok "SIGHUP reloads"
fi
expect_eq "UDP to $GW_WAN:$LAN_SVC_PORT is closed after the SIGHUP reload" \
  "$(via_gw udp "$GW_WAN" "$LAN_SVC_PORT")" "timeout"
expect_eq "reloads counted" "$(masqd_counter config reloads)" 4
expect_eq "refusals counted" "$(masqd_counter config refused)" 6

stream_goes_on "reloads"
expect_eq "the transfer keeps its external endpoint" "$(external)" "$before"
stream_end
check "masqd still runs" kill -0 "$MASQD_PID"
