#!/usr/bin/env bash
# Installs the Debian 12 packages masq needs to build, test, benchmark and
# run its demo. Idempotent: does nothing when everything is present.
set -euo pipefail

packages=(
  # build
  build-essential ccache cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format clang-tidy
  # libraries
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  libpcap-dev libxdp-dev libbpf-dev libnl-route-3-dev libsystemd-dev zlib1g-dev
  # man pages, made from the programs' --help at build time
  help2man
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-scapy valgrind
  # the namespace test network and its real clients
  iproute2 iputils-ping curl iperf3 hping3 nftables tcpdump traceroute xdp-tools ethtool bpftool
  socat netcat-openbsd busybox netsniff-ng natpmpc coturn stun-client
  # promtool, to check the metrics masqd exposes; nfcapd and nfdump, to
  # decode its IPFIX NAT event records
  prometheus nfdump
  # the gateway host's LAN services (dnsmasq) and DHCP clients
  dnsmasq-base udhcpc
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
