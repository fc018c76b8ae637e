#include "masq/net/icmp_error.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/parse.hpp"

namespace masq::net {
namespace {

std::vector<std::uint8_t> datagram(std::uint8_t proto, std::size_t payload, std::uint32_t src) {
  std::vector<std::uint8_t> p(20 + payload, 0);
  p[0] = 0x45;
  store_be16(p.data() + 2, static_cast<std::uint16_t>(p.size()));
  p[8] = 1;
  p[9] = proto;
  store_be32(p.data() + 12, src);
  store_be32(p.data() + 16, 0xCB007109u);
  store_be16(p.data() + 10, internet_checksum({p.data(), 20}));
  return p;
}

const IcmpErrorSpec kTimeExceeded{11, 0, 0, Ipv4Addr(0xC0A84D01u), 64};

TEST(IcmpError, BuildsValidTimeExceeded) {
  const auto orig = datagram(17, 40, 0xC0A84D02u);
  std::array<std::uint8_t, 600> out{};
  const std::size_t n = build_icmp_error(orig, kTimeExceeded, out);
  ASSERT_EQ(n, 20u + 8u + orig.size());
  const auto r = parse_ipv4({out.data(), n});
  ASSERT_EQ(r.error, ParseError::ok);
  EXPECT_EQ(r.packet.ip.src(), Ipv4Addr(0xC0A84D01u));
  EXPECT_EQ(r.packet.ip.dst(), Ipv4Addr(0xC0A84D02u));
  EXPECT_EQ(out[20], 11);
  EXPECT_EQ(internet_checksum({out.data() + 20, n - 20}), 0);
  EXPECT_TRUE(std::equal(orig.begin(), orig.end(), out.begin() + 28));
}

TEST(IcmpError, QuoteLimitedTo576Bytes) {
  const auto orig = datagram(17, 1400, 0xC0A84D02u);
  std::array<std::uint8_t, 1600> out{};
  EXPECT_EQ(build_icmp_error(orig, kTimeExceeded, out), kIcmpErrorMaxLength);
}

TEST(IcmpError, FragNeededCarriesMtu) {
  const auto orig = datagram(17, 40, 0xC0A84D02u);
  std::array<std::uint8_t, 600> out{};
  const IcmpErrorSpec spec{3, 4, 1280, Ipv4Addr(0xC0A84D01u), 64};
  ASSERT_GT(build_icmp_error(orig, spec, out), 0u);
  EXPECT_EQ(load_be16(out.data() + 26), 1280);
}

TEST(IcmpError, NeverAboutAnErrorOrLaterFragmentOrBadSource) {
  std::array<std::uint8_t, 600> out{};
  auto err = datagram(1, 36, 0xC0A84D02u);
  err[20] = 3;  // destination unreachable
  EXPECT_EQ(build_icmp_error(err, kTimeExceeded, out), 0u);
  auto echo = datagram(1, 36, 0xC0A84D02u);
  echo[20] = 8;
  EXPECT_GT(build_icmp_error(echo, kTimeExceeded, out), 0u);
  auto frag = datagram(17, 40, 0xC0A84D02u);
  store_be16(frag.data() + 6, 0x0010);
  EXPECT_EQ(build_icmp_error(frag, kTimeExceeded, out), 0u);
  for (std::uint32_t src : {0u, 0x7F000001u, 0xE0000001u, 0xFFFFFFFFu}) {
    EXPECT_EQ(build_icmp_error(datagram(17, 8, src), kTimeExceeded, out), 0u) << src;
  }
}

}  // namespace
}  // namespace masq::net
