#!/usr/bin/env bash
# End-to-end figures through the gateway, masqd against the kernel: the same
# test network, clients and traffic through each gateway in turn (the
# kernel's nftables masquerade, masqd on AF_PACKET, masqd on AF_XDP), in
# alternating rounds, so every number has a reference from the same minutes.
# Prints the median of the rounds and the ratio masqd / kernel. Reported,
# not gated.
#
#   scripts/bench-e2e.sh BUILD_DIR [GATEWAY...]
#
# A GATEWAY is a kind of scripts/testnet/lib.sh (kernel-nft, masqd-af_packet,
# masqd-af_xdp), for masqd with ":N" for N workers (masqd-af_packet:2).
# The default: the kernel, and each backend with 1 and with 2 workers. The
# gateway's veths get one queue per worker for AF_XDP (worker k reads queue
# k; the veth spreads flows over the queues by hash and the workers hand
# each other what is not theirs), one queue otherwise.
#
# Per gateway and round:
#   TCP up (lan1 -> server) and down (-R), 1 and 8 streams, iperf3, Mbit/s;
#   64-byte UDP from trafgen (netsniff-ng) on lan1 for MASQ_BENCH_SECONDS to
#   the server's second address, one flow, and a new flow per packet (200
#   LAN sources, each to random destination ports: a new session on one of
#   200 mappings, since new internal endpoints would run out of the external
#   address's 64 K ports within a second): packets per second the server's
#   interface received;
#   busy CPU seconds of the whole machine (/proc/stat) per million packets
#   delivered at a fixed 100 kpps, one flow: generator and receiver cost the
#   same through every gateway, so the difference is the forwarding's (the
#   kernel forwards in softirqs no process is charged for, so there is no
#   per-process figure to compare); meaningful on an otherwise idle machine;
#   ping RTT from lan1 to the server, p50 and p99 of 500 echoes 5 ms apart,
#   idle and while lan2 sends 200 Mbit/s of UDP through the same gateway.
# Environment: MASQ_BENCH_ROUNDS (default 3), MASQ_BENCH_SECONDS (default 3).
# About 6 minutes with the defaults. Needs root; all traffic stays in the
# namespaces.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/testnet/lib.sh"

BUILD_DIR=${1:?usage: $0 BUILD_DIR [GATEWAY...]}
shift
gateways=("$@")
[ ${#gateways[@]} -gt 0 ] || gateways=(kernel-nft masqd-af_packet:1 masqd-af_packet:2 masqd-af_xdp:1 masqd-af_xdp:2)
[ "$(id -u)" -eq 0 ] || {
  echo "bench-e2e: needs root (network namespaces)" >&2
  exit 1
}
command -v trafgen >/dev/null || {
  echo "bench-e2e: trafgen missing (scripts/install-deps.sh installs netsniff-ng)" >&2
  exit 1
}
ROUNDS=${MASQ_BENCH_ROUNDS:-3}
SECONDS_PER_RUN=${MASQ_BENCH_SECONDS:-3}
# A new flow per packet from 200 sources for a few seconds: room for all of
# them, so the figure is forwarding, not the full-table policy.
GW_MAX_SESSIONS=4194304
# The forwarding, not the hostile-LAN defaults: one generator host opens
# new flows far faster than a host's default rate allows.
# (lib.sh writes them under [nat]; the bench has no static pairs.)
GW_NAT_TOML="new_sessions_per_s = 0
sessions_per_subscriber = 0
ports_per_subscriber = 0"

# The table's rows: key|label|better (higher or lower).
rows=(
  "tcp_up_1|TCP up, 1 stream, Mbit/s|higher"
  "tcp_up_8|TCP up, 8 streams, Mbit/s|higher"
  "tcp_down_1|TCP down, 1 stream, Mbit/s|higher"
  "tcp_down_8|TCP down, 8 streams, Mbit/s|higher"
  "udp_one|64 B UDP, one flow, kpps delivered|higher"
  "udp_new|64 B UDP, new flow per packet, kpps delivered|higher"
  "cpu|CPU s per million packets at 100 kpps|lower"
  "rtt_idle_p50|ping RTT idle p50, ms|lower"
  "rtt_idle_p99|ping RTT idle p99, ms|lower"
  "rtt_load_p50|ping RTT under load p50, ms|lower"
  "rtt_load_p99|ping RTT under load p99, ms|lower"
)
declare -A samples # [gateway|key] = space-separated values, one per round

note() { echo "bench-e2e: $*" >&2; }
add() { samples["$1|$2"]+="${3} "; }

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

# iperf_mbit GW KEY OPTIONS...: one iperf3 TCP run from lan1 to the server.
iperf_mbit() {
  local gw=$1 key=$2 json tsv mbit
  shift 2
  json=$(nsx lan1 iperf3 --client "$SRV1" --port "$IPERF_PORT" --json --time "$SECONDS_PER_RUN" \
    "$@" 2>&1) || true
  if tsv=$("$MQ_PY" "$MQ_TOOLS/iperf_summary.py" --tsv <<<"$json"); then
    mbit=${tsv%%$'\t'*}
    add "$gw" "$key" "$mbit"
    note "  $key: $mbit Mbit/s"
  else
    note "  $key: $tsv"
  fi
}

server_rx_packets() { nsx srv cat /sys/class/net/eth0/statistics/rx_packets; }
# Busy jiffies of the whole machine (every field of the cpu line but idle and iowait).
busy_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# trafgen_config FLOWS: 60-byte frames (64 on the wire) from lan1 to the
# server's sink address, addressed to the gateway's MAC.
trafgen_config() {
  local gw_mac lan1_mac src dport
  gw_mac=$(nsx lan1 ip neigh show "$GW_LAN" | grep -o 'lladdr [0-9a-f:]*' | cut -d' ' -f2)
  lan1_mac=$(nsx lan1 cat /sys/class/net/eth0/address)
  case $1 in
  one) src=$LAN1 dport=9 ;;
  # 192.168.77.10 .. 192.168.77.209, as integers for trafgen's counter.
  new) src="dinc(3232255242, 3232255441)" dport="drnd(1, 65535)" ;;
  esac
  printf '{ eth(da=%s, sa=%s, type=0x0800), ipv4(saddr=%s, daddr=%s, ttl=64, df), udp(sport=40000, dport=%s), fill(0x00, 18) }\n' \
    "$gw_mac" "$lan1_mac" "$src" "$SRV2" "$dport" >"$MQ_DIR/trafgen-$1.cfg"
}

# trafgen_run FLOWS [RATE]: runs trafgen for SECONDS_PER_RUN; prints the
# packets the server received and the busy jiffies spent meanwhile.
trafgen_run() {
  local flows=$1 rate=${2:-} before after busy0 busy1 args=()
  [ -n "$rate" ] && args=(--rate "$rate")
  nsx lan1 ping -c 1 -W 1 "$GW_LAN" >/dev/null 2>&1 || true # the gateway's MAC, fresh
  trafgen_config "$flows"
  before=$(server_rx_packets)
  busy0=$(busy_jiffies)
  # One process, and no changes outside the namespace: the default socket
  # memory and IRQ affinity tuning would touch the whole machine.
  nsx lan1 timeout --signal=INT "$SECONDS_PER_RUN" trafgen --dev eth0 --conf "$MQ_DIR/trafgen-$flows.cfg" \
    --cpus 1 --no-sock-mem --notouch-irq --no-cpu-stats "${args[@]}" >/dev/null 2>&1 || true
  sleep 0.2 # the last packets in flight
  busy1=$(busy_jiffies)
  after=$(server_rx_packets)
  echo "$((after - before)) $((busy1 - busy0))"
}

udp_runs() {
  local gw=$1 flows packets jiffies kpps
  for flows in one new; do
    read -r packets jiffies <<<"$(trafgen_run "$flows")"
    kpps=$(awk -v p="$packets" -v s="$SECONDS_PER_RUN" 'BEGIN { printf "%.1f", p / s / 1000 }')
    add "$gw" "udp_$flows" "$kpps"
    note "  udp_$flows: $kpps kpps"
  done
  read -r packets jiffies <<<"$(trafgen_run one 100000pps)"
  if [ "$packets" -gt 0 ]; then
    local hz cpu
    hz=$(getconf CLK_TCK)
    cpu=$(awk -v j="$jiffies" -v hz="$hz" -v p="$packets" 'BEGIN { printf "%.2f", j / hz / (p / 1e6) }')
    add "$gw" cpu "$cpu"
    note "  cpu: $cpu s per million packets"
  fi
}

# rtt GW WHEN: ping RTT percentiles, in ms.
rtt() {
  local gw=$1 when=$2 out
  out=$(nsx lan1 ping -n -c 500 -i 0.005 -W 1 "$SRV1" 2>&1 |
    sed -n 's/.* time=\([0-9.]*\) ms$/\1/p' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR < 100) exit 1
      printf "%.3f %.3f\n", v[int(NR * 0.50 + 0.5)], v[int(NR * 0.99 + 0.5)] }') || {
    note "  rtt $when: too few echo replies"
    return 0
  }
  add "$gw" "rtt_${when}_p50" "${out% *}"
  add "$gw" "rtt_${when}_p99" "${out#* }"
  note "  rtt $when: p50 ${out% *} ms, p99 ${out#* } ms"
}

one_round() {
  local gw=$1 load
  iperf_mbit "$gw" tcp_up_1
  iperf_mbit "$gw" tcp_up_8 --parallel 8
  iperf_mbit "$gw" tcp_down_1 --reverse
  iperf_mbit "$gw" tcp_down_8 --reverse --parallel 8
  udp_runs "$gw"
  rtt "$gw" idle
  nsx lan2 iperf3 --client "$SRV1" --port "$IPERF_PORT" --time 5 --udp --bitrate 200M \
    --length 1400 >/dev/null 2>&1 &
  load=$!
  sleep 0.5
  rtt "$gw" load
  wait "$load" || true
}

mq_set_net "mqbench$$"
trap cleanup EXIT
trap 'exit 130' INT TERM
net_up
net_services
# The sink: UDP to the server's second address is counted by its interface,
# then dropped without a word (no ICMP back through the gateway).
nsx srv nft -f - <<EOF
table inet bench {
  chain input {
    type filter hook input priority 0;
    ip daddr $SRV2 meta l4proto udp drop
  }
}
EOF

for round in $(seq 1 "$ROUNDS"); do
  for gw in "${gateways[@]}"; do
    note "round $round/$ROUNDS: $gw"
    if [[ $gw == masqd-* ]] && [ ! -x "$(masqd_bin)" ]; then
      note "  masqd is not built in $BUILD_DIR; skipped"
      continue
    fi
    GW_WORKERS=
    [[ $gw == *:* ]] && GW_WORKERS=${gw#*:}
    queues=1
    [[ $gw == masqd-af_xdp* ]] && queues=${GW_WORKERS:-1}
    gw_queues "$queues" || {
      note "cannot give the gateway's veths $queues queues (ethtool -L)"
      exit 1
    }
    if ! gw_start "${gw%%:*}"; then
      note "  $gw did not start; skipped"
      gw_stop || true
      continue
    fi
    one_round "$gw"
    gw_stop || note "  $gw did not stop cleanly (see above)"
    GW_KIND=
  done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
ratio() {
  [[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]] || return 0
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf " (%.2fx)", a / b }'
}

echo
echo "End to end through the gateway: median of $ROUNDS alternating rounds ($(nproc) cores,"
echo "kernel $(uname -r)); masqd's columns carry the ratio masqd / kernel. The generators"
echo "share the two cores with the gateway: through the kernel the forwarding runs in the"
echo "sender's own softirq, through masqd on the other core."
echo
header="| measurement | better |"
rule="|---|---|"
for gw in "${gateways[@]}"; do
  header+=" $gw |"
  rule+="---:|"
done
echo "$header"
echo "$rule"
for row in "${rows[@]}"; do
  IFS='|' read -r key label better <<<"$row"
  line="| $label | $better |"
  reference=$(median "${samples[kernel-nft|$key]:-}")
  for gw in "${gateways[@]}"; do
    v=$(median "${samples[$gw|$key]:-}")
    [ -n "$v" ] || v=n/a
    [ "$gw" = kernel-nft ] || v+=$(ratio "$v" "$reference")
    line+=" $v |"
  done
  echo "$line"
done
