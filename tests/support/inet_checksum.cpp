#include "support/inet_checksum.hpp"

namespace masq::test {

void OnesSum::add_byte(std::uint8_t b) {
  sum_ += odd_ ? std::uint64_t{b} : std::uint64_t{b} << 8;
  odd_ = !odd_;
}

void OnesSum::add(std::span<const std::uint8_t> bytes) {
  for (const std::uint8_t b : bytes) add_byte(b);
}

void OnesSum::add_u16(std::uint16_t word) {
  add_byte(static_cast<std::uint8_t>(word >> 8));
  add_byte(static_cast<std::uint8_t>(word));
}

void OnesSum::add_u32(std::uint32_t word) {
  add_u16(static_cast<std::uint16_t>(word >> 16));
  add_u16(static_cast<std::uint16_t>(word));
}

std::uint16_t OnesSum::folded() const {
  std::uint64_t s = sum_;
  while (s > 0xFFFF) s = (s & 0xFFFF) + (s >> 16);
  return static_cast<std::uint16_t>(s);
}

}  // namespace masq::test
