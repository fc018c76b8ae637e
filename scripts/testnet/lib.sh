# shellcheck shell=bash
# The namespace test network: functions sourced by scripts/testnet.sh, the
# end-to-end tests (tests/e2e), scripts/demo.sh and scripts/bench-e2e.sh.
#
#   lan1 192.168.77.2 --+
#                       +-- [sw: br0] -- lan0 [gw] wan0 -- up0 [inet] srv0 -- eth0 [srv]
#   lan2 192.168.77.3 --+                             203.0.113.254   198.51.100.1   198.51.100.10
#                                                                                    198.51.100.11
#
# Every namespace is named "$MQ_NET-<node>", so runs with different MQ_NET
# never collide; the run's files (logs, pid files, the HTTP blob, the
# gateway's config) live in "$MQ_DIR". The gateway is a parameter:
#   kernel-nft       the kernel's own forwarding and nftables NAT, configured
#                    the way a careful admin would: the reference.
#   masqd-af_packet  masqd with its AF_PACKET backend; lan0/wan0 carry no
#   masqd-af_xdp     kernel IPv4 address, masqd owns 192.168.77.1 and 203.0.113.1.
# What the gateway translates comes from GW_FORWARDS, GW_STATICS and GW_POOL
# (set them before gw_start), rendered for either implementation.
# All traffic stays inside these namespaces.

MQ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MQ_TOOLS=$MQ_ROOT/scripts/testnet
# Debian's interpreter: it has scapy; a pyenv one earlier on PATH may not.
MQ_PY=/usr/bin/python3

LAN_PREFIX=192.168.77.0/24
GW_LAN=192.168.77.1
LAN1=192.168.77.2
LAN2=192.168.77.3
WAN_PREFIX_LEN=24
GW_WAN=203.0.113.1
INET_WAN=203.0.113.254
INET_SRV=198.51.100.1
SRV1=198.51.100.10
SRV2=198.51.100.11

# Ports of the services (see net_services).
HTTP_PORT=80
IPERF_PORT=5201
ECHO_UDP_PORT=3478 # peer_echo: answers with the source address it saw
ECHO_TCP_PORT=7
CLOSED_UDP_PORT=9 # nothing listens there on the server
LAN_SVC_PORT=8080 # peer_echo on both LAN hosts, UDP and TCP

MQ_NODES=(sw lan1 lan2 gw inet srv)
GW_KINDS=(kernel-nft masqd-af_packet masqd-af_xdp)

# Translation wanted from the gateway, as masqd's flags spell it:
#   GW_FORWARDS  "tcp/8080=192.168.77.3:8080" ...
#   GW_STATICS   "192.168.77.3=203.0.113.3" ... (internal=external)
#   GW_POOL      "203.0.113.10-203.0.113.11" ... (nat.pool entries)
#   GW_MAX_SESSIONS  masqd's nat.max_sessions (empty: its default)
#   GW_WORKERS   masqd's --workers (empty: its default, one per CPU)
#   GW_QUEUES    rx and tx queues of lan0 and wan0 and their peers (empty:
#                GW_WORKERS, else the veth default: 1, at most one per
#                CPU with gw_queues): AF_XDP binds worker k to queue k
GW_FORWARDS=()
GW_STATICS=()
GW_POOL=()
GW_MAX_SESSIONS=${GW_MAX_SESSIONS:-} # masqd's nat.max_sessions, when not the default
GW_WORKERS=${GW_WORKERS:-}
GW_QUEUES=${GW_QUEUES:-}
GW_NAT_TOML=${GW_NAT_TOML:-}         # more TOML for masqd's config, after [nat] ("[nat.udp]...")
GW_IO_TOML=${GW_IO_TOML:-}           # more keys of masqd's [io] ("busy_poll_us = 0")
GW_WAN_DHCP=${GW_WAN_DHCP:-}         # 1: masqd takes its WAN address by DHCP (--wan wan0=dhcp)
WAN_MTU=${WAN_MTU:-}

mq_log() { printf '[testnet] %s\n' "$*" >&2; }

ns() { printf '%s-%s' "$MQ_NET" "$1"; }

# nsx NODE CMD...: runs CMD inside NODE's namespace.
nsx() {
  local node=$1
  shift
  ip netns exec "$(ns "$node")" "$@"
}

# nsbg NODE NAME CMD...: starts CMD in the background inside NODE, output
# to $MQ_DIR/NAME.log; its pid goes to $MQ_DIR/NAME.pid.
nsbg() {
  local node=$1 name=$2
  shift 2
  ip netns exec "$(ns "$node")" "$@" >"$MQ_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$MQ_DIR/$name.pid"
}

mq_set_net() {
  MQ_NET=$1
  MQ_DIR=${MQ_RUNDIR:-/tmp}/$MQ_NET
}

# wait_until SECONDS CMD...: retries CMD every 0.1 s until it succeeds.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# veth NODE_A IF_A NODE_B IF_B [QUEUES]: a veth pair made inside the
# namespaces, so nothing ever appears in the root namespace, with QUEUES
# rx and tx queues on each end (else the kernel's default). A veth picks
# the receiving queue by the sender's transmit queue, which the kernel
# picks by flow hash: several queues spread flows as a NIC's RSS does.
veth() {
  local q=()
  [ -z "${5:-}" ] || q=(numtxqueues "$5" numrxqueues "$5")
  ip -n "$(ns "$1")" link add "$2" "${q[@]}" type veth peer name "$4" "${q[@]}" netns "$(ns "$3")"
  ip -n "$(ns "$1")" link set "$2" up
  ip -n "$(ns "$3")" link set "$4" up
}

# Bridge netfilter: with br_netfilter in the kernel, every new namespace
# starts with these at 1, and a bridge then runs bridged IPv4 through the
# kernel's IP input checks (and ARP and IPv6 through their tables). The
# switch would drop a frame with a bad header checksum, total length or
# IHL itself, and the gateway behind it would never see it. Without
# br_netfilter there is no /proc/sys/net/bridge and no such hook.
BRIDGE_NF_SYSCTLS=(net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
  net.bridge.bridge-nf-call-arptables)

sw_bridge_nf_off() {
  nsx sw test -d /proc/sys/net/bridge || return 0
  local s
  for s in "${BRIDGE_NF_SYSCTLS[@]}"; do
    nsx sw sysctl -qw "$s=0" || return 1
  done
}

# sw_is_plain_wire: fails, saying why, unless every bridge netfilter hook is
# off in the switch's namespace.
sw_is_plain_wire() {
  nsx sw test -d /proc/sys/net/bridge || return 0
  local s value
  for s in "${BRIDGE_NF_SYSCTLS[@]}"; do
    value=$(nsx sw sysctl -n "$s") || value="unreadable"
    if [ "$value" != 0 ]; then
      mq_log "the LAN switch is not a plain wire: $s = $value in $(ns sw)"
      return 1
    fi
  done
}

net_exists() { ip netns list 2>/dev/null | grep -q "^$(ns gw)\b"; }

# Fails at the first command that fails (a subshell with errexit: callers
# such as the tests do not run with set -e).
net_up() (
  set -e
  : "${MQ_NET:?MQ_NET must be set (mq_set_net)}"
  mkdir -p "$MQ_DIR"
  local n
  for n in "${MQ_NODES[@]}"; do
    ip netns add "$(ns "$n")"
    ip -n "$(ns "$n")" link set lo up
  done

  # The LAN switch: a plain bridge in its own namespace, so that the
  # gateway holds lan0 itself, and a plain L2 wire (sw_bridge_nf_off).
  ip -n "$(ns sw)" link add br0 type bridge
  ip -n "$(ns sw)" link set br0 up
  sw_bridge_nf_off
  sw_is_plain_wire
  local host addr
  for host in lan1 lan2; do
    addr=$LAN1
    [ "$host" = lan2 ] && addr=$LAN2
    veth "$host" eth0 sw "p-$host"
    ip -n "$(ns sw)" link set "p-$host" master br0
    ip -n "$(ns "$host")" addr add "$addr/24" dev eth0
    ip -n "$(ns "$host")" route add default via "$GW_LAN"
    # Lets probe.py's ping sockets choose their echo identifier.
    nsx "$host" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
  done
  local queues=${GW_QUEUES:-$GW_WORKERS}
  veth gw lan0 sw p-gw "$queues"
  ip -n "$(ns sw)" link set p-gw master br0

  # WAN link. Offloads stay at the veth defaults (TSO, GSO, checksum
  # offload on): the gateway must cope with what a real kernel hands it.
  veth gw wan0 inet up0 "$queues"
  if [ -n "$WAN_MTU" ]; then
    ip -n "$(ns gw)" link set wan0 mtu "$WAN_MTU"
    ip -n "$(ns inet)" link set up0 mtu "$WAN_MTU"
  fi
  ip -n "$(ns inet)" addr add "$INET_WAN/$WAN_PREFIX_LEN" dev up0

  # The "internet": a router in front of a server network.
  veth inet srv0 srv eth0
  ip -n "$(ns inet)" addr add "$INET_SRV/24" dev srv0
  nsx inet sysctl -qw net.ipv4.ip_forward=1
  ip -n "$(ns srv)" addr add "$SRV1/24" dev eth0
  ip -n "$(ns srv)" addr add "$SRV2/24" dev eth0
  ip -n "$(ns srv)" route add default via "$INET_SRV"
)

# gw_queues N: N rx and tx queues on lan0 and wan0 and their peers, up to
# the maximum they were made with (a veth's default: one per CPU); the
# gateway must be stopped.
gw_queues() {
  nsx gw ethtool -L lan0 rx "$1" tx "$1" && nsx sw ethtool -L p-gw rx "$1" tx "$1" &&
    nsx gw ethtool -L wan0 rx "$1" tx "$1" && nsx inet ethtool -L up0 rx "$1" tx "$1"
}

# listening NODE tcp|udp PORT
listening() {
  local flag=-Hltn
  [ "$2" = udp ] && flag=-Hlun
  nsx "$1" ss "$flag" "sport = :$3" | grep -q .
}

# net_blob MB: a file of MB random megabytes the HTTP server serves as
# /blob.bin; its sha256 is in $MQ_DIR/www/blob.sha256.
net_blob() {
  head -c $(($1 * 1024 * 1024)) /dev/urandom >"$MQ_DIR/www/blob.bin"
  (cd "$MQ_DIR/www" && sha256sum blob.bin | cut -d' ' -f1 >blob.sha256)
}

net_services() {
  mkdir -p "$MQ_DIR/www"
  nsbg srv http "$MQ_PY" -m http.server "$HTTP_PORT" --bind "$SRV1" --directory "$MQ_DIR/www"
  nsbg srv iperf3 iperf3 --server --bind "$SRV1" --port "$IPERF_PORT"
  nsbg srv echo "$MQ_PY" "$MQ_TOOLS/peer_echo.py" --bind "$SRV1" --bind "$SRV2" \
    --udp "$ECHO_UDP_PORT" --tcp "$ECHO_TCP_PORT"
  local host
  for host in lan1 lan2; do
    nsbg "$host" "echo-$host" "$MQ_PY" "$MQ_TOOLS/peer_echo.py" \
      --udp "$LAN_SVC_PORT" --tcp "$LAN_SVC_PORT" --udp "$ECHO_TCP_PORT" --tcp "$ECHO_TCP_PORT"
  done

  if ! { wait_until 10 listening srv tcp "$HTTP_PORT" &&
    wait_until 10 listening srv tcp "$IPERF_PORT" &&
    wait_until 10 listening srv udp "$ECHO_UDP_PORT" &&
    wait_until 10 listening lan1 tcp "$LAN_SVC_PORT" &&
    wait_until 10 listening lan2 tcp "$LAN_SVC_PORT"; }; then
    mq_log "services did not start; logs in $MQ_DIR"
    return 1
  fi
}

# Ends every process left in our namespaces (all of them were started by
# this run: the namespaces are unique to it), then removes the namespaces
# and the run directory. Safe to call twice and on a half-built network.
net_down() {
  [ -n "${MQ_NET:-}" ] || return 0
  local n pids=()
  for n in "${MQ_NODES[@]}"; do
    ip netns list 2>/dev/null | grep -q "^$(ns "$n")\b" || continue
    mapfile -t pids < <(ip netns pids "$(ns "$n")" 2>/dev/null)
    [ ${#pids[@]} -eq 0 ] || kill -TERM "${pids[@]}" 2>/dev/null
  done
  local deadline=$((SECONDS + 3))
  for n in "${MQ_NODES[@]}"; do
    ip netns list 2>/dev/null | grep -q "^$(ns "$n")\b" || continue
    while mapfile -t pids < <(ip netns pids "$(ns "$n")" 2>/dev/null) && [ ${#pids[@]} -gt 0 ]; do
      if ((SECONDS >= deadline)); then
        kill -KILL "${pids[@]}" 2>/dev/null
        sleep 0.1
        break
      fi
      sleep 0.1
    done
    ip netns del "$(ns "$n")" 2>/dev/null || true
  done
  [ -n "${MQ_DIR:-}" ] && [ -d "$MQ_DIR" ] && [ -z "${MQ_KEEP_DIR:-}" ] && rm -rf "$MQ_DIR"
  return 0
}

# --- the gateway ------------------------------------------------------------

# Expands "A", "A-B" into one address per line (pool entries for the kernel).
expand_range() {
  "$MQ_PY" - "$1" <<'EOF'
import ipaddress, sys
first, _, last = sys.argv[1].partition("-")
a = ipaddress.IPv4Address(first)
b = ipaddress.IPv4Address(last or first)
while a <= b:
    print(a)
    a += 1
EOF
}

# The reference: what a competent admin writes for the same policy with the
# kernel's NAT. Forwards and static NAT are DNAT rules that apply to LAN
# sources too, so hairpinned flows reach the inside host; their source is
# rewritten to the public address (RFC 4787 REQ-9a). Dynamic translation
# is masquerade or, for a pool, SNAT "persistent" (the address depends on
# the source only: paired pooling, RFC 4787 REQ-2). Nothing unsolicited
# from the WAN is forwarded or answered (no RST: RFC 5382 REQ-4).
kernel_ruleset() {
  local fwd proto port internal st
  echo "table ip masq_ref {"
  echo "  chain prerouting {"
  echo "    type nat hook prerouting priority dstnat; policy accept;"
  for fwd in "${GW_FORWARDS[@]}"; do
    proto=${fwd%%/*}
    port=${fwd#*/}
    port=${port%%=*}
    internal=${fwd#*=}
    echo "    ip daddr $GW_WAN $proto dport $port dnat to $internal"
  done
  for st in "${GW_STATICS[@]}"; do
    echo "    ip daddr ${st#*=} dnat to ${st%%=*}"
  done
  echo "  }"
  echo "  chain postrouting {"
  echo "    type nat hook postrouting priority srcnat; policy accept;"
  echo "    oifname \"lan0\" ip saddr $LAN_PREFIX ct status dnat snat to $GW_WAN"
  for st in "${GW_STATICS[@]}"; do
    echo "    oifname \"wan0\" ip saddr ${st%%=*} snat to ${st#*=}"
  done
  if [ ${#GW_POOL[@]} -gt 0 ]; then
    [ ${#GW_POOL[@]} -eq 1 ] || {
      mq_log "kernel-nft: nftables snat takes one range; pool is ${GW_POOL[*]}"
      return 1
    }
    echo "    oifname \"wan0\" ip saddr $LAN_PREFIX snat to ${GW_POOL[0]} persistent"
  else
    echo "    oifname \"wan0\" ip saddr $LAN_PREFIX masquerade"
  fi
  echo "  }"
  echo "  chain input {"
  echo "    type filter hook input priority filter; policy drop;"
  echo "    iif lo accept"
  echo "    ct state established,related accept"
  echo "    icmp type echo-request accept"
  echo "  }"
  echo "  chain forward {"
  echo "    type filter hook forward priority filter; policy drop;"
  echo "    ct state established,related accept"
  echo "    iifname \"lan0\" accept"
  echo "    iifname \"wan0\" ct status dnat accept"
  echo "  }"
  echo "}"
}

kernel_gw_start() (
  set -e
  ip -n "$(ns gw)" addr add "$GW_LAN/24" dev lan0
  ip -n "$(ns gw)" addr add "$GW_WAN/$WAN_PREFIX_LEN" dev wan0
  local entry addrs a
  for entry in "${GW_POOL[@]}" "${GW_STATICS[@]#*=}"; do
    addrs=$(expand_range "$entry")
    for a in $addrs; do
      [ "$a" = "$GW_WAN" ] || ip -n "$(ns gw)" addr add "$a/32" dev wan0
    done
  done
  ip -n "$(ns gw)" route add default via "$INET_WAN"
  nsx gw sysctl -qw net.ipv4.ip_forward=1
  # Hairpinned flows leave by the interface they came in on; they must not
  # draw ICMP redirects.
  nsx gw sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.lan0.send_redirects=0
  kernel_ruleset >"$MQ_DIR/ruleset.nft"
  nsx gw nft -f "$MQ_DIR/ruleset.nft"
)

kernel_gw_stop() {
  nsx gw nft flush ruleset 2>/dev/null
  nsx gw sysctl -qw net.ipv4.ip_forward=0
  ip -n "$(ns gw)" addr flush dev lan0 2>/dev/null
  ip -n "$(ns gw)" addr flush dev wan0 2>/dev/null
  return 0
}

# masqd_bin: the daemon of $BUILD_DIR (or $MASQD).
masqd_bin() { printf '%s' "${MASQD:-${BUILD_DIR:-}/apps/masqd/masqd}"; }
masqctl_bin() { printf '%s' "${MASQCTL:-${BUILD_DIR:-}/apps/masqctl/masqctl}"; }
masq_sock() { printf '%s/masq.sock' "$MQ_DIR"; }

# masqctl ARGS...: masqctl against the running gateway.
masqctl() { "$(masqctl_bin)" --socket "$(masq_sock)" "$@"; }

# The parts of masqd's configuration that have no flag (docs/config.md),
# written for the tests that need [nat] (a pool, static pairs): the ring
# sizes (the defaults, spelled out so that those runs carry the [io] keys
# through to the ports) and [nat]. The interfaces, forwards, backend and
# control socket are given as flags.
masqd_config() {
  local st p sep=""
  echo "# written by scripts/testnet/lib.sh for one test run"
  printf '[io]\nrx_frames = 4096\ntx_frames = 4096\n%s\n\n' "$GW_IO_TOML"
  echo "[nat]"
  [ -z "$GW_MAX_SESSIONS" ] || echo "max_sessions = $GW_MAX_SESSIONS"
  if [ ${#GW_POOL[@]} -gt 0 ]; then
    printf 'pool = ['
    for p in "${GW_POOL[@]}"; do
      printf '%s"%s"' "$sep" "$p"
      sep=", "
    done
    printf ']\n'
  fi
  for st in "${GW_STATICS[@]}"; do
    printf '\n[[nat.static]]\ninternal = "%s"\nexternal = "%s"\n' "${st%%=*}" "${st#*=}"
  done
  [ -z "$GW_NAT_TOML" ] || printf '\n%s\n' "$GW_NAT_TOML"
}

masqd_gw_start() {
  local io=$1 bin fwd
  bin=$(masqd_bin)
  [ -x "$bin" ] || {
    mq_log "no masqd at '$bin' (set BUILD_DIR or MASQD)"
    return 1
  }
  local args=(--lan "lan0=$GW_LAN/24" --io "$io" --control "$(masq_sock)")
  if [ -n "$GW_WAN_DHCP" ]; then
    args+=(--wan "wan0=dhcp")
  else
    args+=(--wan "wan0=$GW_WAN/$WAN_PREFIX_LEN" --gateway "$INET_WAN")
  fi
  for fwd in "${GW_FORWARDS[@]}"; do args+=(--forward "$fwd"); done
  [ -z "$GW_WORKERS" ] || args+=(--workers "$GW_WORKERS")
  if [ ${#GW_POOL[@]} -gt 0 ] || [ ${#GW_STATICS[@]} -gt 0 ] || [ -n "$GW_MAX_SESSIONS" ] ||
    [ -n "$GW_NAT_TOML" ] || [ -n "$GW_IO_TOML" ]; then
    masqd_config >"$MQ_DIR/masq.toml"
    args+=(--config "$MQ_DIR/masq.toml")
  fi
  rm -f "$(masq_sock)"
  echo "$bin ${args[*]}" >"$MQ_DIR/masqd.cmdline"
  nsbg gw masqd "$bin" "${args[@]}"
  MASQD_PID=$(cat "$MQ_DIR/masqd.pid")

  # Ready when the control socket exists and the gateway answers ARP and
  # ping for its LAN address.
  if ! wait_until 15 test -S "$(masq_sock)"; then
    mq_log "masqd made no control socket within 15 s"
    masqd_log_tail
    return 1
  fi
  if ! wait_until 10 nsx lan1 ping -c 1 -W 1 "$GW_LAN"; then
    mq_log "masqd does not answer ping on $GW_LAN"
    masqd_log_tail
    return 1
  fi
}

masqd_log_tail() {
  [ -f "$MQ_DIR/masqd.log" ] || return 0
  mq_log "masqd stderr (last 40 lines of $MQ_DIR/masqd.log):"
  tail -n 40 "$MQ_DIR/masqd.log" | sed 's/^/    | /' >&2
}

# Stops masqd with SIGTERM; fails if it does not exit within 10 s, exits
# non-zero, or a sanitizer reported anything.
masqd_gw_stop() {
  local pid=${MASQD_PID:-}
  [ -n "$pid" ] || pid=$(cat "$MQ_DIR/masqd.pid" 2>/dev/null) || return 0
  MASQD_PID=
  rm -f "$MQ_DIR/masqd.pid"
  local deadline=$((SECONDS + 10)) rc=0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
  else
    # Gone already: a Ctrl-C reaches the whole process group, masqd too.
    mq_log "masqd (pid $pid) had already exited"
  fi
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      mq_log "masqd ignored SIGTERM for 10 s; killing it"
      kill -KILL "$pid"
      masqd_log_tail
      return 1
    fi
    sleep 0.1
  done
  # Our own child (started by this shell): its status is known.
  if wait "$pid" 2>/dev/null; then rc=0; else rc=$?; fi
  [ "$rc" -eq 127 ] && rc=0 # not our child: status unknown
  if [ "$rc" -ne 0 ]; then
    mq_log "masqd exited with status $rc after SIGTERM"
    masqd_log_tail
    return 1
  fi
  if grep -qE 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' "$MQ_DIR/masqd.log"; then
    mq_log "masqd's sanitizers reported errors"
    masqd_log_tail
    return 1
  fi
}

# gw_start KIND: brings the gateway up and waits until it works.
gw_start() {
  GW_KIND=$1
  case $GW_KIND in
  kernel-nft) kernel_gw_start ;;
  masqd-af_packet) masqd_gw_start af_packet ;;
  masqd-af_xdp) masqd_gw_start af_xdp ;;
  *)
    mq_log "unknown gateway '$GW_KIND' (one of: ${GW_KINDS[*]})"
    return 1
    ;;
  esac
}

gw_stop() {
  case ${GW_KIND:-} in
  kernel-nft) kernel_gw_stop ;;
  masqd-*) masqd_gw_stop ;;
  esac
  local rc=$?
  GW_KIND=
  return $rc
}

# --- the gateway's own LAN services --------------------------------------------

DHCP_NAME=server.masq.test # dnsmasq's name for $SRV1
DHCP_FIRST=192.168.77.100  # the dynamic range; lan1 and lan2 keep theirs by MAC
DHCP_LAST=192.168.77.150

# lan_services_start: dnsmasq on the gateway's LAN host interface (masqd's
# masq-lan0): DHCP with the gateway as router and DNS server, lan1 and lan2
# given their usual addresses by MAC, and DNS answering $DHCP_NAME.
lan_services_start() {
  local mac1 mac2
  mac1=$(nsx lan1 cat /sys/class/net/eth0/address)
  mac2=$(nsx lan2 cat /sys/class/net/eth0/address)
  nsbg gw dnsmasq dnsmasq --no-daemon --user=root --interface=masq-lan0 --bind-interfaces \
    --except-interface=lo --no-resolv --no-hosts --log-dhcp \
    --dhcp-range="$DHCP_FIRST,$DHCP_LAST,255.255.255.0,1h" \
    --dhcp-option=option:router,"$GW_LAN" --dhcp-option=option:dns-server,"$GW_LAN" \
    --dhcp-host="$mac1,$LAN1" --dhcp-host="$mac2,$LAN2" \
    --address="/$DHCP_NAME/$SRV1" --dhcp-leasefile="$MQ_DIR/dnsmasq.leases"
  wait_until 10 listening gw udp 67 && wait_until 10 listening gw udp 53
}

# wan_dhcp_start ADDR: dnsmasq on the upstream router's up0 leases the
# gateway's wan0 ADDR (a reservation by MAC, in $MQ_DIR/wan-hosts, which
# wan_dhcp_reserve rewrites) with the router as default route; DHCP only.
wan_dhcp_start() {
  wan_dhcp_reserve "$1"
  nsbg inet wan-dnsmasq dnsmasq --no-daemon --user=root --interface=up0 --bind-interfaces \
    --except-interface=lo --port=0 --log-dhcp --dhcp-authoritative \
    --dhcp-range="203.0.113.100,203.0.113.199,255.255.255.0,2m" \
    --dhcp-option=option:router,"$INET_WAN" --dhcp-hostsfile="$MQ_DIR/wan-hosts" \
    --dhcp-leasefile="$MQ_DIR/wan-dnsmasq.leases"
  wait_until 10 listening inet udp 67
}

# wan_dhcp_reserve ADDR: the gateway's reservation becomes ADDR (dnsmasq
# rereads its hosts file on SIGHUP).
wan_dhcp_reserve() {
  local mac
  mac=$(nsx gw cat /sys/class/net/wan0/address)
  echo "$mac,$1" >"$MQ_DIR/wan-hosts"
  [ -f "$MQ_DIR/wan-dnsmasq.pid" ] && kill -HUP "$(cat "$MQ_DIR/wan-dnsmasq.pid")" 2>/dev/null
  return 0
}

# lan_dhcp HOST: HOST forgets its address and takes one from the gateway's
# DHCP server with udhcpc; the lease's DNS server lands in $MQ_DIR/HOST.dns.
lan_dhcp() {
  local host=$1
  ip -n "$(ns "$host")" -4 addr flush dev eth0
  nsx "$host" env UDHCPC_DNS_FILE="$MQ_DIR/$host.dns" \
    udhcpc -i eth0 -f -q -n -t 5 -T 2 -s "$MQ_TOOLS/udhcpc.script"
}

# --- captures -----------------------------------------------------------------

# cap_start NAME NODE IFACE FILTER...: tcpdump into $MQ_DIR/NAME.pcap, ready
# when this returns. cap_stop NAME ends it; cap_show NAME prints it.
cap_start() {
  local name=$1 node=$2 iface=$3
  shift 3
  nsbg "$node" "cap-$name" tcpdump -n -U --immediate-mode -i "$iface" -w "$MQ_DIR/$name.pcap" "$@"
  wait_until 5 grep -q "listening on" "$MQ_DIR/cap-$name.log"
}

cap_stop() {
  local pid
  pid=$(cat "$MQ_DIR/cap-$1.pid" 2>/dev/null) || return 0
  kill -INT "$pid" 2>/dev/null
  wait_until 5 sh -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -f "$MQ_DIR/cap-$1.pid"
  return 0
}

cap_show() { tcpdump -n -v -r "$MQ_DIR/$1.pcap" "${@:2}" 2>/dev/null; }
cap_count() { tcpdump -n -r "$MQ_DIR/$1.pcap" "${@:2}" 2>/dev/null | wc -l; }
