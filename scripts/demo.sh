#!/usr/bin/env bash
# masq in two minutes: builds a small network in namespaces, starts masqd
# between a LAN and an "internet", sends real traffic through it, shows its
# session table and counters, and removes everything again (also on Ctrl-C
# or failure). Needs root; nothing leaves this machine.
#
#   scripts/demo.sh BUILD_DIR            (after `make build`: build/release)
#   DEMO_IO=af_xdp scripts/demo.sh ...   AF_XDP instead of AF_PACKET
#   DEMO_GATEWAY=kernel-nft ...          the same traffic through the kernel's
#                                        own NAT, for comparison
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/testnet/lib.sh"

BUILD_DIR=${1:-$MQ_ROOT/build/release}
DEMO_IO=${DEMO_IO:-af_packet}
DEMO_GATEWAY=${DEMO_GATEWAY:-masqd-$DEMO_IO}

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null && exec sudo DEMO_IO="$DEMO_IO" DEMO_GATEWAY="$DEMO_GATEWAY" "$0" "$BUILD_DIR"
  echo "demo: needs root to create network namespaces" >&2
  exit 1
fi
case $DEMO_GATEWAY in
masqd-af_packet | masqd-af_xdp)
  for bin in "$(masqd_bin)" "$(masqctl_bin)"; do
    [ -x "$bin" ] || {
      echo "demo: $bin is missing; run 'make build' first (or pass the build directory)" >&2
      exit 1
    }
  done
  ;;
kernel-nft) ;;
*)
  echo "demo: DEMO_IO must be af_packet or af_xdp (DEMO_GATEWAY: masqd-af_packet, masqd-af_xdp, kernel-nft)" >&2
  exit 1
  ;;
esac

if [ -t 1 ]; then
  bold=$'\e[1m' dim=$'\e[2m' green=$'\e[32m' red=$'\e[31m' off=$'\e[0m'
else
  bold="" dim="" green="" red="" off=""
fi

step=0
heading() {
  step=$((step + 1))
  printf '\n%s%d. %s%s\n' "$bold" "$step" "$1" "$off"
  shift
  local line
  for line in "$@"; do printf '   %s%s%s\n' "$dim" "$line" "$off"; done
}

# show NODE CMD...: prints the command as typed on that host, then runs it.
show() {
  local node=$1
  shift
  local typed="$*" ours="$MQ_PY $MQ_TOOLS/"
  printf '   %s%s$%s %s\n' "$green" "$node" "$off" "${typed//"$ours"/}"
  nsx "$node" "$@" 2>&1 | sed 's/^/     /'
}

demo_failed() {
  if [ "$1" -eq 130 ]; then
    printf '\n%sInterrupted.%s\n' "$red" "$off"
    return 0
  fi
  printf '\n%sThe demo stopped: the last step failed.%s\n' "$red" "$off"
  [[ $DEMO_GATEWAY == masqd-* ]] && masqd_log_tail
}

cleanup() {
  local rc=$?
  trap - EXIT
  # A second Ctrl-C must not leave the network half removed.
  trap '' INT TERM
  # Every step of the teardown runs, whatever the one before returned.
  set +e
  if [ "$rc" -ne 0 ]; then demo_failed "$rc"; fi
  heading "Tearing down" "Stopping the gateway and removing every namespace the demo made."
  if [ -n "${GW_KIND:-}" ]; then gw_stop || rc=1; fi
  net_down
  printf '   done.\n'
  exit "$rc"
}

mq_set_net "mqdemo$$"
trap cleanup EXIT
trap 'exit 130' INT TERM

heading "Building the test network" \
  "Six network namespaces on this machine; traffic never leaves them:" \
  "" \
  "  lan1 192.168.77.2 --+" \
  "                      +-- switch -- lan0 [gateway] wan0 -- 203.0.113.254 [internet] -- server" \
  "  lan2 192.168.77.3 --+              .77.1        203.0.113.1                   198.51.100.10" \
  "" \
  "The server runs an HTTP server, iperf3, and an echo service that tells each" \
  "client the address it came from."
net_up
net_services
net_blob 20

if [[ $DEMO_GATEWAY == masqd-* ]]; then
  heading "Starting masqd ($DEMO_IO)" \
    "masqd owns lan0 and wan0: they carry no kernel IPv4 address; masqd answers" \
    "ARP and ping for 192.168.77.1 and 203.0.113.1 and translates LAN traffic" \
    "to 203.0.113.1. Port 8080 on the public address is forwarded to lan2."
else
  heading "Configuring the kernel's own NAT (nftables), for comparison" \
    "The reference gateway: kernel forwarding with an nftables masquerade."
fi
GW_FORWARDS=("tcp/$LAN_SVC_PORT=$LAN2:$LAN_SVC_PORT")
gw_start "$DEMO_GATEWAY"
if [[ $DEMO_GATEWAY == masqd-* ]]; then
  printf '   %s\n' "$(cat "$MQ_DIR/masqd.cmdline")"
  show gw ip -4 -brief addr show
else
  show gw nft list ruleset
fi

if [[ $DEMO_GATEWAY == masqd-* ]]; then
  heading "The gateway's own network: LAN hosts take their addresses from it" \
    "masqd mirrors lan0 and wan0 into the kernel as masq-lan0 and masq-wan0 (TAPs with" \
    "the gateway's addresses), so ordinary services run on the gateway: here dnsmasq" \
    "on masq-lan0 serves DHCP and DNS. lan1 and lan2 forget their addresses and ask it."
  show gw ip -4 -brief addr show dev masq-lan0
  lan_services_start
  for host in lan1 lan2; do
    lan_dhcp "$host" >/dev/null 2>&1
    show "$host" ip -4 -brief addr show dev eth0
  done
  show lan1 busybox nslookup -type=a "$DHCP_NAME" "$GW_LAN"
fi

heading "Ping through the gateway" \
  "lan1 pings the server on the other side; the server sees 203.0.113.1."
show lan1 ping -c 3 -i 0.3 "$SRV1"

heading "Downloading 20 MB over HTTP" \
  "curl on lan1 fetches a file from the server and checks its sha256."
show lan1 curl -sS -o "$MQ_DIR/download.bin" -w 'received %{size_download} bytes at %{speed_download} bytes/s\n' \
  "http://$SRV1:$HTTP_PORT/blob.bin"
want=$(cat "$MQ_DIR/www/blob.sha256")
got=$(sha256sum "$MQ_DIR/download.bin" | cut -d' ' -f1)
rm -f "$MQ_DIR/download.bin"
if [ "$got" = "$want" ]; then
  printf '     sha256 matches: %s\n' "$got"
else
  printf '     %ssha256 differs: got %s, want %s%s\n' "$red" "$got" "$want" "$off"
  exit 1
fi

heading "Who does the server think it is talking to?" \
  "Each LAN host asks the echo service for the address it saw: both answers are" \
  "the gateway's public address, with different ports (no port overloading)."
show lan1 "$MQ_PY" "$MQ_TOOLS/probe.py" udp "$SRV1" "$ECHO_UDP_PORT" --sport 5000
show lan2 "$MQ_PY" "$MQ_TOOLS/probe.py" udp "$SRV1" "$ECHO_UDP_PORT" --sport 5000
printf '   And from the internet, the forwarded port 8080 reaches lan2:\n'
show srv "$MQ_PY" "$MQ_TOOLS/probe.py" tcp "$GW_WAN" "$LAN_SVC_PORT"

heading "iperf3 for 4 seconds, with the session table read while it runs" \
  "lan1 sends TCP to the server while lan2 holds a TCP connection open."
nsx lan1 iperf3 --client "$SRV1" --port "$IPERF_PORT" --time 4 --format m >"$MQ_DIR/demo-iperf.log" 2>&1 &
iperf_pid=$!
nsx lan2 "$MQ_PY" "$MQ_TOOLS/probe.py" tcp "$SRV1" "$ECHO_TCP_PORT" --hold 4 >/dev/null 2>&1 &
hold_pid=$!
sleep 2
if [[ $DEMO_GATEWAY == masqd-* ]]; then
  printf '   %s$%s masqctl sessions\n' "$green" "$off"
  masqctl sessions 2>&1 | sed 's/^/     /'
else
  printf '   (the kernel reference has no masqctl; conntrack would show this)\n'
fi
wait "$iperf_pid" || {
  cat "$MQ_DIR/demo-iperf.log"
  exit 1
}
wait "$hold_pid" || true
grep -E 'sender|receiver' "$MQ_DIR/demo-iperf.log" | sed 's/^/     /'

if [[ $DEMO_GATEWAY == masqd-* ]]; then
  heading "Counters" \
    "What masqd counted: packets and bytes each way, sessions made, and every drop" \
    "with its reason."
  printf '   %s$%s masqctl counters\n' "$green" "$off"
  masqctl counters 2>&1 | sed 's/^/     /'
fi
