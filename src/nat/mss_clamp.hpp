// TCP MSS clamping: a SYN (or SYN-ACK) that announces a Maximum Segment
// Size larger than the path through the gateway carries has it lowered, so
// that neither end sends segments too big for the narrower link (RFC 879,
// RFC 6691 §2; what Linux's TCPMSS --clamp-mss-to-pmtu does). PPPoE and
// tunnel uplinks, whose MTU is below 1500 and whose ICMP frag-needed is
// often filtered, need it. The TCP checksum is updated incrementally
// (RFC 1624). Private to the engine. Cold: SYNs only.
#pragma once

#include <cstdint>

#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/l4_views.hpp"

namespace masq::nat {

inline constexpr std::uint8_t kTcpOptionEnd = 0;
inline constexpr std::uint8_t kTcpOptionNop = 1;
inline constexpr std::uint8_t kTcpOptionMss = 2;
inline constexpr std::uint8_t kTcpOptionMssLength = 4;

// Lowers the MSS option of the TCP segment at `tcp` (`length` bytes, its
// data offset checked by the parser) to `max_mss` when it announces more,
// and updates the checksum. Returns whether it changed anything. A
// malformed option list is left as it is: the receiver judges it.
inline bool clamp_mss(std::uint8_t* tcp, std::size_t length, std::uint16_t max_mss) {
  const std::size_t header = (std::size_t{tcp[12]} >> 4) * 4;
  const std::size_t end = header < length ? header : length;
  for (std::size_t i = 20; i < end;) {
    const std::uint8_t kind = tcp[i];
    if (kind == kTcpOptionEnd) return false;
    if (kind == kTcpOptionNop) {
      ++i;
      continue;
    }
    if (i + 1 >= end || tcp[i + 1] < 2 || i + tcp[i + 1] > end) return false;
    if (kind == kTcpOptionMss && tcp[i + 1] == kTcpOptionMssLength) {
      std::uint8_t* field = tcp + i + 2;
      if (net::load_be16(field) <= max_mss) return false;
      // The checksum sums 16-bit words from the start of the header: after
      // an odd number of NOPs the field straddles two of them. The header
      // is a whole number of words, so both lie within it.
      const std::size_t at = i + 2;
      std::uint8_t* const word = tcp + (at & ~std::size_t{1});
      const std::size_t words = (at & 1) != 0 ? 2 : 1;
      std::uint16_t before[2];
      for (std::size_t w = 0; w < words; ++w) before[w] = net::load_be16(word + 2 * w);
      net::store_be16(field, max_mss);
      net::ChecksumDelta delta;
      for (std::size_t w = 0; w < words; ++w)
        delta.replace16(before[w], net::load_be16(word + 2 * w));
      const net::TcpView t(tcp);
      t.set_checksum(delta.apply(t.checksum()));
      return true;
    }
    i += tcp[i + 1];
  }
  return false;
}

}  // namespace masq::nat
