// Test helpers for the router suites: Ethernet frames around the support
// library's packets, copies of what a Router call sent, a naive IPv4
// reassembler written apart from the fragmenter it checks, and fragments
// cut by hand for the reassembler. Cold.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "masq/router/arp.hpp"
#include "masq/router/ethernet.hpp"
#include "masq/router/output.hpp"
#include "support/checksum_oracle.hpp"
#include "support/packet_spec.hpp"

namespace masq::router::test {

using Bytes = std::vector<std::uint8_t>;

// 02:00:00:00:SS:HH, a locally administered unicast address.
MacAddr mac(std::uint8_t side, std::uint8_t host);

Bytes ethernet_frame(const MacAddr& dst, const MacAddr& src, std::uint16_t ether_type,
                     std::span<const std::uint8_t> payload);
Bytes ipv4_frame(const MacAddr& dst, const MacAddr& src, const masq::test::PacketSpec& spec);
Bytes arp_frame(const MacAddr& dst, const MacAddr& src, const ArpPacket& arp);

// A frame as sent, copied out of the router's buffers.
struct SentFrame {
  EthernetHeader eth;
  Bytes payload;
};
std::vector<SentFrame> sent(const Output& out, Side side);

// Joins fragments (in any order) into one datagram: the header of the
// offset-0 fragment with MF cleared and the total length and checksum
// rewritten. Fails the test (ADD_FAILURE) on gaps or overlaps.
Bytes reassemble(const std::vector<Bytes>& fragments);

// One fragment made by hand: `header` (a datagram's, options included)
// with the fragment offset, MF, total length and checksum set for `data`.
Bytes fragment(std::span<const std::uint8_t> header, std::size_t offset_bytes,
               std::span<const std::uint8_t> data, bool more);

// The fragment of a whole `datagram` that carries its data bytes
// [offset_bytes, offset_bytes + length); MF is set unless it reaches the end.
Bytes slice(const Bytes& datagram, std::size_t offset_bytes, std::size_t length);

// `datagram` cut into fragments of `data_per_fragment` bytes of data (the
// last takes the rest), in order.
std::vector<Bytes> split(const Bytes& datagram, std::size_t data_per_fragment);

// Every checksum of an IPv4 packet verified from scratch by the support
// library's oracle; "" when all are right.
std::string checksum_report(
    std::span<const std::uint8_t> packet,
    masq::test::TransportSum transport = masq::test::TransportSum::complete);

}  // namespace masq::router::test
