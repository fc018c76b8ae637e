#include "echo.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "masq/net/byte_order.hpp"
#include "router/frames.hpp"
#include "support/packet_builder.hpp"

namespace masq::router {
namespace {

using test::Bytes;

const auto kHost = net::Ipv4Addr::from_octets(192, 168, 1, 10);
const auto kRouter = net::Ipv4Addr::from_octets(192, 168, 1, 1);

masq::test::PacketSpec echo_request() {
  masq::test::PacketSpec s;
  s.src = kHost;
  s.dst = kRouter;
  s.tos = 0x10;
  s.ttl = 1;  // local delivery needs no TTL to spare
  s.kind = masq::test::L4Kind::icmp;
  s.icmp_type = 8;
  s.icmp_rest_high = 0x4242;  // identifier
  s.icmp_rest_low = 7;        // sequence
  s.payload = masq::test::pattern_payload(56);
  return s;
}

std::size_t reply_to(Bytes& request, std::span<std::uint8_t> out) {
  const auto parsed = net::parse_ipv4(request);
  EXPECT_EQ(parsed.error, net::ParseError::ok);
  return build_echo_reply(parsed.packet, {0x0101, 64}, out);
}

TEST(Echo, ReplyMirrorsTheRequest) {
  Bytes request = masq::test::build_packet(echo_request());
  std::array<std::uint8_t, 1500> out{};
  const std::size_t n = reply_to(request, out);
  ASSERT_EQ(n, request.size());
  const std::span<const std::uint8_t> reply(out.data(), n);
  EXPECT_EQ(test::checksum_report(reply), "");
  EXPECT_EQ(net::load_be32(&reply[12]), kRouter.value());
  EXPECT_EQ(net::load_be32(&reply[16]), kHost.value());
  EXPECT_EQ(reply[1], 0x10);
  EXPECT_EQ(reply[8], 64);
  EXPECT_EQ(net::load_be16(&reply[4]), 0x0101);
  EXPECT_EQ(reply[20], 0);  // echo reply
  EXPECT_EQ(reply[21], 0);
  // Identifier, sequence and data come back unchanged.
  EXPECT_TRUE(std::equal(request.begin() + 24, request.end(), reply.begin() + 24));
}

TEST(Echo, OptionsAreNotEchoed) {
  masq::test::PacketSpec s = echo_request();
  s.ip_options = {1, 1, 1, 1};
  Bytes request = masq::test::build_packet(s);
  std::array<std::uint8_t, 1500> out{};
  const std::size_t n = reply_to(request, out);
  ASSERT_EQ(n, request.size() - 4);
  EXPECT_EQ(out[0], 0x45);
  EXPECT_EQ(test::checksum_report({out.data(), n}), "");
}

TEST(Echo, BadChecksumOrNoRoomGetsNoReply) {
  masq::test::PacketSpec s = echo_request();
  s.corrupt_l4_checksum = true;
  Bytes bad = masq::test::build_packet(s);
  std::array<std::uint8_t, 1500> out{};
  EXPECT_EQ(reply_to(bad, out), 0u);
  Bytes good = masq::test::build_packet(echo_request());
  EXPECT_EQ(reply_to(good, std::span(out).first(good.size() - 1)), 0u);
}

}  // namespace
}  // namespace masq::router
