#include "masq/router/egress.hpp"

#include <gtest/gtest.h>

#include "masq/net/byte_order.hpp"
#include "router/frames.hpp"
#include "router/topology.hpp"
#include "support/packet_builder.hpp"

namespace masq::router {
namespace {

using test::Bytes;
namespace topo = test::topo;

masq::test::PacketSpec udp(net::Ipv4Addr src, net::Ipv4Addr dst, std::size_t payload,
                           std::uint16_t id = 1) {
  masq::test::PacketSpec s;
  s.src = src;
  s.dst = dst;
  s.ip_id = id;
  s.src_port = 4000;
  s.dst_port = 53;
  s.payload = masq::test::pattern_payload(payload);
  return s;
}

// A datagram with Ethernet headroom in front, as an rx frame would hold it.
struct Held {
  explicit Held(const masq::test::PacketSpec& spec)
      : frame(test::ethernet_frame(MacAddr(), MacAddr(), kEtherTypeIpv4,
                                   masq::test::build_packet(spec))) {}
  std::span<std::uint8_t> packet() { return std::span(frame).subspan(kEthernetHeader); }
  Bytes frame;
};

class EgressTest : public ::testing::Test {
 protected:
  explicit EgressTest(RouterConfig cfg = test::router_config()) : egress_(cfg, counters_, {}) {}

  RouterCounters counters_;
  Egress egress_;
};

TEST_F(EgressTest, ResolvedNeighbourIsSentInPlace) {
  egress_.begin();
  egress_.learn(Side::wan, topo::kGateway, topo::kGatewayMac, true, 0);
  Held h(udp(topo::kWanAddr, topo::kRemote, 100));
  egress_.send_ipv4(Side::wan, h.packet(), nullptr, 0);
  const auto out = egress_.output().frames(Side::wan);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].bytes.data(), h.frame.data());
  EXPECT_EQ(out[0].bytes.size(), h.frame.size());
  const EthernetHeader eth = read_ethernet(out[0].bytes.data());
  EXPECT_EQ(eth.dst, topo::kGatewayMac);
  EXPECT_EQ(eth.src, topo::kWanMac);
  EXPECT_EQ(eth.ether_type, kEtherTypeIpv4);
  EXPECT_TRUE(egress_.output().frames(Side::lan).empty());
  EXPECT_EQ(counters_.tx_frames[RouterCounters::side_index(Side::wan)], 1u);
}

TEST_F(EgressTest, UnresolvedNextHopQueuesAndAsksOnce) {
  egress_.begin();
  Held a(udp(topo::kWanAddr, topo::kRemote, 100, 1));
  Held b(udp(topo::kWanAddr, topo::kRemote, 100, 2));
  egress_.send_ipv4(Side::wan, a.packet(), nullptr, 0);
  egress_.send_ipv4(Side::wan, b.packet(), nullptr, 0);
  auto out = test::sent(egress_.output(), Side::wan);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].eth.dst, MacAddr::broadcast());
  EXPECT_EQ(out[0].eth.ether_type, kEtherTypeArp);
  EXPECT_EQ(decode_arp(out[0].payload),
            ArpPacket::request(topo::kWanMac, topo::kWanAddr, topo::kGateway));
  EXPECT_EQ(counters_.arp_queued, 2u);
  EXPECT_EQ(counters_.arp_requests_sent, 1u);

  // The rx buffers are reused by then: the queue holds its own copies.
  std::fill(a.frame.begin(), a.frame.end(), 0);
  std::fill(b.frame.begin(), b.frame.end(), 0);
  egress_.begin();
  egress_.learn(Side::wan, topo::kGateway, topo::kGatewayMac, false, 1);
  out = test::sent(egress_.output(), Side::wan);
  ASSERT_EQ(out.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(out[i].eth.dst, topo::kGatewayMac);
    EXPECT_EQ(test::checksum_report(out[i].payload), "");
    EXPECT_EQ(net::load_be16(out[i].payload.data() + 4), i + 1) << "in arrival order";
  }
  EXPECT_EQ(counters_.arp_released, 2u);
}

TEST_F(EgressTest, OversizedPacketIsFragmentedUnlessDf) {
  egress_.begin();
  egress_.learn(Side::wan, topo::kGateway, topo::kGatewayMac, true, 0);
  Held big(udp(topo::kWanAddr, topo::kRemote, 1400));
  egress_.send_ipv4(Side::wan, big.packet(), nullptr, 0);
  const auto out = test::sent(egress_.output(), Side::wan);
  ASSERT_EQ(out.size(), 2u);
  std::vector<Bytes> fragments;
  for (const auto& f : out) {
    EXPECT_LE(f.payload.size(), topo::kWanMtu);
    EXPECT_EQ(f.eth.dst, topo::kGatewayMac);
    fragments.push_back(f.payload);
  }
  EXPECT_EQ(test::reassemble(fragments), Bytes(big.packet().begin(), big.packet().end()));
  EXPECT_EQ(counters_.fragments_sent, 2u);

  masq::test::PacketSpec df = udp(topo::kWanAddr, topo::kRemote, 1400);
  df.dont_fragment = true;
  Held h(df);
  egress_.begin();
  egress_.send_ipv4(Side::wan, h.packet(), nullptr, 0);
  EXPECT_TRUE(egress_.output().frames(Side::wan).empty());
  EXPECT_EQ(counters_.drop(DropReason::df_too_big), 1u);
}

TEST_F(EgressTest, OnlyTheLanPrefixIsReachableOnTheLan) {
  egress_.begin();
  Held h(udp(topo::kRemote, topo::kRemote, 10));
  egress_.send_ipv4(Side::lan, h.packet(), nullptr, 0);
  EXPECT_TRUE(egress_.output().frames(Side::lan).empty());
  EXPECT_EQ(counters_.drop(DropReason::no_route), 1u);
}

TEST_F(EgressTest, IcmpErrorComesFromTheSideAddress) {
  egress_.begin();
  egress_.learn(Side::lan, topo::kH1, topo::kH1Mac, true, 0);
  const Bytes offending = masq::test::build_packet(udp(topo::kH1, topo::kRemote, 30));
  egress_.send_icmp_error(Side::lan, offending, 11, 0, 0, 0);
  const auto out = test::sent(egress_.output(), Side::lan);
  ASSERT_EQ(out.size(), 1u);
  const Bytes& err = out[0].payload;
  EXPECT_EQ(test::checksum_report(err), "");
  EXPECT_EQ(net::load_be32(err.data() + 12), topo::kLanAddr.value());
  EXPECT_EQ(net::load_be32(err.data() + 16), topo::kH1.value());
  EXPECT_EQ(err[20], 11);
  EXPECT_TRUE(std::equal(offending.begin(), offending.end(), err.begin() + 28));
  EXPECT_EQ(counters_.icmp_errors_sent, 1u);
}

TEST_F(EgressTest, FailedResolutionTellsTheOriginalSender) {
  egress_.begin();
  egress_.learn(Side::lan, topo::kH1, topo::kH1Mac, true, 0);
  // What H1 sent, before translation; the queued packet is the translated one.
  const Bytes original = masq::test::build_packet(udp(topo::kH1, topo::kNeighbour, 30));
  const Origin origin = Origin::of(original, Side::lan);
  Held translated(udp(topo::kWanAddr, topo::kNeighbour, 30));
  egress_.send_ipv4(Side::wan, translated.packet(), &origin, 0);
  ASSERT_EQ(egress_.output().frames(Side::wan).size(), 1u);  // the first request

  for (std::uint64_t s = 1; s <= 2; ++s) {
    egress_.begin();
    egress_.tick(s * topo::kSecond);
    const auto out = test::sent(egress_.output(), Side::wan);
    ASSERT_EQ(out.size(), 1u) << "retry " << s;
    EXPECT_EQ(decode_arp(out[0].payload)->target_ip, topo::kNeighbour);
    EXPECT_TRUE(egress_.output().frames(Side::lan).empty());
  }
  egress_.begin();
  egress_.tick(3 * topo::kSecond);
  EXPECT_TRUE(egress_.output().frames(Side::wan).empty());
  const auto out = test::sent(egress_.output(), Side::lan);
  ASSERT_EQ(out.size(), 1u);
  const Bytes& err = out[0].payload;
  EXPECT_EQ(out[0].eth.dst, topo::kH1Mac);
  EXPECT_EQ(test::checksum_report(err), "");
  EXPECT_EQ(net::load_be32(err.data() + 12), topo::kLanAddr.value());
  EXPECT_EQ(net::load_be32(err.data() + 16), topo::kH1.value());
  EXPECT_EQ(err[20], 3);
  EXPECT_EQ(err[21], kCodeHostUnreachable);
  // The quote is what H1 sent: its own address, not the translated one.
  EXPECT_TRUE(std::equal(original.begin(), original.begin() + 28, err.begin() + 28));
  EXPECT_EQ(counters_.drop(DropReason::arp_unresolved), 1u);
  EXPECT_EQ(counters_.arp_requests_sent, 3u);
}

TEST_F(EgressTest, RoutersOwnPacketsFailSilently) {
  egress_.begin();
  Held h(udp(topo::kWanAddr, topo::kNeighbour, 30));
  egress_.send_ipv4(Side::wan, h.packet(), nullptr, 0);
  for (std::uint64_t s = 1; s <= 3; ++s) {
    egress_.begin();
    egress_.tick(s * topo::kSecond);
  }
  EXPECT_TRUE(egress_.output().frames(Side::lan).empty());
  EXPECT_EQ(counters_.drop(DropReason::arp_unresolved), 1u);
  EXPECT_EQ(counters_.icmp_errors_sent, 0u);
}

class SmallEgressTest : public EgressTest {
 protected:
  static RouterConfig small() {
    RouterConfig c = test::router_config();
    c.tx_buffers = 2;
    return c;
  }
  SmallEgressTest() : EgressTest(small()) {}
};

TEST_F(SmallEgressTest, TransmitBuffersRunOutAndComeBack) {
  egress_.begin();
  EXPECT_FALSE(egress_.allocate_packet().empty());
  EXPECT_EQ(egress_.tx_available(), 1u);
  egress_.learn(Side::wan, topo::kGateway, topo::kGatewayMac, true, 0);
  // Two fragments needed, one buffer left: nothing is sent.
  Held big(udp(topo::kWanAddr, topo::kRemote, 1400));
  egress_.send_ipv4(Side::wan, big.packet(), nullptr, 0);
  EXPECT_TRUE(egress_.output().frames(Side::wan).empty());
  EXPECT_FALSE(egress_.allocate_packet().empty());
  EXPECT_TRUE(egress_.allocate_packet().empty());
  EXPECT_EQ(counters_.drop(DropReason::tx_exhausted), 2u);
  egress_.begin();
  EXPECT_EQ(egress_.tx_available(), 2u);
}

}  // namespace
}  // namespace masq::router
