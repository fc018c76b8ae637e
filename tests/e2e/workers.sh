#!/usr/bin/env bash
# masqd with two workers (docs/architecture.md, "Workers and steering"):
# lan1 (192.168.77.2) belongs to worker 0 and lan2 (192.168.77.3) to
# worker 1 by the subscriber hash, so flows from both hosts are translated
# in both workers, each on ports of its own slice (worker 0: 1024-33279,
# worker 1: 33280-65535), and every reply must find its way back to the
# worker that holds its session. The forward to lan2 (port 8080, in worker
# 0's slice) is handed from the worker the kernel steers it to. masqctl
# merges both workers. AF_XDP: lan0 and wan0 have two queues, worker k
# reads queue k, and the veths choose the queue by flow hash, not by
# owner: what lands on the wrong worker is handed off. With one queue,
# two workers are refused, saying how to add queues.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "workers are masqd's"
FLOWS=20

GW_WORKERS=2
GW_FORWARDS=("tcp/$LAN_SVC_PORT=$LAN2:$LAN_SVC_PORT" "udp/$LAN_SVC_PORT=$LAN2:$LAN_SVC_PORT")
e2e_setup
check "masqd runs 2 workers" grep -q "2 workers" "$MQ_DIR/masqd.log"
if [ "$GATEWAY" = masqd-af_xdp ]; then
  check "worker 1 reads queue 1 of lan0 and wan0" \
    test "$(grep -c "af_xdp .* queue 1" "$MQ_DIR/masqd.log")" -ge 2
  # A spare veth pair with one queue each: two workers are refused.
  ip -n "$(ns gw)" link add q1lan type veth peer name q1wan
  out=$(nsx gw "$(masqd_bin)" --lan "q1lan=10.99.0.1/24" --wan "q1wan=10.98.0.1/24" \
    --io af_xdp --workers 2 --control "$MQ_DIR/q1.sock" 2>&1) && rc=0 || rc=$?
  expect_eq "two AF_XDP workers on one queue: masqd exits with status 2" "$rc" 2
  check "... naming the interface, its queues and ethtool -L: $(tail -n 1 <<<"$out")" \
    grep -q "q1lan has 1 rx and 1 tx queues.*ethtool -L q1lan" <<<"$out"
  # More queues than workers: a warning (its frames would reach the kernel),
  # then the refusal of wan0, which the running masqd owns.
  ip -n "$(ns gw)" link add q2lan numrxqueues 2 numtxqueues 2 type veth peer name q2peer \
    numrxqueues 2 numtxqueues 2
  out=$(nsx gw "$(masqd_bin)" --lan "q2lan=10.99.0.1/24" --wan "wan0=$GW_WAN/$WAN_PREFIX_LEN" \
    --io af_xdp --workers 1 --control "$MQ_DIR/q2.sock" 2>&1) && rc=0 || rc=$?
  check "one AF_XDP worker on two queues is warned about: $(grep -m 1 warn <<<"$out")" \
    grep -q "q2lan has 2 rx queues and af_xdp reads queues 0 to 0" <<<"$out"
fi

check "lan1 pings the server" nsx lan1 ping -c 3 -i 0.2 -W 2 "$SRV1"
check "lan2 pings the server" nsx lan2 ping -c 3 -i 0.2 -W 2 "$SRV1"

# Many UDP flows from both hosts at once, each answered by the server.
pids=()
for host in lan1 lan2; do
  for i in $(seq 0 $((FLOWS - 1))); do
    probe "$host" udp "$SRV1" "$ECHO_UDP_PORT" --sport $((41000 + i)) >"$MQ_DIR/$host.$i.out" 2>&1 &
    pids+=($!)
  done
done
wait "${pids[@]}"
for host in lan1 lan2; do
  answered=$(grep -l "^$GW_WAN:" "$MQ_DIR/$host".*.out | wc -l)
  expect_eq "$host: UDP flows answered through the public address" "$answered" "$FLOWS"
done

# TCP with real offloads from both hosts.
net_blob 4
want=$(cat "$MQ_DIR/www/blob.sha256")
for host in lan1 lan2; do
  got=$(nsx "$host" curl -sS --max-time 60 "http://$SRV1:$HTTP_PORT/blob.bin" | sha256sum | cut -d' ' -f1)
  expect_eq "$host: sha256 of a 4 MB download" "$got" "$want"
done

seen=$(probe srv tcp "$GW_WAN" "$LAN_SVC_PORT" --hold 1) || not_ok "TCP to the forward: $seen"
expect_eq "the TCP forward reaches lan2" "$(addr_of "$seen")" "$SRV1"
seen=$(probe srv udp "$GW_WAN" "$LAN_SVC_PORT") || not_ok "UDP to the forward: $seen"
expect_eq "the UDP forward reaches lan2" "$(addr_of "$seen")" "$SRV1"

# The merged session table: each host's UDP flows, on its worker's slice.
slices=$(masqd_sessions_json | "$MQ_PY" -c '
import json, sys
lan1, lan2, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
count = {lan1: [0, 0], lan2: [0, 0]}
for s in json.load(sys.stdin)["sessions"]:
    host, sport = s["internal"].rsplit(":", 1)
    if s["proto"] != "udp" or host not in count or int(sport) == port:
        continue
    ext = int(s["external"].rsplit(":", 1)[1])
    count[host][0 if ext < 33280 else 1] += 1
print(*count[lan1], *count[lan2])' "$LAN1" "$LAN2" "$LAN_SVC_PORT")
expect_eq "masqctl: lan1's UDP sessions in slice 0 and 1, lan2's in slice 0 and 1" \
  "$slices" "$FLOWS 0 0 $FLOWS"

status_sessions=$(masqctl --json status | "$MQ_PY" -c 'import json,sys; print(json.load(sys.stdin)["sessions"])')
listed=$(masqd_sessions_json | "$MQ_PY" -c 'import json,sys; print(len(json.load(sys.stdin)["sessions"]))')
check "masqctl status counts both workers' sessions ($status_sessions, $listed listed)" \
  test "$status_sessions" -ge $((2 * FLOWS)) -a "$listed" -ge $((2 * FLOWS))
in2out=$(masqd_counter nat in2out)
check "nat.in2out sums both workers ($in2out)" test "$in2out" -ge $((2 * FLOWS))
if [ "$GATEWAY" = masqd-af_xdp ]; then
  # The queue, and so the worker, a forwarded flow lands on is the flow
  # hash's: new source ports until one lands on worker 0 and is handed to
  # lan2's worker (each try has an even chance).
  forwarded=0
  for sport in $(seq 45000 45011); do
    before=$(masqd_counter router wan_handed_off)
    seen=$(probe srv udp "$GW_WAN" "$LAN_SVC_PORT" --sport "$sport") || break
    [ "$(addr_of "$seen")" = "$SRV1" ] || break
    forwarded=$((forwarded + 1))
    [ "$(masqd_counter router wan_handed_off)" -gt "$before" ] && break
  done
  check "a forwarded flow that landed on the other worker was handed off and answered (try $forwarded)" \
    test "$forwarded" -gt 0 -a "$(masqd_counter router wan_handed_off)" -gt "$before"
fi
handed=$(masqd_counter router wan_handed_off)
taken=$(masqd_counter router wan_handed_in)
check "WAN packets were handed between workers ($handed off, $taken in)" \
  test "$handed" -gt 0 -a "$handed" -eq "$taken"
if [ "$GATEWAY" = masqd-af_xdp ]; then
  # No owner-aware steering: LAN packets land on the wrong worker too.
  handed=$(masqd_counter router lan_handed_off)
  taken=$(masqd_counter router lan_handed_in)
  check "LAN packets were handed between workers ($handed off, $taken in)" \
    test "$handed" -gt 0 -a "$handed" -eq "$taken"
fi
echo "# hand-offs: $(masqctl --json counters | "$MQ_PY" -c '
import json, sys
c = json.load(sys.stdin)["counters"]
print(c["hand_off"], "lan", c["router"]["lan_handed_off"], "wan", c["router"]["wan_handed_off"])')"
