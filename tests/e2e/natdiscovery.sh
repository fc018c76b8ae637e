#!/usr/bin/env bash
# RFC 5780 behaviour discovery with tools nobody here wrote: coturn's
# turnserver on the server's two addresses (SRV1, SRV2; ports 3478 and
# 3479, so CHANGE-REQUEST works) and, from lan1, coturn's
# turnutils_natdiscovery (mapping, filtering, hairpinning) and the classic
# stun client (RFC 3489 tests I-III). For each UDP filtering mode masqd is
# configured with ([nat.udp] filtering = eif, adf, apdf; mapping EIM), the
# behaviour both tools report must be the configured one (RFC 4787 REQ-1,
# REQ-8). masqd only: the kernel's filtering cannot be chosen.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the filtering mode is a masqd setting"
if ! command -v turnserver >/dev/null || ! command -v turnutils_natdiscovery >/dev/null; then
  e2e_skip "coturn is not installed (scripts/install-deps.sh)"
fi
command -v stun >/dev/null || e2e_skip "stun-client is not installed (scripts/install-deps.sh)"
e2e_setup

nsbg srv turn turnserver -n --no-auth --stun-only -L "$SRV1" -L "$SRV2" -p 3478 \
  --alt-listening-port 3479 --no-tls --no-dtls --no-tcp --no-cli --log-file stdout
wait_until 10 listening srv udp 3479 || e2e_abort "turnserver did not start"

# What each tool says for a filtering mode.
declare -A discovery=([eif]="Endpoint Independent Filtering" [adf]="Address Dependent Filtering"
  [apdf]="Address and Port Dependent Filtering")
declare -A classic=([eif]="Independent Filter" [adf]="Address Dependent Filter"
  [apdf]="Port Dependent Filter")

for mode in eif adf apdf; do
  gw_stop || not_ok "masqd stopped cleanly before the $mode run"
  GW_NAT_TOML=$(printf '[nat.udp]\nmapping = "eim"\nfiltering = "%s"' "$mode")
  gw_start "$GATEWAY" || e2e_abort "masqd did not start with filtering = $mode"

  out=$(nsx lan1 timeout 60 turnutils_natdiscovery -m -f -H "$SRV1" 2>&1)
  printf '%s\n' "$out" >"$MQ_DIR/natdiscovery-$mode.log"
  expect_eq "$mode: natdiscovery mapping" "$(printf '%s\n' "$out" | grep -o 'NAT with [A-Za-z ]* Mapping' | head -n 1)" \
    "NAT with Endpoint Independent Mapping"
  expect_eq "$mode: natdiscovery filtering" "$(printf '%s\n' "$out" | grep -o 'NAT with [A-Za-z ]* Filtering' | head -n 1)" \
    "NAT with ${discovery[$mode]}"

  out=$(nsx lan1 timeout 60 stun "$SRV1" 2>&1)
  printf '%s\n' "$out" >"$MQ_DIR/stun-$mode.log"
  primary=$(printf '%s\n' "$out" | grep '^Primary:' | head -n 1)
  case $primary in
  "Primary: Independent Mapping, ${classic[$mode]},"*) ok "$mode: stun says '$primary'" ;;
  *) not_ok "$mode: stun says '$primary', want Independent Mapping, ${classic[$mode]}" ;;
  esac
done
kill "$(cat "$MQ_DIR/turn.pid")" 2>/dev/null
