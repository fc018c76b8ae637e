#include "masq/net/checksum.hpp"

#include "masq/net/byte_order.hpp"

namespace masq::net {

std::uint64_t checksum_add(std::span<const std::uint8_t> bytes, std::uint64_t initial) noexcept {
  // 64-bit accumulator of 32-bit big-endian words: no carry is lost before
  // 2^32 words, far beyond any IPv4 datagram.
  std::uint64_t sum = initial;
  std::size_t i = 0;
  const std::size_t n = bytes.size();
  for (; i + 4 <= n; i += 4) sum += load_be32(bytes.data() + i);
  if (i + 2 <= n) {
    sum += load_be16(bytes.data() + i);
    i += 2;
  }
  if (i < n) sum += std::uint64_t{bytes[i]} << 8;
  // Fold the 32-bit words' high halves into 16-bit space.
  return (sum & 0xFFFFFFFFull) + (sum >> 32);
}

}  // namespace masq::net
