// OnesSum: a deliberately naive RFC 1071 Internet checksum for the tests,
// written apart from masq::net's so that a bug there cannot hide itself in
// the checks that are meant to catch it. Byte by byte, no tricks. Cold.
#pragma once

#include <cstdint>
#include <span>

namespace masq::test {

// Accumulates a stream of bytes as big-endian 16-bit words. The stream is
// continuous across calls, so a pseudo-header and a segment can be added
// one after the other; an odd final byte is padded with zero (RFC 1071 §1).
class OnesSum {
 public:
  void add(std::span<const std::uint8_t> bytes);
  void add_u16(std::uint16_t word);
  void add_u32(std::uint32_t word);

  // The sum with its carries folded back in (end-around carry).
  std::uint16_t folded() const;
  // The value a sender stores in a checksum field.
  std::uint16_t checksum() const { return static_cast<std::uint16_t>(~folded()); }
  // A receiver's test: the sum over data that includes its checksum is all ones.
  bool verifies() const { return folded() == 0xFFFF; }

 private:
  void add_byte(std::uint8_t b);
  std::uint64_t sum_ = 0;
  bool odd_ = false;  // the next byte is the low half of a word
};

}  // namespace masq::test
