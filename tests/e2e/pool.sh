#!/usr/bin/env bash
# Pool NAT with two external addresses (nat.pool = 203.0.113.10-11): every
# mapping is on a pool address, and each host's flows (UDP, TCP, to two
# servers) all use one address: paired pooling, RFC 4787 REQ-2, RFC 6888
# REQ-2.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
POOL_FIRST=203.0.113.10
POOL_LAST=203.0.113.11
GW_POOL=("$POOL_FIRST-$POOL_LAST")
e2e_setup

for host in lan1 lan2; do
  addrs=()
  for sport in 41000 41001 41002 41003; do
    for server in "$SRV1" "$SRV2"; do
      m=$(probe "$host" udp "$server" "$ECHO_UDP_PORT" --sport "$sport") || m="none:0"
      addrs+=("$(addr_of "$m")")
      m=$(probe "$host" tcp "$server" "$ECHO_TCP_PORT") || m="none:0"
      addrs+=("$(addr_of "$m")")
    done
  done
  distinct=$(printf '%s\n' "${addrs[@]}" | sort -u | paste -sd' ')
  expect_eq "$host's 16 UDP and TCP flows all use one external address" "$(wc -w <<<"$distinct")" 1
  case $distinct in
  "$POOL_FIRST" | "$POOL_LAST") ok "$host's address $distinct is in the pool" ;;
  *) not_ok "$host's external addresses '$distinct' are not one pool address" ;;
  esac
done
check "lan1 pings the server through the pool" nsx lan1 ping -c 2 -i 0.2 -W 2 "$SRV1"
