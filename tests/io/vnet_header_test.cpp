#include "vnet_header.hpp"

#include <gtest/gtest.h>

#include <array>

namespace masq::io::detail {
namespace {

// Little-endian fields, as packet sockets write them on every host.
TEST(VnetHeader, DecodesTsoWithEcnAndPartialChecksum) {
  const std::array<std::uint8_t, kVnetHeaderBytes> h = {
      0x01,        // NEEDS_CSUM
      0x81,        // TCPV4 | ECN
      0x42, 0x00,  // hdr_len 66
      0xA8, 0x05,  // gso_size 1448
      0x22, 0x00,  // csum_start 34
      0x10, 0x00,  // csum_offset 16
  };
  const VnetOffload v = decode_vnet_header(h.data());
  EXPECT_EQ(v.gso, GsoKind::tcp4);
  EXPECT_EQ(v.gso_size, 1448);
  EXPECT_TRUE(v.needs_csum);
  EXPECT_EQ(v.csum_start, 34);
  EXPECT_EQ(v.csum_offset, 16);
}

TEST(VnetHeader, MapsEveryGsoType) {
  const auto kind_of = [](std::uint8_t type) {
    const std::array<std::uint8_t, kVnetHeaderBytes> h = {0, type};
    return decode_vnet_header(h.data()).gso;
  };
  EXPECT_EQ(kind_of(0), GsoKind::none);
  EXPECT_EQ(kind_of(1), GsoKind::tcp4);
  EXPECT_EQ(kind_of(3), GsoKind::udp4);
  EXPECT_EQ(kind_of(4), GsoKind::tcp6);
  EXPECT_EQ(kind_of(5), GsoKind::udp_l4);
  EXPECT_EQ(kind_of(2), GsoKind::unknown);
  EXPECT_EQ(kind_of(0x85), GsoKind::udp_l4);
  const std::array<std::uint8_t, kVnetHeaderBytes> plain{};
  EXPECT_FALSE(decode_vnet_header(plain.data()).needs_csum);
}

}  // namespace
}  // namespace masq::io::detail
