// The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
// All 16-bit values are in host order, as read with load_be16: one's
// complement arithmetic gives the same result in either byte order as long
// as it is used consistently.
#pragma once

#include <bit>
#include <cstdint>
#include <span>

#include "masq/net/ipv4_addr.hpp"
#include "masq/net/port.hpp"

namespace masq::net {

// Unfolded one's complement sum of the bytes as big-endian 16-bit words
// (an odd trailing byte is padded with zero), added to `initial`.
std::uint64_t checksum_add(std::span<const std::uint8_t> bytes, std::uint64_t initial = 0) noexcept;

// Folds the carries of a 64-bit one's complement sum into 16 bits. 64 to 32
// bits by two end-around-carry adds (the second cannot carry again); then
// x + rotr(x, 16) puts hi + lo + (the carry out of lo + hi) in the top
// half, which is the 16-bit end-around-carry sum (the trick Linux's
// csum_fold uses). No loop, no data-dependent branch.
constexpr std::uint16_t checksum_fold(std::uint64_t sum) noexcept {
  sum = (sum & 0xFFFFFFFFull) + (sum >> 32);
  const auto x = static_cast<std::uint32_t>(sum) + static_cast<std::uint32_t>(sum >> 32);
  return static_cast<std::uint16_t>((x + std::rotr(x, 16)) >> 16);
}

// The value to store in a checksum field: ~fold(sum).
inline std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes,
                                       std::uint64_t initial = 0) noexcept {
  return static_cast<std::uint16_t>(~checksum_fold(checksum_add(bytes, initial)));
}

// Sum of the TCP/UDP pseudo-header (RFC 793 §3.1, RFC 768).
constexpr std::uint64_t pseudo_header_sum(Ipv4Addr src, Ipv4Addr dst, Proto proto,
                                          std::uint16_t l4_length) noexcept {
  return (src.value() >> 16) + (src.value() & 0xFFFF) + (dst.value() >> 16) +
         (dst.value() & 0xFFFF) + static_cast<std::uint8_t>(proto) + l4_length;
}

// The change to a checksum caused by replacing some 16-bit words: the one's
// complement sum of (~old + new) over the changed words (RFC 1624 eqn. 3).
// A delta and its negation undo each other, so one delta serves both
// directions of a translation.
class ChecksumDelta {
 public:
  constexpr ChecksumDelta() = default;

  constexpr ChecksumDelta& replace16(std::uint16_t old_word, std::uint16_t new_word) {
    sum_ = checksum_fold(std::uint64_t{sum_} + static_cast<std::uint16_t>(~old_word) + new_word);
    return *this;
  }
  constexpr ChecksumDelta& replace32(std::uint32_t old_word, std::uint32_t new_word) {
    replace16(static_cast<std::uint16_t>(old_word >> 16),
              static_cast<std::uint16_t>(new_word >> 16));
    return replace16(static_cast<std::uint16_t>(old_word), static_cast<std::uint16_t>(new_word));
  }
  constexpr ChecksumDelta& add(ChecksumDelta other) {
    sum_ = checksum_fold(std::uint64_t{sum_} + other.sum_);
    return *this;
  }
  constexpr ChecksumDelta negated() const { return from_raw(static_cast<std::uint16_t>(~sum_)); }

  constexpr std::uint16_t raw() const { return sum_; }
  static constexpr ChecksumDelta from_raw(std::uint16_t raw) {
    ChecksumDelta d;
    d.sum_ = raw;
    return d;
  }

  // HC' = ~(~HC + delta).
  constexpr std::uint16_t apply(std::uint16_t checksum) const {
    return static_cast<std::uint16_t>(
        ~checksum_fold(std::uint64_t{static_cast<std::uint16_t>(~checksum)} + sum_));
  }

  // For a field that holds a plain sum rather than its complement, such as
  // the pseudo-header seed of an offloaded checksum: S' = S + delta. The
  // device that finishes the checksum adds the rest of the segment to it.
  constexpr std::uint16_t apply_to_sum(std::uint16_t sum) const {
    return checksum_fold(std::uint64_t{sum} + sum_);
  }

  // UDP over IPv4 (RFC 768): a zero checksum means "none" and stays zero; a
  // computed zero is sent as 0xFFFF, its one's complement twin.
  constexpr std::uint16_t apply_udp(std::uint16_t checksum) const {
    if (checksum == 0) return 0;
    const std::uint16_t r = apply(checksum);
    return r == 0 ? std::uint16_t{0xFFFF} : r;
  }

 private:
  std::uint16_t sum_ = 0;
};

}  // namespace masq::net
