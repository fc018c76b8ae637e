// Test frames for the offload code: Ethernet around a packet from the test
// packet builder, and the CHECKSUM_PARTIAL form Linux leaves for "hardware"
// to finish. Uses only the tests' own checksum code. Cold.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "support/packet_spec.hpp"

namespace masq::test {

inline constexpr std::size_t kEthernetBytes = 14;
inline constexpr std::size_t kVlanTagBytes = 4;

// An Ethernet II frame carrying build_packet(spec), with one 802.1Q tag
// when `vlan`.
std::vector<std::uint8_t> ethernet_frame(const PacketSpec& spec, bool vlan = false);

// Offset of the IPv4 header in a frame from ethernet_frame().
std::size_t ipv4_offset(bool vlan);

// Replaces the TCP/UDP checksum of the IPv4 packet at `l3` with the folded
// pseudo-header sum, as the Linux stack writes it for CHECKSUM_PARTIAL.
// The length in the pseudo-header is the transport length from the IPv4
// total length.
void make_partial(std::vector<std::uint8_t>& frame, std::size_t l3);

// Offset of the transport checksum field in the frame.
std::size_t l4_checksum_offset(std::span<const std::uint8_t> frame, std::size_t l3);

}  // namespace masq::test
