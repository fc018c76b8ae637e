// Software segmentation of GSO super-frames: what a NIC would have done with
// a TSO/USO packet before it reached the wire. A local peer (veth, tap) hands
// us such frames with offloads left to the receiver; the gateway must forward
// only frames that fit the MTU, with complete checksums.
//
// Input: one Ethernet frame (optionally 802.1Q/802.1ad tagged) holding one
// IPv4 packet whose payload is to be cut into gso_size pieces. The transport
// checksum of the input may be anything (typically the CHECKSUM_PARTIAL
// pseudo-header sum): every output checksum is computed from scratch.
//
// Output: the segments are written back to back into `arena`, each a
// complete Ethernet frame, and `frames[i]` views the i-th one.
// Pure: no allocation, no OS headers. Warm: runs only for super-frames.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "masq/net/names.hpp"

namespace masq::io {

enum class GsoKind : std::uint8_t {
  none,
  tcp4,     // TSO over IPv4 (RFC 793 segments; Linux tcp4_gso_segment)
  tcp6,     // TSO over IPv6: not handled by masq (IPv4 only)
  udp4,     // UFO: one datagram to be IP-fragmented, a legacy offload
  udp_l4,   // USO (UDP_SEGMENT): the payload is cut into separate datagrams
  unknown,  // a type this code does not know
};

#define MASQ_IO_SEGMENT_ERRORS(X)                                                      \
  X(ok)                                                                                \
  X(unsupported) /* not IPv4, or a kind masq does not segment (tcp6, udp4, unknown) */ \
  X(malformed)   /* headers do not fit, wrong protocol for the kind, gso_size 0 */     \
  X(no_room)     /* arena or frames too small for all the segments */

enum class SegmentError : std::uint8_t { MASQ_IO_SEGMENT_ERRORS(MASQ_ENUMERATOR) };

inline constexpr net::NameTable<4> kSegmentErrorNames{MASQ_IO_SEGMENT_ERRORS(MASQ_NAME)};
constexpr std::string_view to_string(SegmentError e) {
  return net::name_of(kSegmentErrorNames, e);
}

struct SegmentResult {
  SegmentError error = SegmentError::ok;
  std::size_t frames = 0;  // segments written
  std::size_t bytes = 0;   // arena bytes used
};

// Arena bytes segment_gso needs for `frame` (0 if it cannot be segmented),
// so a caller can check for room before committing.
std::size_t gso_arena_bytes(std::span<const std::uint8_t> frame, GsoKind kind,
                            std::uint16_t gso_size) noexcept;

// Cuts `frame` into segments of at most gso_size payload bytes.
// TCP (RFC 793, as Linux tcp_gso_segment): sequence numbers advance by the
// payload carried; FIN and PSH stay only on the last segment, CWR only on
// the first (RFC 3168 §6.1.2). UDP_L4: each piece is a datagram of its own.
// IPv4: total length per segment, the identification incremented per
// segment (RFC 6864 §4.1 allows either; Linux increments), header checksum
// recomputed.
SegmentResult segment_gso(std::span<const std::uint8_t> frame, GsoKind kind, std::uint16_t gso_size,
                          std::span<std::uint8_t> arena,
                          std::span<std::span<std::uint8_t>> frames) noexcept;

}  // namespace masq::io
