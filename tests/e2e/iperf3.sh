#!/usr/bin/env bash
# iperf3 from lan1 to the server, 3 s each: TCP up and down (-R), UDP up and
# down at 20 Mbit/s. TCP must move at least 1 MB; UDP must lose under 10 %.
# masqd on AF_PACKET must have carried the TCP super-frames whole, both ways
# (docs/adr/0003-tcp-super-frames.md), and refused none of them.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
e2e_setup

# iperf_run DESC LIMITS ARGS...: one iperf3 client run, judged by its JSON.
iperf_run() {
  local desc=$1 limits=$2 json verdict
  shift 2
  json=$(nsx lan1 iperf3 --client "$SRV1" --port "$IPERF_PORT" --time 3 --json "$@" 2>&1)
  # shellcheck disable=SC2086 # LIMITS is a list of options
  if verdict=$("$MQ_PY" "$MQ_TOOLS/iperf_summary.py" $limits <<<"$json"); then
    ok "$desc: $verdict"
  else
    not_ok "$desc: $verdict"
  fi
}

iperf_run "TCP lan1 -> server" "--min-bytes 1000000"
iperf_run "TCP server -> lan1 (-R)" "--min-bytes 1000000" --reverse
iperf_run "UDP lan1 -> server, 20 Mbit/s" "--max-loss 10" --udp --bitrate 20M
iperf_run "UDP server -> lan1 (-R), 20 Mbit/s" "--max-loss 10" --udp --bitrate 20M --reverse

if [ "$GATEWAY" = masqd-af_packet ]; then
  for dir in "lan wan" "wan lan"; do
    read -r from to <<<"$dir"
    kept=$(masqd_counter "io.$from" rx_gso_kept)
    sent=$(masqd_counter "io.$to" tx_gso_frames)
    if [ "$kept" -gt 0 ] && [ "$sent" -gt 0 ]; then
      ok "TCP super-frames crossed whole, $from -> $to: $kept kept, $sent sent"
    else
      not_ok "TCP super-frames crossed whole, $from -> $to: $kept kept, $sent sent"
    fi
    expect_eq "super-frames or frames refused on $to" \
      "$(($(masqd_counter "io.$to" tx_dropped_bad_size) + $(masqd_counter "io.$to" tx_dropped_kernel)))" 0
  done
else
  skip_check "TCP super-frames crossed whole" "only masqd on AF_PACKET keeps them"
fi
