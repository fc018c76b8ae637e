#!/usr/bin/env bash
# Hostile LAN, with masqd's defaults (per-subscriber session and port
# quotas sized from the table, and a per-subscriber rate of new sessions):
# lan1 floods SYNs from ever new source ports at the server, and while it
# does, lan2 still connects and fetches a page. lan1 is held to its own
# budget: masqd counts the refused flows under subscriber_rate or the quota.
# masqd only: the kernel's NAT has no per-host limits.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "per-subscriber quotas and rates are masqd's"
e2e_setup

nsbg lan1 flood hping3 --syn --flood --destport "$HTTP_PORT" "$SRV1"
flood_pid=$(cat "$MQ_DIR/flood.pid")
stop_flood() {
  kill -INT "$flood_pid" 2>/dev/null
  wait "$flood_pid" 2>/dev/null
  flood_pid=
}
# Let the flood run into its limits first.
refused() {
  echo $(($(masqd_counter nat.drops subscriber_rate) + $(masqd_counter nat.drops subscriber_sessions)))
}
limited() { [ "$(refused)" -gt 1000 ]; }
wait_until 20 limited || not_ok "the flood met no limit within 20 s"

check "lan2 connects and fetches a page during the flood" \
  nsx lan2 curl -sS --max-time 5 -o /dev/null "http://$SRV1:$HTTP_PORT/"
sessions=$(masqd_sessions_json | "$MQ_PY" -c '
import json, sys
print(sum(1 for s in json.load(sys.stdin)["sessions"] if s["internal"].startswith(sys.argv[1] + ":")))' "$LAN1")
stop_flood
quota=$((65536 / 16))
if [ "$sessions" -le "$quota" ]; then
  ok "lan1 holds $sessions sessions, within its quota of $quota"
else
  not_ok "lan1 holds $sessions sessions, above its quota of $quota"
fi
ok "flows refused to lan1: $(refused)"
