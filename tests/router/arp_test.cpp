#include "masq/router/arp.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace masq::router {
namespace {

// A request from 192.168.1.10 (02:00:00:00:01:10) for 192.168.1.1, as
// RFC 826 lays it out, written byte by byte.
const std::vector<std::uint8_t> kRequest = {
    0x00, 0x01,                          // hardware: Ethernet
    0x08, 0x00,                          // protocol: IPv4
    6,    4,                             // lengths
    0x00, 0x01,                          // request
    0x02, 0x00, 0x00, 0x00, 0x01, 0x10,  // sender MAC
    192,  168,  1,    10,                // sender IP
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // target MAC (unknown)
    192,  168,  1,    1,                 // target IP
};

const MacAddr kHost({0x02, 0x00, 0x00, 0x00, 0x01, 0x10});
const MacAddr kRouter({0x02, 0x00, 0x00, 0x00, 0x01, 0x01});
const auto kHostIp = net::Ipv4Addr::from_octets(192, 168, 1, 10);
const auto kRouterIp = net::Ipv4Addr::from_octets(192, 168, 1, 1);

TEST(Arp, DecodesRequest) {
  const auto arp = decode_arp(kRequest);
  ASSERT_TRUE(arp.has_value());
  EXPECT_EQ(*arp, ArpPacket::request(kHost, kHostIp, kRouterIp));
}

TEST(Arp, AcceptsTrailingPadding) {
  std::vector<std::uint8_t> padded = kRequest;
  padded.resize(46, 0);  // minimum Ethernet payload
  EXPECT_TRUE(decode_arp(padded).has_value());
}

TEST(Arp, EncodesTheSameBytes) {
  std::array<std::uint8_t, kArpLength> out{};
  encode_arp(ArpPacket::request(kHost, kHostIp, kRouterIp), out.data());
  EXPECT_TRUE(std::equal(out.begin(), out.end(), kRequest.begin()));
}

TEST(Arp, ReplyAnswersTheRequest) {
  const ArpPacket reply =
      ArpPacket::reply_to(ArpPacket::request(kHost, kHostIp, kRouterIp), kRouter);
  EXPECT_EQ(reply.op, ArpOp::reply);
  EXPECT_EQ(reply.sender_mac, kRouter);
  EXPECT_EQ(reply.sender_ip, kRouterIp);
  EXPECT_EQ(reply.target_mac, kHost);
  EXPECT_EQ(reply.target_ip, kHostIp);
  std::array<std::uint8_t, kArpLength> out{};
  encode_arp(reply, out.data());
  EXPECT_EQ(decode_arp(out), reply);
}

TEST(Arp, AnnouncementNamesItselfTwice) {
  const ArpPacket a = ArpPacket::announcement(kRouter, kRouterIp);
  EXPECT_EQ(a.op, ArpOp::request);
  EXPECT_EQ(a.sender_ip, kRouterIp);
  EXPECT_EQ(a.target_ip, kRouterIp);
  EXPECT_TRUE(a.target_mac.is_zero());
}

TEST(Arp, RefusesOtherKindsAndShortPackets) {
  EXPECT_FALSE(decode_arp(std::span(kRequest).first(kArpLength - 1)).has_value());
  for (const auto& [offset, value] :
       std::vector<std::pair<std::size_t, std::uint8_t>>{{1, 6},     // IEEE 802 hardware
                                                         {2, 0x86},  // IPv6
                                                         {4, 8},     // hardware length
                                                         {5, 16},    // protocol length
                                                         {7, 3},     // RARP request
                                                         {7, 0}}) {
    std::vector<std::uint8_t> bad = kRequest;
    bad[offset] = value;
    EXPECT_FALSE(decode_arp(bad).has_value()) << "offset " << offset;
  }
}

}  // namespace
}  // namespace masq::router
