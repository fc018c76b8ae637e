// The test network of the router suites:
//   LAN 192.168.1.0/24: router .1, hosts H1 .10 and H2 .20;
//   WAN 203.0.113.0/24, MTU 1280: router .1 (also the masquerade
//   address), gateway .254, a neighbour .9, static NAT external .50 (for H2);
//   a remote server 198.51.100.7 behind the gateway.
// Cold, header-only constants.
#pragma once

#include "masq/nat/engine_config.hpp"
#include "masq/router/router_config.hpp"
#include "router/frames.hpp"

namespace masq::router::test {

namespace topo {
inline const net::Ipv4Addr kLanAddr = net::Ipv4Addr::from_octets(192, 168, 1, 1);
inline const net::Ipv4Addr kH1 = net::Ipv4Addr::from_octets(192, 168, 1, 10);
inline const net::Ipv4Addr kH2 = net::Ipv4Addr::from_octets(192, 168, 1, 20);
inline const net::Ipv4Addr kWanAddr = net::Ipv4Addr::from_octets(203, 0, 113, 1);
inline const net::Ipv4Addr kNeighbour = net::Ipv4Addr::from_octets(203, 0, 113, 9);
inline const net::Ipv4Addr kStaticExt = net::Ipv4Addr::from_octets(203, 0, 113, 50);
inline const net::Ipv4Addr kGateway = net::Ipv4Addr::from_octets(203, 0, 113, 254);
inline const net::Ipv4Addr kRemote = net::Ipv4Addr::from_octets(198, 51, 100, 7);

inline const MacAddr kLanMac = mac(1, 0x01);
inline const MacAddr kH1Mac = mac(1, 0x10);
inline const MacAddr kH2Mac = mac(1, 0x20);
inline const MacAddr kWanMac = mac(2, 0x01);
inline const MacAddr kNeighbourMac = mac(2, 0x09);
inline const MacAddr kGatewayMac = mac(2, 0xFE);

inline constexpr std::uint16_t kWanMtu = 1280;
inline constexpr std::uint64_t kSecond = 1'000'000'000;
}  // namespace topo

inline nat::EngineConfig engine_config() {
  nat::EngineConfig e;
  e.inside = {net::Ipv4Prefix(topo::kLanAddr, 24)};
  e.pool = {{topo::kWanAddr, topo::kWanAddr}};
  e.static_nat = {{topo::kH2, topo::kStaticExt}};
  e.max_sessions = 1024;
  e.max_subscribers = 64;
  e.seed = 7;
  return e;
}

inline RouterConfig router_config() {
  RouterConfig c;
  c.lan = {topo::kLanMac, topo::kLanAddr, net::Ipv4Prefix(topo::kLanAddr, 24), 1500};
  c.wan = {topo::kWanMac, topo::kWanAddr, net::Ipv4Prefix(topo::kWanAddr, 24), topo::kWanMtu};
  c.wan_gateway = topo::kGateway;
  c.externals = external_addresses(engine_config());
  c.arp = {/*reachable_ms=*/30000, /*retry_ms=*/1000, /*max_retries=*/3};
  c.arp_cache_entries = 64;
  c.arp_queue_packets = 16;
  c.arp_queue_per_hop = 3;
  c.max_batch = 32;
  c.tx_buffers = 64;
  return c;
}

}  // namespace masq::router::test
