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
  EXPECT_TRUE(v.ecn);
  EXPECT_EQ(v.hdr_len, 66);
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

TEST(VnetHeader, EncodesWhatItDecodes) {
  VnetOffload tso;
  tso.gso = GsoKind::tcp4;
  tso.ecn = true;
  tso.hdr_len = 66;
  tso.gso_size = 1448;
  tso.needs_csum = true;
  tso.csum_start = 34;
  tso.csum_offset = 16;
  std::array<std::uint8_t, kVnetHeaderBytes> h{};
  encode_vnet_header(tso, h.data());
  EXPECT_EQ(h, (std::array<std::uint8_t, kVnetHeaderBytes>{0x01, 0x81, 0x42, 0x00, 0xA8, 0x05, 0x22,
                                                           0x00, 0x10, 0x00}));
  const VnetOffload back = decode_vnet_header(h.data());
  EXPECT_EQ(back.gso, tso.gso);
  EXPECT_EQ(back.ecn, tso.ecn);
  EXPECT_EQ(back.hdr_len, tso.hdr_len);
  EXPECT_EQ(back.gso_size, tso.gso_size);
  EXPECT_EQ(back.needs_csum, tso.needs_csum);
  EXPECT_EQ(back.csum_start, tso.csum_start);
  EXPECT_EQ(back.csum_offset, tso.csum_offset);
}

// No GSO carries no ECN flag, and a kind the header cannot name is sent as none.
TEST(VnetHeader, EncodesNoGsoPlainly) {
  VnetOffload plain;
  plain.ecn = true;
  std::array<std::uint8_t, kVnetHeaderBytes> h{};
  h.fill(0xFF);
  encode_vnet_header(plain, h.data());
  EXPECT_EQ(h, (std::array<std::uint8_t, kVnetHeaderBytes>{}));
  plain.gso = GsoKind::unknown;
  encode_vnet_header(plain, h.data());
  EXPECT_EQ(h[1], 0);
}

}  // namespace
}  // namespace masq::io::detail
