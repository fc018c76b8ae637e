// Local delivery of PCP/NAT-PMP datagrams (UDP 5351 on the LAN address,
// LAN side only) and the answer frames the caller builds for them
// (local_udp.cpp, Router::deliver_pcp).
#include "masq/router/local_udp.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "masq/net/byte_order.hpp"
#include "masq/router/router.hpp"
#include "router/frames.hpp"
#include "router/topology.hpp"
#include "support/packet_builder.hpp"

namespace masq::router {
namespace {

using namespace test::topo;
using test::Bytes;

masq::test::PacketSpec pcp_request(net::Ipv4Addr src, net::Ipv4Addr dst) {
  masq::test::PacketSpec s;
  s.kind = masq::test::L4Kind::udp;
  s.src = src;
  s.dst = dst;
  s.src_port = 40001;
  s.dst_port = kPcpServerPort;
  s.payload = {0, 0};  // NAT-PMP: external address request
  return s;
}

class LocalDelivery : public ::testing::Test {
 protected:
  explicit LocalDelivery(bool enabled = true) : engine_(test::engine_config()) {
    RouterConfig c = test::router_config();
    c.local_pcp = enabled;
    router_.emplace(c, engine_);
  }
  const Output& receive(Side side, const MacAddr& dst, const MacAddr& src,
                        const masq::test::PacketSpec& spec) {
    frame_ = test::ipv4_frame(dst, src, spec);
    const net::Frame f{{frame_.data(), frame_.size()}, 0};
    return router_->process({&f, 1}, side, kSecond);
  }

  nat::Engine engine_;
  std::optional<Router> router_;
  Bytes frame_;
};

TEST_F(LocalDelivery, LanRequestToTheLanAddressIsHandedOut) {
  const Output& out = receive(Side::lan, kLanMac, kH1Mac, pcp_request(kH1, kLanAddr));
  ASSERT_EQ(out.local().size(), 1u);
  const LocalDatagram& d = out.local()[0];
  EXPECT_EQ(d.side, Side::lan);
  EXPECT_EQ(d.src, kH1);
  EXPECT_EQ(d.src_port, 40001);
  EXPECT_EQ(d.dst, kLanAddr);
  EXPECT_EQ(d.src_mac, kH1Mac);
  EXPECT_EQ(Bytes(d.payload.begin(), d.payload.end()), (Bytes{0, 0}));
  EXPECT_TRUE(out.frames(Side::wan).empty());
  EXPECT_EQ(router_->counters().local_delivered, 1u);
  EXPECT_EQ(engine_.counters().in2out, 0u);
}

TEST_F(LocalDelivery, WanRequestIsDroppedAndCounted) {
  const Output& out = receive(Side::wan, kWanMac, kGatewayMac, pcp_request(kRemote, kWanAddr));
  EXPECT_TRUE(out.local().empty());
  EXPECT_TRUE(out.frames(Side::lan).empty());
  EXPECT_EQ(router_->counters().drop(DropReason::pcp_from_wan), 1u);
  EXPECT_EQ(router_->counters().local_delivered, 0u);
}

TEST_F(LocalDelivery, ACorruptDatagramIsCountedNotDelivered) {
  masq::test::PacketSpec s = pcp_request(kH1, kLanAddr);
  frame_ = test::ipv4_frame(kLanMac, kH1Mac, s);
  frame_[kEthernetHeader + 20 + 8] ^= 0xFF;  // a payload octet: the UDP checksum fails
  const net::Frame f{{frame_.data(), frame_.size()}, 0};
  EXPECT_TRUE(router_->process({&f, 1}, Side::lan, kSecond).local().empty());
  EXPECT_EQ(router_->counters().drop(DropReason::local_bad_checksum), 1u);
}

TEST_F(LocalDelivery, AHandedRequestIsAnsweredToTheMacArpKnows) {
  // Another worker handed the packet over, without its frame.
  auto packet = masq::test::build_packet(pcp_request(kH1, kLanAddr));
  const net::Frame handed{{packet.data(), packet.size()}, 0};
  EXPECT_TRUE(router_->process_handed({&handed, 1}, Side::lan, kSecond).local().empty());
  EXPECT_EQ(router_->counters().drop(DropReason::local_unsupported), 1u);

  ASSERT_TRUE(router_->learn(Side::lan, kH1, kH1Mac, kSecond));
  packet = masq::test::build_packet(pcp_request(kH1, kLanAddr));
  const net::Frame again{{packet.data(), packet.size()}, 0};
  const Output& out = router_->process_handed({&again, 1}, Side::lan, 2 * kSecond);
  ASSERT_EQ(out.local().size(), 1u);
  EXPECT_EQ(out.local()[0].src_mac, kH1Mac);
  EXPECT_EQ(out.local()[0].src, kH1);
}

class LocalDeliveryOff : public LocalDelivery {
 protected:
  LocalDeliveryOff() : LocalDelivery(false) {}
};

TEST_F(LocalDeliveryOff, WithoutPcpNothingIsDelivered) {
  EXPECT_TRUE(receive(Side::lan, kLanMac, kH1Mac, pcp_request(kH1, kLanAddr)).local().empty());
  EXPECT_EQ(router_->counters().drop(DropReason::local_unsupported), 1u);
}

TEST(UdpFrame, AnswerFrameHasRightChecksumsAndAddresses) {
  std::array<std::uint8_t, 256> out{};
  const UdpFrameSpec spec{kLanMac, kH1Mac, kLanAddr, kPcpServerPort, kH1, 40001, 7, 64};
  const Bytes payload = {0, 128, 0, 0, 0, 0, 0, 9, 203, 0, 113, 1};
  const std::size_t n = build_udp_frame(spec, payload, out);
  ASSERT_EQ(n, kUdpFrameOverhead + payload.size());
  const EthernetHeader eth = read_ethernet(out.data());
  EXPECT_EQ(eth.dst, kH1Mac);
  EXPECT_EQ(eth.src, kLanMac);
  EXPECT_EQ(eth.ether_type, kEtherTypeIpv4);
  const std::span<const std::uint8_t> ip(out.data() + kEthernetHeader, n - kEthernetHeader);
  EXPECT_EQ(test::checksum_report(ip), "");
  EXPECT_EQ(net::load_be32(&ip[12]), kLanAddr.value());
  EXPECT_EQ(net::load_be32(&ip[16]), kH1.value());
  EXPECT_EQ(net::load_be16(&ip[20]), kPcpServerPort);
  EXPECT_EQ(net::load_be16(&ip[22]), 40001);
  EXPECT_TRUE(std::equal(payload.begin(), payload.end(), ip.begin() + 28));
  // It reads back as the datagram it is.
  Bytes copy(ip.begin(), ip.end());
  const auto parsed = net::parse_ipv4(copy);
  ASSERT_EQ(parsed.error, net::ParseError::ok);
  const auto d = read_local_udp(parsed.packet);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->payload.size(), payload.size());
  EXPECT_EQ(build_udp_frame(spec, payload, std::span(out).first(40)), 0u);
}

TEST(UdpFrame, AnnouncementGoesToTheAllHostsGroupWithTtlOne) {
  std::array<std::uint8_t, 128> out{};
  const auto group = net::Ipv4Addr::from_octets(224, 0, 0, 1);
  const UdpFrameSpec spec{kLanMac, multicast_mac(group), kLanAddr, kPcpServerPort, group, 5350, 1,
                          64};
  const Bytes payload(28, 0);
  const std::size_t n = build_udp_frame(spec, payload, out);
  ASSERT_NE(n, 0u);
  EXPECT_EQ(read_ethernet(out.data()).dst, MacAddr({0x01, 0x00, 0x5E, 0, 0, 1}));
  EXPECT_EQ(out[kEthernetHeader + 8], 1);
  EXPECT_EQ(test::checksum_report({out.data() + kEthernetHeader, n - kEthernetHeader}), "");
}

}  // namespace
}  // namespace masq::router
