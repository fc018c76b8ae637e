// The pcap link types masq-replay reads and writes: Ethernet II and raw IP.
// What is inside an Ethernet frame (VLAN tags included) is the router's to
// parse (masq/router/ethernet.hpp). Pure functions; cold.
#pragma once

#include <cstdint>
#include <optional>

namespace masq::replay {

// One value per accepted pcap link type, so that an output can use exactly
// the link type of its input.
enum class LinkType : std::uint8_t {
  ethernet,  // DLT_EN10MB
  raw_ip,    // DLT_RAW: IPv4 or IPv6, told apart by the version nibble
  raw_ipv4,  // DLT_IPV4 (LINKTYPE_IPV4): IPv4 only
};

std::optional<LinkType> link_type_from_dlt(int dlt);
int to_dlt(LinkType type);

}  // namespace masq::replay
