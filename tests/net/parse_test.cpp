#include "masq/net/parse.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"

namespace masq::net {
namespace {

// A UDP datagram 192.168.77.2:5000 -> 203.0.113.9:53 with `payload` bytes.
std::vector<std::uint8_t> udp_packet(std::size_t payload = 4) {
  std::vector<std::uint8_t> p(20 + 8 + payload, 0);
  p[0] = 0x45;
  store_be16(p.data() + 2, static_cast<std::uint16_t>(p.size()));
  p[8] = 64;
  p[9] = 17;
  store_be32(p.data() + 12, 0xC0A84D02u);
  store_be32(p.data() + 16, 0xCB007109u);
  store_be16(p.data() + 10, internet_checksum({p.data(), 20}));
  store_be16(p.data() + 20, 5000);
  store_be16(p.data() + 22, 53);
  store_be16(p.data() + 24, static_cast<std::uint16_t>(8 + payload));
  return p;
}

void refresh_ip_checksum(std::vector<std::uint8_t>& p) {
  const std::size_t ihl = std::size_t{p[0] & 0x0Fu} * 4;
  store_be16(p.data() + 10, 0);
  store_be16(p.data() + 10, internet_checksum({p.data(), ihl}));
}

TEST(Parse, AcceptsWellFormedUdp) {
  auto p = udp_packet();
  const auto r = parse_ipv4(p);
  ASSERT_EQ(r.error, ParseError::ok);
  EXPECT_EQ(r.packet.ip.src(), Ipv4Addr(0xC0A84D02u));
  EXPECT_EQ(r.packet.l4, p.data() + 20);
  EXPECT_EQ(r.packet.l4_length, 12u);
}

TEST(Parse, AllowsTrailingLinkPadding) {
  auto p = udp_packet();
  p.resize(p.size() + 14, 0xAA);
  EXPECT_EQ(parse_ipv4(p).error, ParseError::ok);
}

TEST(Parse, RefusesEachMalformation) {
  {
    auto p = udp_packet();
    p.resize(19);
    EXPECT_EQ(parse_ipv4(p).error, ParseError::truncated);
  }
  {
    auto p = udp_packet();
    p[0] = 0x65;
    EXPECT_EQ(parse_ipv4(p).error, ParseError::bad_version);
  }
  {
    auto p = udp_packet();
    p[0] = 0x44;
    EXPECT_EQ(parse_ipv4(p).error, ParseError::bad_ihl);
  }
  {
    auto p = udp_packet();
    p[0] = 0x4F;  // 60-byte header claimed in a 32-byte packet
    EXPECT_EQ(parse_ipv4(p).error, ParseError::bad_ihl);
  }
  {
    auto p = udp_packet();
    store_be16(p.data() + 2, 200);
    refresh_ip_checksum(p);
    EXPECT_EQ(parse_ipv4(p).error, ParseError::bad_total_length);
  }
  {
    auto p = udp_packet();
    store_be16(p.data() + 2, 10);
    refresh_ip_checksum(p);
    EXPECT_EQ(parse_ipv4(p).error, ParseError::bad_total_length);
  }
  {
    auto p = udp_packet();
    p[10] ^= 0x01;
    EXPECT_EQ(parse_ipv4(p).error, ParseError::bad_ip_checksum);
  }
  {
    auto p = udp_packet();
    store_be16(p.data() + 24, 200);
    EXPECT_EQ(parse_ipv4(p).error, ParseError::bad_udp_length);
  }
  {
    auto p = udp_packet(0);
    p.resize(26);
    store_be16(p.data() + 2, 26);
    refresh_ip_checksum(p);
    EXPECT_EQ(parse_ipv4(p).error, ParseError::truncated_l4);
  }
}

TEST(Parse, TcpDataOffsetChecked) {
  std::vector<std::uint8_t> p(40, 0);
  p[0] = 0x45;
  store_be16(p.data() + 2, 40);
  p[8] = 64;
  p[9] = 6;
  refresh_ip_checksum(p);
  p[32] = 0x40;  // data offset 4 words: below the minimum
  EXPECT_EQ(parse_ipv4(p).error, ParseError::bad_tcp_offset);
  p[32] = 0xF0;  // 60 bytes: past the datagram
  EXPECT_EQ(parse_ipv4(p).error, ParseError::bad_tcp_offset);
  p[32] = 0x50;
  EXPECT_EQ(parse_ipv4(p).error, ParseError::ok);
}

TEST(Parse, WalksOptions) {
  // 24-byte header: a NOP, then a 3-byte option (type 0x94 = router alert style).
  std::vector<std::uint8_t> p(24 + 8, 0);
  p[0] = 0x46;
  store_be16(p.data() + 2, 32);
  p[8] = 64;
  p[9] = 17;
  p[20] = 1;
  p[21] = 0x94;
  p[22] = 3;
  p[23] = 0;
  store_be16(p.data() + 28, 8);
  refresh_ip_checksum(p);
  const auto ok = parse_ipv4(p);
  ASSERT_EQ(ok.error, ParseError::ok);
  EXPECT_EQ(ok.packet.l4, p.data() + 24);
  p[22] = 9;  // option length past the header
  refresh_ip_checksum(p);
  EXPECT_EQ(parse_ipv4(p).error, ParseError::bad_ip_options);
  p[22] = 1;  // length below 2
  refresh_ip_checksum(p);
  EXPECT_EQ(parse_ipv4(p).error, ParseError::bad_ip_options);
}

TEST(Parse, NonFirstFragmentHasNoTransportHeader) {
  auto p = udp_packet();
  store_be16(p.data() + 6, 0x0002);  // offset 16 bytes
  refresh_ip_checksum(p);
  const auto r = parse_ipv4(p);
  ASSERT_EQ(r.error, ParseError::ok);
  EXPECT_TRUE(r.packet.ip.is_fragment());
  EXPECT_EQ(r.packet.l4, nullptr);
}

TEST(ParseQuoted, AcceptsCutShortDatagram) {
  auto p = udp_packet(100);
  p.resize(28);  // header + 8 bytes, as RFC 792 quotes
  EXPECT_EQ(parse_ipv4(p).error, ParseError::bad_total_length);
  const auto r = parse_quoted_ipv4(p, {});
  ASSERT_EQ(r.error, ParseError::ok);
  EXPECT_EQ(r.packet.l4_length, 8u);
}

TEST(ParseQuoted, ChecksumOptional) {
  auto p = udp_packet();
  p[10] ^= 0xFF;
  EXPECT_EQ(parse_quoted_ipv4(p, {.verify_checksum = true}).error, ParseError::bad_ip_checksum);
  EXPECT_EQ(parse_quoted_ipv4(p, {.verify_checksum = false}).error, ParseError::ok);
}

// parse_ipv4's inline route must accept nothing the full parser refuses, and
// give the same views for what it accepts. Packets of each protocol, with random bytes of
// the IPv4 and transport headers changed and the length cut at random; the
// header checksum is repaired half the time so that the other fields are
// what decides.
TEST(Parse, InlineRouteAgreesWithFullParser) {
  std::mt19937 rng(7);
  int plain = 0;
  for (int round = 0; round < 200000; ++round) {
    auto p = udp_packet(24);
    const std::uint8_t protos[] = {6, 17, 1, 47};
    p[9] = protos[rng() % 4];
    if (p[9] == 6) p[32] = 0x50;  // TCP data offset 5
    const int changes = static_cast<int>(rng() % 4);
    for (int c = 0; c < changes; ++c) {
      const std::size_t at = rng() % 40;
      p[at] = static_cast<std::uint8_t>(rng());
    }
    if (rng() % 2 == 0) p.resize(rng() % (p.size() + 1));
    if (p.size() >= 20 && rng() % 2 == 0) {
      const std::size_t ihl = std::size_t{p[0] & 0x0Fu} * 4;
      if (ihl >= 20 && ihl <= p.size()) refresh_ip_checksum(p);
    }
    ParsedPacket fast;
    const bool taken = parse_plain_ipv4(p, fast);
    const auto full = parse_ipv4_checked(p);
    if (!taken) continue;
    plain += 1;
    ASSERT_EQ(full.error, ParseError::ok) << "round " << round;
    EXPECT_EQ(fast.ip.data(), full.packet.ip.data());
    EXPECT_EQ(fast.l4, full.packet.l4);
    ASSERT_EQ(fast.l4_length, full.packet.l4_length) << "round " << round;
  }
  // The route was taken often enough for the comparison to mean something.
  EXPECT_GT(plain, 20000);
}

}  // namespace
}  // namespace masq::net
