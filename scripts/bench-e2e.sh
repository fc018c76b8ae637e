#!/usr/bin/env bash
# End-to-end load through the gateway, masqd against the kernel: iperf3 from
# lan1 to the server across the gateway, in one test network, with each
# gateway in turn (the kernel's nftables masquerade, masqd on AF_PACKET,
# masqd on AF_XDP), so every number comes from the same namespaces, veths
# and run. Prints a table with the ratio masqd/kernel. Reported, not gated.
#
#   scripts/bench-e2e.sh BUILD_DIR [GATEWAY...]
#
# Runs: TCP for 5 s; UDP at full speed (-b 0, 4 MB socket buffers) for 3 s,
# with 1400-byte and with 64-byte datagrams (what the server got, and loss);
# ping RTT from lan1 to the server, p50 and p99 of 500 echoes 5 ms apart,
# idle and while lan2 sends 200 Mbit/s of UDP through the same gateway.
# About 2 minutes. Needs root; all traffic stays in the namespaces.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/testnet/lib.sh"

BUILD_DIR=${1:?usage: $0 BUILD_DIR [GATEWAY...]}
shift
gateways=("$@")
[ ${#gateways[@]} -gt 0 ] || gateways=("${GW_KINDS[@]}")
[ "$(id -u)" -eq 0 ] || {
  echo "bench-e2e: needs root (network namespaces)" >&2
  exit 1
}

# label|iperf3 options, one iperf3 run each.
runs=(
  "TCP|--time 5"
  "UDP 1400 B|--time 3 --udp --bitrate 0 --length 1400 --window 4M"
  "UDP 64 B|--time 3 --udp --bitrate 0 --length 64 --window 4M"
)
# The table's rows: label of the run, and which of its numbers.
rows=("TCP|mbit" "UDP 1400 B|mbit" "UDP 1400 B|pps" "UDP 1400 B|loss" "UDP 64 B|mbit" "UDP 64 B|pps"
  "UDP 64 B|loss" "RTT idle|p50" "RTT idle|p99" "RTT loaded|p50" "RTT loaded|p99")
declare -A result # [gateway|label|mbit, pps, loss, p50 or p99] = number, or n/a

# rtt LABEL GW: ping RTT percentiles into result[GW|LABEL|p50] and [..|p99], in ms.
rtt() {
  local label=$1 gw=$2 out
  out=$(nsx lan1 ping -n -c 500 -i 0.005 -W 1 "$SRV1" 2>&1 |
    sed -n 's/.* time=\([0-9.]*\) ms$/\1/p' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR < 100) exit 1
      printf "%.3f %.3f\n", v[int(NR * 0.50 + 0.5)], v[int(NR * 0.99 + 0.5)] }') || {
    echo "bench-e2e:   $label: too few echo replies" >&2
    return 0
  }
  read -r result["$gw|$label|p50"] result["$gw|$label|p99"] <<<"$out"
  echo "bench-e2e:   $label: p50 ${result[$gw|$label|p50]} ms, p99 ${result[$gw|$label|p99]} ms" >&2
}

cleanup() {
  local rc=$?
  trap - EXIT
  # A second Ctrl-C must not leave the network half removed.
  trap '' INT TERM
  # Every step of the teardown runs, whatever the one before returned.
  set +e
  [ -n "${GW_KIND:-}" ] && { gw_stop || true; }
  net_down
  exit "$rc"
}
mq_set_net "mqbench$$"
trap cleanup EXIT
trap 'exit 130' INT TERM
net_up
net_services

for gw in "${gateways[@]}"; do
  echo "bench-e2e: $gw" >&2
  if [[ $gw == masqd-* ]] && [ ! -x "$(masqd_bin)" ]; then
    echo "bench-e2e:   masqd is not built in $BUILD_DIR; skipped" >&2
    continue
  fi
  if ! gw_start "$gw"; then
    echo "bench-e2e:   $gw did not start; skipped" >&2
    gw_stop || true
    continue
  fi
  for r in "${runs[@]}"; do
    label=${r%%|*}
    # shellcheck disable=SC2086 # the options are a list
    json=$(nsx lan1 iperf3 --client "$SRV1" --port "$IPERF_PORT" --json ${r#*|} 2>&1) || true
    if tsv=$("$MQ_PY" "$MQ_TOOLS/iperf_summary.py" --tsv <<<"$json"); then
      IFS=$'\t' read -r result["$gw|$label|mbit"] result["$gw|$label|pps"] result["$gw|$label|loss"] <<<"$tsv"
      echo "bench-e2e:   $label: ${result[$gw|$label|mbit]} Mbit/s, ${result[$gw|$label|pps]} datagrams/s," \
        "${result[$gw|$label|loss]} % lost" >&2
    else
      echo "bench-e2e:   $label: $tsv" >&2
    fi
  done
  rtt "RTT idle" "$gw"
  nsx lan2 iperf3 --client "$SRV1" --port "$IPERF_PORT" --time 5 --udp --bitrate 200M \
    --length 1400 >/dev/null 2>&1 &
  load=$!
  sleep 0.5
  rtt "RTT loaded" "$gw"
  wait "$load" || true
  gw_stop || echo "bench-e2e:   $gw did not stop cleanly (see above)" >&2
done

# The table: one row per measurement, one column per gateway; masqd's
# columns carry their ratio to the kernel's number.
ratio() {
  [[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]] || return 0
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf " (%.2fx)", a / b }'
}
echo
echo "End-to-end throughput through the gateway ($(nproc) cores, kernel $(uname -r))."
echo "iperf3's client and server share the cores with the gateway, and full-speed UDP"
echo "is bound by the iperf3 sender's own cost per datagram. Through kernel-nft the"
echo "forwarding runs in the sender's own softirq; through masqd it runs in masqd, on"
echo "the other core. Compare the columns with that in mind."
echo
header="| measurement |"
rule="|---|"
for gw in "${gateways[@]}"; do
  header+=" $gw |"
  rule+="---:|"
done
echo "$header"
echo "$rule"
for row in "${rows[@]}"; do
  label=${row%%|*}
  unit=${row#*|}
  case $unit in
  mbit) line="| $label, Mbit/s received |" ;;
  pps) line="| $label, datagrams/s received |" ;;
  loss) line="| $label, % lost |" ;;
  p50 | p99) line="| ping $label $unit, ms |" ;;
  esac
  for gw in "${gateways[@]}"; do
    v=${result[$gw|$label|$unit]:-n/a}
    [ "$gw" = kernel-nft ] || [ "$unit" = loss ] || v+=$(ratio "$v" "${result[kernel-nft|$label|$unit]:-}")
    line+=" $v |"
  done
  echo "$line"
done
