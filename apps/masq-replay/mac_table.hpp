// MacTable: for one side, the source MAC of the last frame seen from each
// IPv4 source address. masq-replay cannot run ARP against a capture, so it
// addresses the Ethernet frames it writes to the MAC the destination host
// last used itself, or to broadcast when that host has not been seen.
// Cold; lookups only, so the hash order never shows in any output.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>

#include "link_layer.hpp"
#include "masq/net/ipv4_addr.hpp"

namespace masq::replay {

class MacTable {
 public:
  // Learns from one captured frame: `ip` is its network-layer part. Frames
  // too short for an IPv4 source address, or with a group (multicast) source
  // MAC, which no host can own, teach nothing.
  void learn(const MacAddr& src_mac, std::span<const std::uint8_t> ip);
  MacAddr lookup(net::Ipv4Addr ip) const;  // kBroadcastMac when unknown

 private:
  std::unordered_map<std::uint32_t, MacAddr> macs_;
};

}  // namespace masq::replay
