// RouterConfig: what the router needs to know about the gateway's two
// links, as plain values. masqd fills it from config::Config and the
// interfaces it opens (MAC, MTU); validate() says what is inconsistent
// before a Router is made of it. Cold: read once at start.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "masq/nat/engine_config.hpp"
#include "masq/net/ipv4_addr.hpp"
#include "masq/router/arp_cache.hpp"
#include "masq/router/ethernet.hpp"
#include "masq/router/icmp_limiter.hpp"

namespace masq::router {

// One side of the gateway. The interface itself carries no kernel address:
// `address` is masq's own, answered for by the router.
struct InterfaceConfig {
  MacAddr mac;
  net::Ipv4Addr address;
  net::Ipv4Prefix prefix;  // the connected prefix, containing `address`
  std::uint16_t mtu = 1500;
  bool operator==(const InterfaceConfig&) const = default;
};

// The gateway machine's own network stack, reached through a host
// interface per side (a TAP with the link's MAC and address, made by
// masqd). With it enabled, what is addressed to the gateway and not
// consumed by masq (echo and ARP it answers, the engine's sessions and
// forwards) goes to the side's host interface, and link broadcasts
// (DHCP) too; without it, such traffic is dropped.
struct HostConfig {
  bool enabled = false;
  // Ports of the WAN address kept for the host's own connections: the
  // engine never hands them out (nat::EngineConfig::host_ports), so what
  // arrives for them from the WAN goes to the host without asking it.
  nat::PortRange ports{};
  bool operator==(const HostConfig&) const = default;
};

struct RouterConfig {
  InterfaceConfig lan;
  InterfaceConfig wan;
  std::optional<net::Ipv4Addr> wan_gateway;  // next hop for destinations off the WAN prefix

  // The addresses the engine translates to (external_addresses() of its
  // EngineConfig). The router answers ARP on the WAN for those inside the
  // WAN prefix, and knows that LAN packets to any of them hairpin.
  std::vector<nat::AddressRange> externals;

  ArpTimings arp;
  std::uint32_t arp_cache_entries = 1024;  // per side
  // Bursts to one next hop (a traceroute, a new TCP window) must survive
  // one resolution: Linux queues 101 per neighbour (unres_qlen).
  std::uint32_t arp_queue_packets = 256;  // waiting for resolution, both sides together
  std::uint32_t arp_queue_per_hop = 64;   // ... per next hop (RFC 1122 §2.3.2.2: at least 1)

  std::uint32_t max_batch = 256;    // most frames one process() call accepts
  std::uint32_t tx_buffers = 1024;  // frames the router can make in one call (ARP, ICMP, fragments)
  std::uint8_t ttl = 64;            // of the router's own packets (RFC 1700 default)

  // Transit fragments are reassembled before the engine (RFC 4787 REQ-14).
  std::uint32_t reassembly_contexts = 64;       // datagrams collected at once
  std::uint32_t reassembly_max_bytes = 65535;   // largest datagram, header included
  std::uint32_t reassembly_timeout_ms = 30000;  // RFC 791 §3.2 suggests >= 15 s; Linux uses 30 s

  // Every ICMP error the router sends (icmp_limiter.hpp).
  IcmpRateLimit icmp_rate_limit;

  // Source-routed packets (LSRR, SSRR) are dropped unless allowed: RFC
  // 7126 §4.3.5 and §4.4.5 make dropping them the default.
  bool allow_source_route = false;

  // Local delivery of UDP 5351 on the LAN address (PCP and NAT-PMP,
  // local_udp.hpp); requests to it from the WAN are dropped and counted.
  bool local_pcp = false;
  // Source guard (source_guard.hpp): a LAN packet is admitted only from a
  // source whose IP-MAC binding the LAN's ARP cache holds.
  bool source_guard = false;
  HostConfig host;

  bool operator==(const RouterConfig&) const = default;
};

// Every address the engine can translate to: its pool, the external side of
// its static NAT and the addresses of its port forwards, merged into
// sorted, non-overlapping ranges.
std::vector<nat::AddressRange> external_addresses(const nat::EngineConfig& engine);

// Empty when the config can run; otherwise one message per problem, each
// naming the field (e.g. "lan.mtu: 40 is below the IPv4 minimum of 68").
std::vector<std::string> validate(const RouterConfig& cfg);

}  // namespace masq::router
