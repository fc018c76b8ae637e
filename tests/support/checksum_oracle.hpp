// checksum_problems: verifies every checksum in an IPv4 packet from scratch,
// with the tests' own naive OnesSum, never with masq::net's code:
//  - the IPv4 header checksum;
//  - TCP and UDP with the pseudo-header (a UDP checksum of 0 means "none"
//    and is valid, RFC 768);
//  - ICMP over the whole ICMP message (RFC 792);
//  - for ICMP errors, the quoted IPv4 header's checksum and, when the
//    quoted datagram is complete, its transport checksum.
// Fragments carry no verifiable transport checksum and are not checked past
// the IP header. With TransportSum::seed (a TCP super-frame, whose segments'
// checksums the egress device finishes), the TCP field must hold the folded
// pseudo-header sum instead, what Linux leaves for CHECKSUM_PARTIAL.
// Returns one human-readable line per problem; empty = all good. Cold.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace masq::test {

enum class TransportSum : std::uint8_t { complete, seed };

std::vector<std::string> checksum_problems(std::span<const std::uint8_t> packet,
                                           TransportSum transport = TransportSum::complete);

}  // namespace masq::test
