#!/usr/bin/env bash
# The Prometheus exporter of a running masqd ([metrics] listen): /metrics
# is served (by the control plane's thread), passes `promtool check
# metrics`, and its numbers are masqctl stats' numbers for known traffic.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the exporter is masqd's"
command -v promtool >/dev/null || e2e_skip "promtool is not installed (Debian package prometheus)"
METRICS=127.0.0.1:9187
GW_NAT_TOML=$'[metrics]\nlisten = "'$METRICS'"'
e2e_setup

scrape() { ip netns exec "$(ns gw)" curl -sS --max-time 5 "http://$METRICS${1:-/metrics}"; }
# sample NAME{LABELS}: its value in a fresh scrape.
sample() { scrape | awk -v k="$1" '$1 == k { print $2 }'; }
stat_of() {
  masqctl --json stats | "$MQ_PY" -c "import json,sys; j=json.load(sys.stdin); print($1)"
}

for p in 42001 42002 42003; do
  probe lan1 udp "$SRV1" "$ECHO_UDP_PORT" --sport "$p" >/dev/null || not_ok "lan1 UDP from $p"
done
probe lan1 tcp "$SRV1" "$ECHO_TCP_PORT" --sport 42004 >/dev/null || not_ok "lan1 TCP from 42004"

scrape >"$MQ_DIR/metrics.txt" || not_ok "GET /metrics"
if out=$(promtool check metrics <"$MQ_DIR/metrics.txt" 2>&1); then
  ok "promtool check metrics passes ($(grep -c '^masq_' "$MQ_DIR/metrics.txt") samples)"
else
  not_ok "promtool check metrics passes"
  indent <<<"$out"
fi
expect_eq "masq_sessions of UDP is masqctl stats'" \
  "$(sample 'masq_sessions{proto="udp",state="udp"}')" "$(stat_of 'j["stats"]["sessions.udp"]["udp"]')"
expect_eq "... which is the traffic's" "$(sample 'masq_sessions{proto="udp",state="udp"}')" 3
expect_eq "masq_sessions of closed TCP" "$(sample 'masq_sessions{proto="tcp",state="fin_both"}')" 1
expect_eq "masq_nat_in2out_total is masqctl's in2out" "$(sample masq_nat_in2out_total)" \
  "$(masqd_counter nat in2out)"
expect_eq "masq_nat_sessions_created_total" "$(sample masq_nat_sessions_created_total)" 4
check "masq_io_rx_frames_total of the LAN is counted" \
  test "$(sample 'masq_io_rx_frames_total{interface="lan"}')" -gt 0
check "the table's size is there" test "$(sample masq_sessions_max)" -gt 0
expect_eq "masq_address_mappings of UDP is masqctl stats'" \
  "$(sample "masq_address_mappings{address=\"$GW_WAN\",proto=\"udp\"}")" \
  "$(stat_of "j['stats']['ports.$GW_WAN']['udp_mappings']")"
got=$(ip netns exec "$(ns gw)" curl -s -o /dev/null -w '%{http_code}' "http://$METRICS/")
expect_eq "any other path is 404" "$got" 404
check "masqctl answers beside the exporter" masqctl status
