// The router's third destination: the host interface of each side
// (HostConfig). What masq consumes stays masq's (echo, ARP requests, the
// engine's sessions); what is for the gateway and not consumed goes to
// the side's host interface; what the host sends leaves on the wire.
#include <gtest/gtest.h>

#include <vector>

#include "masq/net/byte_order.hpp"
#include "masq/router/router.hpp"
#include "router/frames.hpp"
#include "router/topology.hpp"
#include "support/packet_builder.hpp"

namespace masq::router {
namespace {

using masq::test::L4Kind;
using masq::test::PacketSpec;
using test::Bytes;
namespace topo = test::topo;

constexpr nat::PortRange kHostPorts{32768, 60999};

RouterConfig with_host() {
  RouterConfig c = test::router_config();
  c.host = {true, kHostPorts};
  return c;
}

PacketSpec tcp(net::Ipv4Addr src, net::Ipv4Addr dst, std::uint16_t src_port, std::uint16_t dst_port,
               std::uint8_t flags = masq::test::tcp_flag::kAck) {
  PacketSpec s;
  s.kind = L4Kind::tcp;
  s.src = src;
  s.dst = dst;
  s.src_port = src_port;
  s.dst_port = dst_port;
  s.tcp_flags = flags;
  s.payload = masq::test::pattern_payload(20);
  return s;
}

PacketSpec echo(net::Ipv4Addr src, net::Ipv4Addr dst, std::uint8_t type) {
  PacketSpec s;
  s.kind = L4Kind::icmp;
  s.src = src;
  s.dst = dst;
  s.icmp_type = type;
  s.icmp_rest_high = 0x4242;
  s.icmp_rest_low = 1;
  s.payload = masq::test::pattern_payload(16);
  return s;
}

class RouterHostTest : public ::testing::Test {
 protected:
  explicit RouterHostTest(const RouterConfig& cfg = with_host())
      : engine_(test::engine_config()), router_(cfg, engine_) {}

  const Output& feed(Side side, std::vector<Bytes> frames) {
    rx_ = std::move(frames);
    views_.clear();
    for (Bytes& f : rx_) views_.push_back({f});
    return router_.process(views_, side, 0);
  }
  static Bytes from_h1(const PacketSpec& s) {
    return test::ipv4_frame(topo::kLanMac, topo::kH1Mac, s);
  }
  static Bytes from_gateway(const PacketSpec& s) {
    return test::ipv4_frame(topo::kWanMac, topo::kGatewayMac, s);
  }
  // The IPv4 packets handed to the host interface of `side`.
  static std::vector<Bytes> to_host(const Output& out, Side side) {
    std::vector<Bytes> packets;
    for (const net::Frame& f : out.host(side)) {
      EXPECT_EQ(read_ethernet(f.bytes.data()).dst,
                side == Side::lan ? topo::kLanMac : topo::kWanMac);
      packets.emplace_back(f.bytes.begin() + kEthernetHeader, f.bytes.end());
    }
    return packets;
  }

  nat::Engine engine_;
  Router router_;
  std::vector<Bytes> rx_;
  std::vector<net::Frame> views_;
};

TEST_F(RouterHostTest, TcpToTheLanAddressGoesToTheLanHost) {
  const PacketSpec syn = tcp(topo::kH1, topo::kLanAddr, 40000, 22, masq::test::tcp_flag::kSyn);
  const Output& out = feed(Side::lan, {from_h1(syn)});
  EXPECT_EQ(to_host(out, Side::lan), std::vector<Bytes>{masq::test::build_packet(syn)});
  EXPECT_TRUE(out.frames(Side::lan).empty());
  EXPECT_TRUE(out.host(Side::wan).empty());
  EXPECT_EQ(router_.counters().to_host[RouterCounters::side_index(Side::lan)], 1u);
}

TEST_F(RouterHostTest, EchoToOurAddressIsAnsweredByMasqNotTheHost) {
  const Output& out = feed(Side::lan, {from_h1(echo(topo::kH1, topo::kLanAddr, 8))});
  EXPECT_TRUE(out.host(Side::lan).empty());
  EXPECT_EQ(router_.counters().echo_replies_sent, 1u);
}

TEST_F(RouterHostTest, HostPortsOnTheWanAddressGoToTheWanHostNotTheEngine) {
  const PacketSpec reply = tcp(topo::kRemote, topo::kWanAddr, 80, 40000);
  const Output& out = feed(Side::wan, {from_gateway(reply)});
  EXPECT_EQ(to_host(out, Side::wan), std::vector<Bytes>{masq::test::build_packet(reply)});
  EXPECT_EQ(router_.counters().to_engine[RouterCounters::side_index(Side::wan)], 0u);
}

TEST_F(RouterHostTest, WhatTheEngineHasNoSessionForGoesToTheWanHost) {
  // An echo reply to the host's own ping, and a SYN to a port below the
  // host range: the engine owns neither, so the host's firewall decides.
  const PacketSpec reply = echo(topo::kRemote, topo::kWanAddr, 0);
  const PacketSpec syn = tcp(topo::kRemote, topo::kWanAddr, 5555, 22, masq::test::tcp_flag::kSyn);
  const Output& out = feed(Side::wan, {from_gateway(reply), from_gateway(syn)});
  EXPECT_EQ(to_host(out, Side::wan),
            (std::vector<Bytes>{masq::test::build_packet(reply), masq::test::build_packet(syn)}));
  EXPECT_EQ(router_.counters().to_engine[RouterCounters::side_index(Side::wan)], 2u);
  EXPECT_TRUE(out.frames(Side::lan).empty());
}

TEST_F(RouterHostTest, RepliesToLanFlowsStayTheEngines) {
  // lan1 opens a flow; its reply goes to lan1, not to the host.
  feed(Side::lan, {test::arp_frame(MacAddr::broadcast(), topo::kH1Mac,
                                   ArpPacket::request(topo::kH1Mac, topo::kH1, topo::kLanAddr))});
  feed(Side::lan, {from_h1(tcp(topo::kH1, topo::kRemote, 5000, 80, masq::test::tcp_flag::kSyn))});
  nat::SessionView session{};
  engine_.for_each_session([&](const nat::SessionView& v) { session = v; }, 0);
  ASSERT_EQ(engine_.session_count(), 1u);
  EXPECT_FALSE(kHostPorts.contains(session.external_port.value()));
  const Output& out = feed(
      Side::wan, {from_gateway(tcp(topo::kRemote, topo::kWanAddr, 80, session.external_port.value(),
                                   masq::test::tcp_flag::kSyn | masq::test::tcp_flag::kAck))});
  EXPECT_TRUE(out.host(Side::wan).empty());
  EXPECT_EQ(out.frames(Side::lan).size(), 1u);
}

TEST_F(RouterHostTest, ArpRequestsAreAnsweredOnceAndRepliesReachTheHost) {
  const Bytes request =
      test::arp_frame(MacAddr::broadcast(), topo::kH1Mac,
                      ArpPacket::request(topo::kH1Mac, topo::kH1, topo::kLanAddr));
  const Output& asked = feed(Side::lan, {request});
  EXPECT_EQ(asked.frames(Side::lan).size(), 1u);
  EXPECT_TRUE(asked.host(Side::lan).empty());

  // The answer to the host's own request for H2.
  const ArpPacket host_request = ArpPacket::request(topo::kLanMac, topo::kLanAddr, topo::kH2);
  const Bytes reply = test::arp_frame(topo::kLanMac, test::topo::kH2Mac,
                                      ArpPacket::reply_to(host_request, topo::kH2Mac));
  const Output& answered = feed(Side::lan, {reply});
  ASSERT_EQ(answered.host(Side::lan).size(), 1u);
  EXPECT_EQ(
      Bytes(answered.host(Side::lan)[0].bytes.begin(), answered.host(Side::lan)[0].bytes.end()),
      reply);
  EXPECT_TRUE(answered.frames(Side::lan).empty());
}

TEST_F(RouterHostTest, LinkBroadcastsGoToTheHost) {
  PacketSpec discover;
  discover.src = net::Ipv4Addr::from_octets(0, 0, 0, 0);
  discover.dst = net::Ipv4Addr::from_octets(255, 255, 255, 255);
  discover.src_port = 68;
  discover.dst_port = 67;
  discover.payload = masq::test::pattern_payload(240);
  const Bytes frame = test::ipv4_frame(MacAddr::broadcast(), topo::kH1Mac, discover);
  const Output& out = feed(Side::lan, {frame});
  ASSERT_EQ(out.host(Side::lan).size(), 1u);
  EXPECT_EQ(Bytes(out.host(Side::lan)[0].bytes.begin(), out.host(Side::lan)[0].bytes.end()), frame);
  EXPECT_EQ(router_.counters().drop(DropReason::link_broadcast_ipv4), 0u);
}

TEST_F(RouterHostTest, WhatTheHostSendsLeavesOnTheWireAsItIs) {
  std::vector<Bytes> frames{
      test::ipv4_frame(topo::kH1Mac, topo::kLanMac, tcp(topo::kLanAddr, topo::kH1, 22, 40000)),
      test::arp_frame(MacAddr::broadcast(), topo::kLanMac,
                      ArpPacket::request(topo::kLanMac, topo::kLanAddr, topo::kH2))};
  std::vector<net::Frame> views;
  for (Bytes& f : frames) views.push_back({f});
  const Output& out = router_.from_host(views, Side::lan);
  ASSERT_EQ(out.frames(Side::lan).size(), 2u);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(out.frames(Side::lan)[i].bytes.data(), frames[i].data());
  }
  EXPECT_TRUE(out.frames(Side::wan).empty());
  EXPECT_EQ(router_.counters().from_host[RouterCounters::side_index(Side::lan)], 2u);
}

class RouterWithoutHostTest : public RouterHostTest {
 protected:
  RouterWithoutHostTest() : RouterHostTest(test::router_config()) {}
};

TEST_F(RouterWithoutHostTest, DropsWhatItDoesNotConsume) {
  const Output& lan = feed(Side::lan, {from_h1(tcp(topo::kH1, topo::kLanAddr, 40000, 22))});
  EXPECT_TRUE(lan.host(Side::lan).empty());
  EXPECT_EQ(router_.counters().drop(DropReason::local_unsupported), 1u);
  const Output& wan =
      feed(Side::wan, {from_gateway(tcp(topo::kRemote, topo::kWanAddr, 80, 40000))});
  EXPECT_TRUE(wan.host(Side::wan).empty());
}

TEST(RouterHostConfig, RefusesAnEmptyHostPortRange) {
  RouterConfig c = with_host();
  c.host.ports = {0, 0};
  EXPECT_EQ(validate(c).size(), 1u);
}

TEST_F(RouterHostTest, DhcpAnswersToTheWanAddressGoToTheWanHost) {
  // A renewal's answer is unicast to the leased address (RFC 2131 §4.1).
  PacketSpec ack;
  ack.kind = L4Kind::udp;
  ack.src = topo::kGateway;
  ack.dst = topo::kWanAddr;
  ack.src_port = kDhcpServerPort;
  ack.dst_port = kDhcpClientPort;
  ack.payload = masq::test::pattern_payload(300);
  const Output& out = feed(Side::wan, {from_gateway(ack)});
  EXPECT_EQ(to_host(out, Side::wan), std::vector<Bytes>{masq::test::build_packet(ack)});
}

TEST_F(RouterHostTest, ANewWanAddressIsAnnouncedAndUsed) {
  const net::Ipv4Addr fresh = net::Ipv4Addr::from_octets(198, 18, 7, 20);
  const net::Ipv4Addr fresh_gateway = net::Ipv4Addr::from_octets(198, 18, 7, 1);
  std::size_t removed = 0;
  ASSERT_TRUE(engine_.readdress(topo::kWanAddr, fresh, 0, removed));
  const Output& announced = router_.readdress_wan(fresh, net::Ipv4Prefix(fresh, 24), fresh_gateway);
  const auto arp_of = [](const test::SentFrame& f) {
    EXPECT_EQ(f.eth.ether_type, kEtherTypeArp);
    return decode_arp(f.payload);
  };
  const std::vector<test::SentFrame> wan = test::sent(announced, Side::wan);
  ASSERT_EQ(wan.size(), 1u);
  const auto announcement = arp_of(wan[0]);
  ASSERT_TRUE(announcement);
  EXPECT_EQ(announcement->sender_ip, fresh);
  EXPECT_EQ(announcement->target_ip, fresh);

  // A LAN flow now leaves from the new address by the new gateway, which
  // is asked for first.
  feed(Side::lan, {test::arp_frame(MacAddr::broadcast(), topo::kH1Mac,
                                   ArpPacket::request(topo::kH1Mac, topo::kH1, topo::kLanAddr))});
  const Output& out = feed(
      Side::lan, {from_h1(tcp(topo::kH1, topo::kRemote, 5000, 80, masq::test::tcp_flag::kSyn))});
  const std::vector<test::SentFrame> asked = test::sent(out, Side::wan);
  ASSERT_EQ(asked.size(), 1u);
  const auto request = arp_of(asked[0]);
  ASSERT_TRUE(request);
  EXPECT_EQ(request->sender_ip, fresh);
  EXPECT_EQ(request->target_ip, fresh_gateway);
  nat::SessionView session{};
  engine_.for_each_session([&](const nat::SessionView& v) { session = v; }, 0);
  EXPECT_EQ(session.external_addr, fresh);
}

}  // namespace
}  // namespace masq::router
