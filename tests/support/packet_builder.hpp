// build_packet: PacketSpec -> wire bytes, with every checksum computed by
// the tests' own OnesSum (never masq::net's), then the requested damage
// applied. Field overrides (IHL, total length, TCP offset, UDP length) are
// written before the checksums, so a packet that is malformed in one way is
// still correct in every other. Cold.
#pragma once

#include <cstdint>
#include <vector>

#include "support/packet_spec.hpp"

namespace masq::test {

std::vector<std::uint8_t> build_packet(const PacketSpec& spec);

}  // namespace masq::test
