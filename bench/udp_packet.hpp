// The benchmarks' packet: a 64-byte IPv4/UDP datagram (20-byte header, no
// options, 8-byte UDP header, 36 bytes of payload) with valid IP and UDP
// checksums, so the engine takes its normal path (parse, look up, rewrite
// with incremental checksum updates). Cold: packets are built before timing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "masq/net/flow_key.hpp"

namespace masq::bench {

inline constexpr std::size_t kPacketBytes = 64;

// Writes the datagram of `flow` (UDP, src -> dst) into `out`.
void write_udp_packet(const net::FlowKey& flow, std::span<std::uint8_t, kPacketBytes> out);

// The flow a built or translated datagram belongs to, read back from its header.
net::FlowKey read_udp_flow(std::span<const std::uint8_t, kPacketBytes> packet);

}  // namespace masq::bench
