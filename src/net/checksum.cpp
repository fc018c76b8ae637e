#include "masq/net/checksum.hpp"

#include <bit>
#include <cstring>

#include "masq/net/byte_order.hpp"

namespace masq::net {

std::uint64_t checksum_add(std::span<const std::uint8_t> bytes, std::uint64_t initial) noexcept {
  // RFC 1071 §2(B): the one's complement sum does not depend on byte order.
  // The words are summed as they lie in memory (little-endian 32-bit loads,
  // no swap, which the compiler vectorises), folded to 16 bits, and that
  // fold alone is byte-swapped. A 64-bit accumulator of 32-bit words loses
  // no carry before 2^32 words, far beyond any IPv4 datagram.
  static_assert(std::endian::native == std::endian::little);
  const std::uint8_t* const p = bytes.data();
  const std::size_t n = bytes.size();
  std::uint64_t native = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    std::uint32_t word;
    std::memcpy(&word, p + i, sizeof word);
    native += word;
  }
  std::uint64_t sum = initial + __builtin_bswap16(checksum_fold(native));
  if (i + 2 <= n) {
    sum += load_be16(p + i);
    i += 2;
  }
  if (i < n) sum += std::uint64_t{p[i]} << 8;
  return sum;
}

}  // namespace masq::net
