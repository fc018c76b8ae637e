#!/usr/bin/env bash
# State across restarts (docs/operations.md, "State across restarts"): a
# long TCP transfer from lan1 to a server, every byte checked at both ends
# (stream.py), goes on through
# - a SIGTERM and a restart of masqd: the snapshot written as it stops;
# - a kill -9 and a restart: the periodic snapshot (every second here);
# and its session keeps its external port. A PCP mapping survives the
# restart too: it still lets traffic in, its holder's nonce refreshes it on
# the same port, and the PCP epoch goes on (RFC 6887 §8.5). A corrupt
# snapshot, and a file
# that is no snapshot, are refused with a message that says so, and masqd
# starts empty.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the state snapshot is masqd's"
# The run directory e2e_setup will use, so that the snapshot is in it.
mq_set_net "mqe$$"
STATE=$MQ_DIR/state/masqd.state
GW_NAT_TOML=$'[state]\npath = "'$STATE$'"\ninterval_s = 1\n\n[pcp]\nenabled = true'
STREAM_PORT=5601
NONCE=0102030405060708090a0b0c
e2e_setup
first_start=$SECONDS

# map_lan2: a PCP MAP of lan2's UDP echo with $NONCE; field NAME of its answer.
map_lan2() {
  nsx lan2 "$MQ_PY" "$(dirname "$0")/pcp_client.py" map --proto udp --port "$LAN_SVC_PORT" \
    --nonce "$NONCE"
}
field() { sed -n "s/.* $1=\([0-9.:]*\).*/\1/p" <<<"$2"; }
external() { session_external tcp "$LAN1:$(cat "$MQ_DIR/sport")"; }
log_has() { grep -q -- "$1" "$MQ_DIR/masqd.log"; }
# restarted WHAT: the log of the masqd just started says it restored the
# connection's session and refused nothing.
restarted() {
  local line
  line=$(grep 'state: restored' "$MQ_DIR/masqd.log")
  if [[ $line =~ restored\ ([0-9]+)\ of\ ([0-9]+)\ sessions ]] && ((BASH_REMATCH[1] >= 1)) &&
    [[ $line == *"refused: none"* ]]; then
    ok "after $1 masqd restored the sessions (${line#*state: })"
  else
    not_ok "after $1 masqd restored the sessions: '${line:-no such line}'"
  fi
}

stream_start "$STREAM_PORT"
before=$(external)
[ -n "$before" ] || not_ok "masqctl shows the connection's session"

mapped=$(map_lan2)
mapping=$(field ext "$mapped")
[ -n "$mapping" ] || not_ok "PCP MAP of lan2's UDP port: $mapped"

gw_stop || not_ok "masqd stopped cleanly (SIGTERM)"
if log_has 'state: saved [1-9][0-9]* sessions'; then
  ok "on SIGTERM masqd saved its sessions ($(grep -o 'saved .*' "$MQ_DIR/masqd.log"))"
else
  not_ok "on SIGTERM masqd saved its sessions"
fi
gw_start "$GATEWAY" || e2e_abort "masqd did not start again"
restarted "a SIGTERM"
stream_goes_on "a SIGTERM and restart"
after=$(external)
if [ -n "$after" ] && [ "$after" = "$before" ]; then
  ok "the connection keeps its external endpoint ($after)"
else
  not_ok "the connection keeps its external endpoint: '$before' before, '$after' after"
fi
seen=$(probe srv udp "$(addr_of "$mapping")" "$(port_of "$mapping")") || true
expect_eq "the PCP mapping still lets UDP in" "$(addr_of "$seen")" "$SRV1"
again=$(map_lan2)
expect_eq "a refresh with its nonce keeps its external endpoint" "$(field ext "$again")" "$mapping"
# Reset, the epoch would count from this start; it counts from the first.
epoch=$(field epoch "$again")
check "the PCP epoch went on through the restart ($epoch s)" \
  test "${epoch:-0}" -ge $((SECONDS - first_start - 1))

# A periodic snapshot taken since this start holds the connection.
touch "$MQ_DIR/marker"
wait_until 10 test "$STATE" -nt "$MQ_DIR/marker" || not_ok "a periodic snapshot is written"
kill -KILL "$MASQD_PID"
wait "$MASQD_PID" 2>/dev/null
MASQD_PID=
rm -f "$MQ_DIR/masqd.pid"
gw_start "$GATEWAY" || e2e_abort "masqd did not start again after kill -9"
restarted "a kill -9"
stream_goes_on "a kill -9 and restart"

stream_end

# A corrupt snapshot: refused, and masqd starts empty.
gw_stop || not_ok "masqd stopped cleanly"
printf '\xff\xff' | dd of="$STATE" bs=1 seek=80 conv=notrunc status=none
gw_start "$GATEWAY" || e2e_abort "masqd did not start with a corrupt snapshot"
if log_has "snapshot $STATE refused: corrupt body (checksum mismatch); starting empty"; then
  ok "a corrupt snapshot is refused: $(grep -o 'snapshot .*' "$MQ_DIR/masqd.log")"
else
  not_ok "a corrupt snapshot is refused with a clear message"
fi
expect_eq "... and masqd starts empty" "$(masqctl sessions --count)" 0
gw_stop || not_ok "masqd stopped cleanly"
echo "[nat]" >"$STATE"
gw_start "$GATEWAY" || e2e_abort "masqd did not start with a foreign file as its snapshot"
if log_has "refused: not a masqd state snapshot"; then
  ok "a file that is no snapshot is refused"
else
  not_ok "a file that is no snapshot is refused with a clear message"
fi
