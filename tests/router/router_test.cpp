#include "masq/router/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "masq/nat/port_slice.hpp"
#include "masq/net/byte_order.hpp"
#include "router/frames.hpp"
#include "router/topology.hpp"
#include "support/checksum_oracle.hpp"
#include "support/inet_checksum.hpp"
#include "support/packet_builder.hpp"

namespace masq::router {
namespace {

using masq::test::L4Kind;
using masq::test::PacketSpec;
using test::Bytes;
using test::SentFrame;
namespace topo = test::topo;

PacketSpec udp(net::Ipv4Addr src, net::Ipv4Addr dst, std::uint16_t src_port, std::uint16_t dst_port,
               std::size_t payload = 32) {
  PacketSpec s;
  s.src = src;
  s.dst = dst;
  s.src_port = src_port;
  s.dst_port = dst_port;
  s.payload = masq::test::pattern_payload(payload);
  return s;
}

PacketSpec ping(net::Ipv4Addr src, net::Ipv4Addr dst) {
  PacketSpec s;
  s.src = src;
  s.dst = dst;
  s.kind = L4Kind::icmp;
  s.icmp_type = 8;
  s.icmp_rest_high = 0x0777;
  s.icmp_rest_low = 1;
  s.payload = masq::test::pattern_payload(24);
  return s;
}

// `sent` as it leaves the WAN: from the session's external endpoint (the
// echo identifier standing for ICMP's port), one hop older.
PacketSpec translated_out(const PacketSpec& sent, const nat::SessionView& session) {
  PacketSpec t = sent;
  t.src = session.external_addr;
  if (sent.kind == L4Kind::icmp) {
    t.icmp_rest_high = session.external_port.value();
  } else {
    t.src_port = session.external_port.value();
  }
  t.ttl = static_cast<std::uint8_t>(sent.ttl - 1);
  return t;
}

// `reply` as it leaves the LAN: to the internal host `to` and `port` (the
// echo identifier for ICMP), one hop older.
PacketSpec translated_in(const PacketSpec& reply, net::Ipv4Addr to, std::uint16_t port) {
  PacketSpec t = reply;
  t.dst = to;
  if (reply.kind == L4Kind::icmp) {
    t.icmp_rest_high = port;
  } else {
    t.dst_port = port;
  }
  t.ttl = static_cast<std::uint8_t>(reply.ttl - 1);
  return t;
}

std::uint32_t src_of(const Bytes& ip) {
  return net::load_be32(ip.data() + 12);
}
std::uint32_t dst_of(const Bytes& ip) {
  return net::load_be32(ip.data() + 16);
}

class RouterTest : public ::testing::Test {
 protected:
  explicit RouterTest(const RouterConfig& cfg = test::router_config(),
                      const nat::EngineConfig& engine = test::engine_config())
      : engine_(engine), router_(cfg, engine_) {}

  // Hands `frames` to the router; they stay alive until the next feed,
  // since the output may point into them.
  const Output& feed(Side side, std::vector<Bytes> frames, std::uint64_t now_ns = 0) {
    rx_ = std::move(frames);
    std::vector<net::Frame> views;
    for (Bytes& f : rx_) views.push_back({f});
    return router_.process(views, side, now_ns);
  }

  static Bytes from_h1(const PacketSpec& s) {
    return test::ipv4_frame(topo::kLanMac, topo::kH1Mac, s);
  }
  static Bytes from_gateway(const PacketSpec& s) {
    return test::ipv4_frame(topo::kWanMac, topo::kGatewayMac, s);
  }
  static Bytes arp_request(const MacAddr& mac, net::Ipv4Addr ip, net::Ipv4Addr target) {
    return test::arp_frame(MacAddr::broadcast(), mac, ArpPacket::request(mac, ip, target));
  }

  // H1 and the gateway ask for the router, which learns them on the way.
  void meet_h1() { feed(Side::lan, {arp_request(topo::kH1Mac, topo::kH1, topo::kLanAddr)}); }
  void meet_gateway() {
    feed(Side::wan, {arp_request(topo::kGatewayMac, topo::kGateway, topo::kWanAddr)});
  }

  // The one IPv4 frame sent on `side`, its checksums verified from scratch
  // (a super-frame's TCP checksum field: its seed).
  static Bytes only_ipv4(const Output& out, Side side, const MacAddr& to) {
    const auto frames = test::sent(out, side);
    EXPECT_EQ(frames.size(), 1u);
    if (frames.empty()) return {};
    EXPECT_EQ(frames[0].eth.ether_type, kEtherTypeIpv4);
    EXPECT_EQ(frames[0].eth.dst, to);
    EXPECT_EQ(frames[0].eth.src, side == Side::lan ? topo::kLanMac : topo::kWanMac);
    const bool super = out.frames(side)[0].gso_size != 0;
    EXPECT_EQ(test::checksum_report(frames[0].payload, super ? masq::test::TransportSum::seed
                                                             : masq::test::TransportSum::complete),
              "");
    return frames[0].payload;
  }

  // `got` is `sent` as translated by the engine's one session, built
  // independently from what that session holds.
  void expect_translated_out(const Bytes& got, const PacketSpec& sent) {
    const auto session = only_session();
    ASSERT_TRUE(session.has_value());
    EXPECT_EQ(got, masq::test::build_packet(with_engine_id(translated_out(sent, *session), got)));
  }

  // The engine gives a non-atomic datagram an ID of its own (RFC 7857 §11).
  static PacketSpec with_engine_id(PacketSpec want, const Bytes& got) {
    if (!want.dont_fragment && got.size() >= 6) want.ip_id = net::load_be16(got.data() + 4);
    return want;
  }

  std::optional<nat::SessionView> only_session() {
    std::optional<nat::SessionView> found;
    engine_.for_each_session([&](const nat::SessionView& v) { found = v; }, 0);
    EXPECT_EQ(engine_.session_count(), 1u);
    return found;
  }

  std::uint64_t drops(DropReason r) const { return router_.counters().drop(r); }
  std::uint64_t to_engine(Side s) const {
    return router_.counters().to_engine[RouterCounters::side_index(s)];
  }

  nat::Engine engine_;
  Router router_;
  std::vector<Bytes> rx_;
};

TEST(Router, RefusesAnInvalidConfig) {
  nat::Engine engine(test::engine_config());
  RouterConfig cfg = test::router_config();
  cfg.lan.mtu = 10;
  EXPECT_THROW(Router(cfg, engine), std::invalid_argument);
}

TEST_F(RouterTest, AnswersArpForItsLanAddress) {
  const auto out = test::sent(
      feed(Side::lan, {arp_request(topo::kH1Mac, topo::kH1, topo::kLanAddr)}), Side::lan);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].eth.dst, topo::kH1Mac);
  EXPECT_EQ(out[0].eth.src, topo::kLanMac);
  EXPECT_EQ(out[0].eth.ether_type, kEtherTypeArp);
  EXPECT_EQ(decode_arp(out[0].payload),
            ArpPacket::reply_to(ArpPacket::request(topo::kH1Mac, topo::kH1, topo::kLanAddr),
                                topo::kLanMac));
  EXPECT_EQ(router_.counters().arp_replies_sent, 1u);
  EXPECT_EQ(router_.counters().arp_requests_received, 1u);
}

TEST_F(RouterTest, AnswersArpOnTheWanForExternalAddressesOnly) {
  const net::Ipv4Addr others[] = {net::Ipv4Addr::from_octets(203, 0, 113, 77), topo::kLanAddr};
  for (const net::Ipv4Addr target : {topo::kWanAddr, topo::kStaticExt}) {
    const auto out = test::sent(
        feed(Side::wan, {arp_request(topo::kNeighbourMac, topo::kNeighbour, target)}), Side::wan);
    ASSERT_EQ(out.size(), 1u) << target.to_string();
    const auto reply = decode_arp(out[0].payload);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->sender_ip, target);
    EXPECT_EQ(reply->sender_mac, topo::kWanMac);
  }
  for (const net::Ipv4Addr target : others) {
    EXPECT_TRUE(feed(Side::wan, {arp_request(topo::kNeighbourMac, topo::kNeighbour, target)})
                    .frames(Side::wan)
                    .empty())
        << target.to_string();
  }
  EXPECT_EQ(drops(DropReason::arp_other_target), 2u);
  // The WAN address is not answered on the LAN.
  EXPECT_TRUE(feed(Side::lan, {arp_request(topo::kH1Mac, topo::kH1, topo::kWanAddr)})
                  .frames(Side::lan)
                  .empty());
}

TEST_F(RouterTest, DistrustsArpClaimingOurAddressOrFromOffLink) {
  // A station claiming the WAN address.
  feed(Side::wan, {test::arp_frame(MacAddr::broadcast(), topo::kNeighbourMac,
                                   ArpPacket::announcement(topo::kNeighbourMac, topo::kWanAddr))});
  EXPECT_EQ(drops(DropReason::arp_address_conflict), 1u);
  // A sender outside the LAN prefix asking for the LAN address.
  const net::Ipv4Addr stranger = net::Ipv4Addr::from_octets(10, 9, 9, 9);
  EXPECT_TRUE(feed(Side::lan, {arp_request(topo::kH1Mac, stranger, topo::kLanAddr)})
                  .frames(Side::lan)
                  .empty());
  EXPECT_EQ(drops(DropReason::arp_sender_off_link), 1u);
  // An address probe (RFC 5227) for the LAN address is answered: we defend it.
  const auto out = test::sent(
      feed(Side::lan, {arp_request(topo::kH1Mac, net::Ipv4Addr(), topo::kLanAddr)}), Side::lan);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(decode_arp(out[0].payload)->sender_ip, topo::kLanAddr);
}

TEST_F(RouterTest, AnnouncesItsAddressesAtStart) {
  const Output& out = router_.start();
  const auto lan = test::sent(out, Side::lan);
  ASSERT_EQ(lan.size(), 1u);
  EXPECT_EQ(lan[0].eth.dst, MacAddr::broadcast());
  EXPECT_EQ(decode_arp(lan[0].payload), ArpPacket::announcement(topo::kLanMac, topo::kLanAddr));
  const auto wan = test::sent(out, Side::wan);
  ASSERT_EQ(wan.size(), 2u);
  EXPECT_EQ(decode_arp(wan[0].payload), ArpPacket::announcement(topo::kWanMac, topo::kWanAddr));
  EXPECT_EQ(decode_arp(wan[1].payload), ArpPacket::announcement(topo::kWanMac, topo::kStaticExt));
  EXPECT_EQ(router_.counters().arp_announcements_sent, 3u);
  // Nothing left to announce afterwards.
  EXPECT_TRUE(router_.tick(topo::kSecond / 10).frames(Side::wan).empty());
}

TEST_F(RouterTest, PacketWaitsForTheGatewayAndIsReleasedTranslated) {
  meet_h1();
  const auto first =
      test::sent(feed(Side::lan, {from_h1(udp(topo::kH1, topo::kRemote, 4000, 53))}), Side::wan);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].eth.ether_type, kEtherTypeArp);
  EXPECT_EQ(decode_arp(first[0].payload),
            ArpPacket::request(topo::kWanMac, topo::kWanAddr, topo::kGateway));

  const ArpPacket reply{ArpOp::reply, topo::kGatewayMac, topo::kGateway, topo::kWanMac,
                        topo::kWanAddr};
  const Output& out = feed(Side::wan, {test::arp_frame(topo::kWanMac, topo::kGatewayMac, reply)});
  const Bytes pkt = only_ipv4(out, Side::wan, topo::kGatewayMac);
  ASSERT_FALSE(pkt.empty());
  EXPECT_EQ(src_of(pkt), topo::kWanAddr.value());
  EXPECT_EQ(dst_of(pkt), topo::kRemote.value());
  EXPECT_EQ(pkt[8], 63) << "the engine decremented the TTL once";
  EXPECT_EQ(router_.counters().arp_released, 1u);
}

TEST_F(RouterTest, ANeighbourLearntWithoutArpIsUsedAtOnce) {
  meet_h1();
  EXPECT_TRUE(router_.learn(Side::wan, topo::kGateway, topo::kGatewayMac, 0));
  const Bytes pkt = only_ipv4(feed(Side::lan, {from_h1(udp(topo::kH1, topo::kRemote, 4000, 53))}),
                              Side::wan, topo::kGatewayMac);
  EXPECT_EQ(src_of(pkt), topo::kWanAddr.value());
  EXPECT_EQ(router_.counters().arp_requests_sent, 0u);
}

TEST_F(RouterTest, LearningReleasesWhatWaitsIntoTheOutputNotYetSent) {
  meet_h1();
  const Output& out = feed(Side::lan, {from_h1(udp(topo::kH1, topo::kRemote, 4000, 53))});
  ASSERT_EQ(test::sent(out, Side::wan).size(), 1u);  // the ARP request
  EXPECT_TRUE(router_.learn(Side::wan, topo::kGateway, topo::kGatewayMac, 0));
  const auto frames = test::sent(out, Side::wan);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[1].eth.dst, topo::kGatewayMac);
  EXPECT_EQ(frames[1].eth.ether_type, kEtherTypeIpv4);
  EXPECT_EQ(test::checksum_report(frames[1].payload), "");
  EXPECT_EQ(router_.counters().arp_released, 1u);
}

TEST_F(RouterTest, LearnRefusesWhatArpWouldNotBelieve) {
  EXPECT_FALSE(router_.learn(Side::wan, topo::kRemote, topo::kGatewayMac, 0));   // off link
  EXPECT_FALSE(router_.learn(Side::wan, topo::kWanAddr, topo::kGatewayMac, 0));  // ours
  EXPECT_FALSE(router_.learn(Side::lan, topo::kH1, MacAddr::broadcast(), 0));    // a group
  EXPECT_FALSE(router_.learn(Side::lan, topo::kH1, MacAddr(), 0));               // zero
}

TEST_F(RouterTest, QueueOverflowKeepsTheLatest) {
  meet_h1();
  std::vector<Bytes> burst;
  for (std::uint16_t id = 1; id <= 5; ++id) {
    PacketSpec s = udp(topo::kH1, topo::kRemote, 4000, 53);
    s.ip_id = id;
    s.dont_fragment = true;  // atomic: the engine keeps the ID, which tells the packets apart
    burst.push_back(from_h1(s));
  }
  feed(Side::lan, std::move(burst));
  EXPECT_EQ(drops(DropReason::arp_queue_overflow), 2u);
  const auto out = test::sent(
      feed(Side::wan, {arp_request(topo::kGatewayMac, topo::kGateway, topo::kWanAddr)}), Side::wan);
  std::vector<std::uint16_t> ids;
  for (const SentFrame& f : out) {
    if (f.eth.ether_type == kEtherTypeIpv4) ids.push_back(net::load_be16(f.payload.data() + 4));
  }
  EXPECT_EQ(ids, (std::vector<std::uint16_t>{3, 4, 5}));
}

TEST_F(RouterTest, UnansweredGatewayMeansHostUnreachable) {
  meet_h1();
  PacketSpec s = udp(topo::kH1, topo::kRemote, 4000, 53);
  const Bytes original = masq::test::build_packet(s);
  feed(Side::lan, {from_h1(s)});
  for (std::uint64_t sec = 1; sec <= 2; ++sec) {
    const auto out = test::sent(router_.tick(sec * topo::kSecond), Side::wan);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].eth.ether_type, kEtherTypeArp);
  }
  const Output& out = router_.tick(3 * topo::kSecond);
  EXPECT_TRUE(out.frames(Side::wan).empty());
  const Bytes err = only_ipv4(out, Side::lan, topo::kH1Mac);
  ASSERT_GE(err.size(), 56u);
  EXPECT_EQ(src_of(err), topo::kLanAddr.value());
  EXPECT_EQ(dst_of(err), topo::kH1.value());
  EXPECT_EQ(err[20], 3);
  EXPECT_EQ(err[21], 1);
  // The quote is the datagram as H1 sent it: untranslated, TTL untouched.
  EXPECT_TRUE(std::equal(original.begin(), original.begin() + 28, err.begin() + 28));
  EXPECT_EQ(drops(DropReason::arp_unresolved), 1u);
}

TEST_F(RouterTest, UnansweredLanHostMeansHostUnreachableToTheRemote) {
  meet_gateway();
  // Static NAT: the remote reaches H2 at 203.0.113.50; H2 never answers ARP.
  const PacketSpec s = udp(topo::kRemote, topo::kStaticExt, 53, 4000);
  const Bytes original = masq::test::build_packet(s);
  const auto asked = test::sent(feed(Side::wan, {from_gateway(s)}), Side::lan);
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(decode_arp(asked[0].payload),
            ArpPacket::request(topo::kLanMac, topo::kLanAddr, topo::kH2));
  router_.tick(1 * topo::kSecond);
  router_.tick(2 * topo::kSecond);
  const Bytes err = only_ipv4(router_.tick(3 * topo::kSecond), Side::wan, topo::kGatewayMac);
  ASSERT_GE(err.size(), 56u);
  EXPECT_EQ(src_of(err), topo::kWanAddr.value());
  EXPECT_EQ(dst_of(err), topo::kRemote.value());
  EXPECT_EQ(err[21], 1);
  // The quote names the external address the remote used, never H2's.
  EXPECT_TRUE(std::equal(original.begin(), original.begin() + 28, err.begin() + 28));
}

TEST_F(RouterTest, HairpinGoesBackOutOfTheLan) {
  meet_h1();
  feed(Side::lan, {arp_request(topo::kH2Mac, topo::kH2, topo::kLanAddr)});
  const Bytes out =
      only_ipv4(feed(Side::lan, {from_h1(udp(topo::kH1, topo::kStaticExt, 4000, 7000))}), Side::lan,
                topo::kH2Mac);
  ASSERT_FALSE(out.empty());
  // RFC 4787 REQ-9a: H2 sees H1's external address.
  EXPECT_EQ(src_of(out), topo::kWanAddr.value());
  EXPECT_EQ(dst_of(out), topo::kH2.value());
  EXPECT_EQ(engine_.counters().hairpinned, 1u);
}

TEST_F(RouterTest, AnswersPingsToItsAddresses) {
  meet_h1();
  for (const net::Ipv4Addr a : {topo::kLanAddr, topo::kWanAddr}) {
    const Bytes reply =
        only_ipv4(feed(Side::lan, {from_h1(ping(topo::kH1, a))}), Side::lan, topo::kH1Mac);
    ASSERT_FALSE(reply.empty());
    EXPECT_EQ(src_of(reply), a.value());
    EXPECT_EQ(dst_of(reply), topo::kH1.value());
    EXPECT_EQ(reply[20], 0);
    EXPECT_EQ(net::load_be16(reply.data() + 24), 0x0777);
  }
  meet_gateway();
  const Bytes reply =
      only_ipv4(feed(Side::wan, {from_gateway(ping(topo::kRemote, topo::kWanAddr))}), Side::wan,
                topo::kGatewayMac);
  EXPECT_EQ(dst_of(reply), topo::kRemote.value());
  EXPECT_EQ(router_.counters().echo_replies_sent, 3u);
  EXPECT_EQ(to_engine(Side::lan) + to_engine(Side::wan), 0u);
  // The LAN address is not ours to answer for on the WAN: the engine decides.
  const Output& out = feed(Side::wan, {from_gateway(ping(topo::kRemote, topo::kLanAddr))});
  EXPECT_TRUE(out.frames(Side::wan).empty());
  EXPECT_EQ(to_engine(Side::wan), 1u);
}

TEST_F(RouterTest, OtherLocalTrafficIsDropped) {
  meet_h1();
  // The seam where PCP will plug in: UDP 5351 on the LAN address.
  feed(Side::lan, {from_h1(udp(topo::kH1, topo::kLanAddr, 5350, 5351))});
  EXPECT_EQ(drops(DropReason::local_unsupported), 1u);
  PacketSpec frag = ping(topo::kH1, topo::kLanAddr);
  frag.more_fragments = true;
  feed(Side::lan, {from_h1(frag)});
  EXPECT_EQ(drops(DropReason::local_fragment), 1u);
  PacketSpec bad = ping(topo::kH1, topo::kLanAddr);
  bad.corrupt_l4_checksum = true;
  EXPECT_TRUE(feed(Side::lan, {from_h1(bad)}).frames(Side::lan).empty());
  EXPECT_EQ(drops(DropReason::local_bad_checksum), 1u);
  EXPECT_EQ(to_engine(Side::lan), 0u);
}

TEST_F(RouterTest, TtlOneGetsTimeExceededFromTheLanAddress) {
  meet_h1();
  PacketSpec s = udp(topo::kH1, topo::kRemote, 4000, 53);
  s.ttl = 1;
  const Bytes original = masq::test::build_packet(s);
  const Bytes err = only_ipv4(feed(Side::lan, {from_h1(s)}), Side::lan, topo::kH1Mac);
  ASSERT_EQ(err.size(), 28 + original.size());
  EXPECT_EQ(src_of(err), topo::kLanAddr.value());
  EXPECT_EQ(dst_of(err), topo::kH1.value());
  EXPECT_EQ(err[20], 11);
  EXPECT_EQ(err[21], 0);
  EXPECT_TRUE(std::equal(original.begin(), original.end(), err.begin() + 28));
  EXPECT_EQ(engine_.counters().drop(nat::DropReason::ttl_expired), 1u);
}

// A TTL-1 flood from one host for 2 s draws no more time exceeded than
// its bucket holds (RFC 1812 §4.3.2.8, Linux's defaults): the burst and
// one a second; the rest are counted as suppressed.
TEST_F(RouterTest, TtlOneFloodIsAnsweredWithinTheRateLimit) {
  meet_h1();
  const IcmpRateLimit limit;
  std::uint64_t errors = 0;
  std::uint64_t probes = 0;
  for (std::uint64_t ms = 0; ms < 2000; ms += 10) {
    std::vector<Bytes> frames;
    for (std::uint16_t i = 0; i < 8; ++i) {
      PacketSpec s = udp(topo::kH1, topo::kRemote, 4000, static_cast<std::uint16_t>(33434 + i));
      s.ttl = 1;
      frames.push_back(from_h1(s));
    }
    probes += frames.size();
    const Output& out = feed(Side::lan, std::move(frames), ms * 1'000'000);
    for (const SentFrame& f : test::sent(out, Side::lan)) {
      EXPECT_EQ(test::checksum_report(f.payload), "");
      EXPECT_EQ(f.payload[20], 11);
      ++errors;
    }
  }
  // The burst at once, then one when a second has passed.
  EXPECT_LE(errors, limit.per_host_burst + 2 * limit.per_host_rate_per_s);
  EXPECT_EQ(errors, limit.per_host_burst + 1);
  EXPECT_EQ(router_.counters().icmp_errors_sent, errors);
  EXPECT_EQ(router_.counters().icmp_errors_rate_limited, probes - errors);
  EXPECT_EQ(engine_.counters().drop(nat::DropReason::ttl_expired), probes);
}

TEST_F(RouterTest, TooBigWithDfGetsFragNeededQuotingTheOriginal) {
  meet_h1();
  PacketSpec s = udp(topo::kH1, topo::kRemote, 4000, 53, 1400 - 28);
  s.dont_fragment = true;
  const Bytes original = masq::test::build_packet(s);
  ASSERT_EQ(original.size(), 1400u);
  const Bytes err = only_ipv4(feed(Side::lan, {from_h1(s)}), Side::lan, topo::kH1Mac);
  ASSERT_GE(err.size(), 56u);
  EXPECT_EQ(src_of(err), topo::kLanAddr.value());
  EXPECT_EQ(err[20], 3);
  EXPECT_EQ(err[21], 4);
  EXPECT_EQ(net::load_be16(err.data() + 26), topo::kWanMtu);
  EXPECT_TRUE(std::equal(err.begin() + 28, err.end(), original.begin()));
  EXPECT_EQ(drops(DropReason::frag_needed), 1u);
  EXPECT_EQ(to_engine(Side::lan), 0u);
  EXPECT_EQ(engine_.session_count(), 0u);
}

// Fragments of one datagram as frames on `side`, in the given order.
std::vector<Bytes> fragment_frames(const std::vector<Bytes>& fragments,
                                   const std::vector<std::size_t>& order, Side side) {
  const MacAddr to = side == Side::lan ? topo::kLanMac : topo::kWanMac;
  const MacAddr from = side == Side::lan ? topo::kH1Mac : topo::kGatewayMac;
  std::vector<Bytes> frames;
  for (const std::size_t i : order) {
    frames.push_back(test::ethernet_frame(to, from, kEtherTypeIpv4, fragments[i]));
  }
  return frames;
}

// The datagram the fragments sent on `side` make, each checked on the way.
Bytes rejoin(const Output& out, Side side, const MacAddr& to, std::uint16_t mtu,
             std::size_t expected_fragments) {
  const auto frames = test::sent(out, side);
  EXPECT_EQ(frames.size(), expected_fragments);
  std::vector<Bytes> fragments;
  for (const SentFrame& f : frames) {
    EXPECT_EQ(f.eth.dst, to);
    EXPECT_LE(f.payload.size(), mtu);
    EXPECT_EQ(test::checksum_report(f.payload), "");
    // RFC 791 §3.2: every fragment of the datagram carries its one ID.
    if (!fragments.empty()) {
      EXPECT_EQ(net::load_be16(f.payload.data() + 4), net::load_be16(fragments[0].data() + 4));
    }
    fragments.push_back(f.payload);
  }
  if (fragments.empty()) return {};
  const Bytes whole = test::reassemble(fragments);
  EXPECT_EQ(test::checksum_report(whole), "");
  return whole;
}

TEST_F(RouterTest, TooBigWithoutDfIsFragmentedAfterTranslation) {
  meet_h1();
  meet_gateway();
  PacketSpec s = udp(topo::kH1, topo::kRemote, 4000, 53, 1400 - 28);
  s.ip_id = 0x5151;
  const Bytes whole =
      rejoin(feed(Side::lan, {from_h1(s)}), Side::wan, topo::kGatewayMac, topo::kWanMtu, 2);

  expect_translated_out(whole, s);
  EXPECT_EQ(router_.counters().fragments_sent, 2u);
}

TEST_F(RouterTest, FragmentedPingIsReassembledTranslatedAndFragmentedAgain) {
  meet_h1();
  meet_gateway();
  PacketSpec request = ping(topo::kH1, topo::kRemote);
  request.ip_id = 0x3131;
  request.payload = masq::test::pattern_payload(3000);
  const auto pieces = test::split(masq::test::build_packet(request), 1008);
  ASSERT_EQ(pieces.size(), 3u);

  // Out of order in one batch; the WAN (MTU 1280) needs three fragments.
  const Bytes out = rejoin(feed(Side::lan, fragment_frames(pieces, {2, 0, 1}, Side::lan)),
                           Side::wan, topo::kGatewayMac, topo::kWanMtu, 3);
  const auto session = only_session();
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(out, masq::test::build_packet(with_engine_id(translated_out(request, *session), out)));
  EXPECT_EQ(router_.counters().fragments_received, 3u);
  EXPECT_EQ(router_.counters().datagrams_reassembled, 1u);
  EXPECT_EQ(to_engine(Side::lan), 1u);

  // The reply, fragmented for 1280 bytes upstream, over two calls.
  PacketSpec reply = ping(topo::kRemote, session->external_addr);
  reply.icmp_type = 0;
  reply.icmp_rest_high = session->external_port.value();
  reply.ip_id = 0x7777;
  reply.payload = masq::test::pattern_payload(3000);
  const auto back_pieces = test::split(masq::test::build_packet(reply), 1256);
  ASSERT_EQ(back_pieces.size(), 3u);
  EXPECT_TRUE(
      test::sent(feed(Side::wan, fragment_frames(back_pieces, {2}, Side::wan)), Side::lan).empty());
  const Bytes back = rejoin(feed(Side::wan, fragment_frames(back_pieces, {1, 0}, Side::wan)),
                            Side::lan, topo::kH1Mac, 1500, 3);
  EXPECT_EQ(back,
            masq::test::build_packet(translated_in(reply, topo::kH1, request.icmp_rest_high)));
  EXPECT_EQ(router_.counters().datagrams_reassembled, 2u);
  EXPECT_EQ(router_.counters().total_drops(), 0u);
}

TEST_F(RouterTest, UdpReplyFragmentsArrivingReversedReachTheLanWhole) {
  meet_h1();
  meet_gateway();
  const Bytes out = only_ipv4(feed(Side::lan, {from_h1(udp(topo::kH1, topo::kRemote, 4000, 53))}),
                              Side::wan, topo::kGatewayMac);
  ASSERT_FALSE(out.empty());
  const std::uint16_t ext_port = net::load_be16(out.data() + 20);

  PacketSpec reply = udp(topo::kRemote, topo::kWanAddr, 53, ext_port, 1400 - 28);
  reply.ip_id = 0x0B0B;
  const auto pieces = test::split(masq::test::build_packet(reply), 504);
  ASSERT_EQ(pieces.size(), 3u);
  // Whole again, it fits the LAN's 1500 bytes: one packet.
  const Bytes back = only_ipv4(feed(Side::wan, fragment_frames(pieces, {2, 1, 0}, Side::wan)),
                               Side::lan, topo::kH1Mac);
  EXPECT_EQ(back, masq::test::build_packet(translated_in(reply, topo::kH1, 4000)));
  EXPECT_EQ(router_.counters().fragments_received, 3u);
  EXPECT_EQ(to_engine(Side::wan), 1u);
}

TEST_F(RouterTest, ReassembledDatagramForAnUnresolvedHopIsDroppedNotQueued) {
  meet_h1();
  PacketSpec s = udp(topo::kH1, topo::kRemote, 4000, 53, 3000);
  const auto pieces = test::split(masq::test::build_packet(s), 1480);
  const Output& out = feed(Side::lan, fragment_frames(pieces, {0, 1, 2}, Side::lan));
  // Only the ARP request for the gateway goes out.
  const auto frames = test::sent(out, Side::wan);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].eth.ether_type, kEtherTypeArp);
  EXPECT_EQ(drops(DropReason::arp_queue_too_large), 1u);
  EXPECT_EQ(router_.counters().datagrams_reassembled, 1u);
}

// TCP super-frames (net::Frame::gso_size): a flow opened by a SYN, then one
// frame carrying `segments` MSS-sized pieces of `mss` bytes, DF set, its
// TCP checksum field the seed io hands it over with (docs/adr/0004).
class SuperFrameTest : public RouterTest {
 protected:
  static constexpr std::uint16_t kMss = 1000;

  static PacketSpec tcp(std::uint8_t flags, std::size_t payload) {
    PacketSpec s;
    s.kind = L4Kind::tcp;
    s.src = topo::kH1;
    s.dst = topo::kRemote;
    s.src_port = 40000;
    s.dst_port = 443;
    s.dont_fragment = true;
    s.tcp_flags = flags;
    s.payload = masq::test::pattern_payload(payload);
    return s;
  }
  static PacketSpec super(std::size_t segments, std::uint16_t mss = kMss) {
    PacketSpec s = tcp(masq::test::tcp_flag::kAck, segments * mss);
    s.tcp_checksum_seed = true;
    return s;
  }

  // Opens the flow: the SYN crosses as an ordinary frame.
  void open_flow() {
    meet_h1();
    meet_gateway();
    only_ipv4(feed(Side::lan, {from_h1(tcp(masq::test::tcp_flag::kSyn, 0))}), Side::wan,
              topo::kGatewayMac);
  }

  const Output& feed_super(const PacketSpec& s, std::uint16_t gso_size = kMss) {
    rx_ = {from_h1(s)};
    const net::Frame f{rx_[0], gso_size};
    return router_.process({&f, 1}, Side::lan, 0);
  }
};

TEST_F(SuperFrameTest, CrossesWholeTranslatedAndStaysMarked) {
  open_flow();
  const PacketSpec s = super(6);
  const Output& out = feed_super(s);
  ASSERT_EQ(out.frames(Side::wan).size(), 1u);
  EXPECT_EQ(out.frames(Side::wan)[0].gso_size, kMss);
  const Bytes whole = only_ipv4(out, Side::wan, topo::kGatewayMac);
  ASSERT_GT(whole.size(), std::size_t{topo::kWanMtu});
  expect_translated_out(whole, s);
  EXPECT_EQ(engine_.counters().in2out, 2u);
}

// RFC 1191 for each segment: too big for the WAN, so the sender hears the
// WAN MTU, as Linux tells a local TSO sender.
TEST_F(SuperFrameTest, SegmentsTooBigForTheEgressGetFragNeeded) {
  open_flow();
  const Bytes err = only_ipv4(feed_super(super(4, 1300), 1300), Side::lan, topo::kH1Mac);
  ASSERT_GE(err.size(), 28u);
  EXPECT_EQ(err[20], 3);
  EXPECT_EQ(err[21], 4);
  EXPECT_EQ(net::load_be16(err.data() + 26), topo::kWanMtu);
  EXPECT_EQ(drops(DropReason::frag_needed), 1u);
  EXPECT_EQ(engine_.counters().in2out, 1u);
}

TEST_F(SuperFrameTest, SegmentsTooBigWithoutDfAreDroppedAndCounted) {
  open_flow();
  PacketSpec s = super(4, 1300);
  s.dont_fragment = false;
  const Output& out = feed_super(s, 1300);
  EXPECT_TRUE(out.frames(Side::wan).empty());
  EXPECT_EQ(drops(DropReason::gso_exceeds_mtu), 1u);
}

TEST_F(SuperFrameTest, SegmentsTooBigForTheIngressAreDropped) {
  open_flow();
  feed_super(super(2, 1600), 1600);
  EXPECT_EQ(drops(DropReason::exceeds_ingress_mtu), 1u);
  EXPECT_EQ(to_engine(Side::lan), 1u);
}

TEST_F(SuperFrameTest, OnlyWholeTcpDatagramsCanBeSuperFrames) {
  meet_h1();
  PacketSpec fragment = super(3);
  fragment.dont_fragment = false;
  fragment.more_fragments = true;
  feed_super(udp(topo::kH1, topo::kRemote, 4000, 53, 3000));
  feed_super(fragment);
  EXPECT_EQ(drops(DropReason::gso_not_tcp), 2u);
  EXPECT_EQ(to_engine(Side::lan), 0u);
}

// A super-frame waits for ARP like any packet when a queue slot holds it,
// and is released still marked, after what was queued before it.
TEST_F(SuperFrameTest, WaitsForTheNextHopAndIsReleasedStillMarked) {
  meet_h1();
  feed(Side::lan, {from_h1(tcp(masq::test::tcp_flag::kSyn, 0))});
  const PacketSpec s = super(2, 600);
  EXPECT_TRUE(feed_super(s, 600).frames(Side::wan).empty());
  const ArpPacket reply{ArpOp::reply, topo::kGatewayMac, topo::kGateway, topo::kWanMac,
                        topo::kWanAddr};
  const Output& out = feed(Side::wan, {test::arp_frame(topo::kWanMac, topo::kGatewayMac, reply)});
  ASSERT_EQ(out.frames(Side::wan).size(), 2u);
  EXPECT_EQ(out.frames(Side::wan)[0].gso_size, 0u);
  EXPECT_EQ(out.frames(Side::wan)[1].gso_size, 600u);
  const auto frames = test::sent(out, Side::wan);
  EXPECT_EQ(test::checksum_report(frames[1].payload, masq::test::TransportSum::seed), "");
  expect_translated_out(frames[1].payload, s);
  EXPECT_EQ(router_.counters().arp_released, 2u);
}

// Here it does not fit a queue slot and is counted.
TEST_F(SuperFrameTest, ForAnUnresolvedHopIsDroppedNotQueued) {
  meet_h1();
  feed(Side::lan, {from_h1(tcp(masq::test::tcp_flag::kSyn, 0))});
  feed_super(super(3));
  EXPECT_EQ(drops(DropReason::arp_queue_too_large), 1u);
}

TEST_F(RouterTest, MartiansNeverReachTheEngine) {
  meet_h1();
  const auto a = net::Ipv4Addr::from_octets;
  feed(Side::lan, {from_h1(udp(a(127, 0, 0, 1), topo::kRemote, 1, 2)),
                   from_h1(udp(a(0, 0, 0, 0), topo::kRemote, 1, 2)),
                   from_h1(udp(a(192, 168, 1, 255), topo::kRemote, 1, 2)),
                   from_h1(udp(topo::kLanAddr, topo::kRemote, 1, 2)),
                   from_h1(udp(topo::kH1, a(127, 0, 0, 1), 1, 2)),
                   from_h1(udp(topo::kH1, a(255, 255, 255, 255), 1, 2)),
                   from_h1(udp(topo::kH1, a(192, 168, 1, 255), 1, 2)),
                   from_h1(udp(topo::kH1, a(224, 0, 0, 251), 1, 2))});
  feed(Side::wan, {from_gateway(udp(topo::kH2, topo::kWanAddr, 1, 2)),
                   from_gateway(udp(a(240, 0, 0, 1), topo::kWanAddr, 1, 2))});
  EXPECT_EQ(drops(DropReason::martian_source), 6u);
  EXPECT_EQ(drops(DropReason::martian_destination), 1u);
  EXPECT_EQ(drops(DropReason::broadcast_destination), 3u);
  EXPECT_EQ(to_engine(Side::lan) + to_engine(Side::wan), 0u);
}

TEST_F(RouterTest, RoundTripThroughTheEngine) {
  meet_h1();
  meet_gateway();
  const Bytes out = only_ipv4(feed(Side::lan, {from_h1(udp(topo::kH1, topo::kRemote, 4000, 53))}),
                              Side::wan, topo::kGatewayMac);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(src_of(out), topo::kWanAddr.value());
  const std::uint16_t ext_port = net::load_be16(out.data() + 20);

  const Bytes back =
      only_ipv4(feed(Side::wan, {from_gateway(udp(topo::kRemote, topo::kWanAddr, 53, ext_port))}),
                Side::lan, topo::kH1Mac);
  ASSERT_FALSE(back.empty());
  EXPECT_EQ(src_of(back), topo::kRemote.value());
  EXPECT_EQ(dst_of(back), topo::kH1.value());
  EXPECT_EQ(net::load_be16(back.data() + 22), 4000);
  EXPECT_EQ(back[8], 63);
  EXPECT_EQ(engine_.counters().in2out, 1u);
  EXPECT_EQ(engine_.counters().out2in, 1u);
}

TEST_F(RouterTest, UnsolicitedInboundIsTheEnginesToDrop) {
  // An unsolicited inbound TCP SYN to the masquerade address is dropped
  // silently by the engine (RFC 5382 REQ-4): nothing leaves the router.
  meet_gateway();
  PacketSpec syn = udp(topo::kRemote, topo::kWanAddr, 5555, 22);
  syn.kind = L4Kind::tcp;
  syn.tcp_flags = masq::test::tcp_flag::kSyn;
  const Output& out = feed(Side::wan, {from_gateway(syn)});
  EXPECT_TRUE(out.frames(Side::wan).empty());
  EXPECT_TRUE(out.frames(Side::lan).empty());
  EXPECT_EQ(to_engine(Side::wan), 1u);
}

// RFC 7126 §4.3.5, §4.4.5: source-routed packets are dropped by default,
// from either side and to the gateway itself.
TEST_F(RouterTest, SourceRoutedPacketsAreDropped) {
  meet_h1();
  meet_gateway();
  PacketSpec loose = udp(topo::kH1, topo::kRemote, 4000, 53);
  loose.ip_options = {131, 7, 4, 198, 51, 100, 9};
  PacketSpec strict = ping(topo::kH1, topo::kLanAddr);
  strict.ip_options = {137, 7, 4, 192, 168, 1, 1};
  const Output& out = feed(Side::lan, {from_h1(loose), from_h1(strict)});
  EXPECT_TRUE(out.frames(Side::wan).empty());
  EXPECT_TRUE(out.frames(Side::lan).empty());
  PacketSpec inbound = udp(topo::kRemote, topo::kWanAddr, 53, 4000);
  inbound.ip_options = {131, 7, 4, 192, 168, 1, 10};
  feed(Side::wan, {from_gateway(inbound)});
  EXPECT_EQ(drops(DropReason::source_route), 3u);
  EXPECT_EQ(to_engine(Side::lan) + to_engine(Side::wan), 0u);
}

// No inside address leaves in an option: Record Route and Timestamp of a
// LAN packet cross as NOPs, the rest of the packet translated as usual.
TEST_F(RouterTest, RecordingOptionsLeaveTheLanAsNops) {
  meet_h1();
  meet_gateway();
  PacketSpec sent = udp(topo::kH1, topo::kRemote, 4000, 53);
  const std::vector<std::uint8_t> record_route{7, 7, 8, 192, 168, 1, 1};
  const std::vector<std::uint8_t> timestamp{68, 12, 13, 0x01, 192, 168, 1, 1, 0, 0, 0, 1};
  sent.ip_options = record_route;
  sent.ip_options.insert(sent.ip_options.end(), timestamp.begin(), timestamp.end());
  const Bytes out = only_ipv4(feed(Side::lan, {from_h1(sent)}), Side::wan, topo::kGatewayMac);
  PacketSpec cleaned = sent;
  cleaned.ip_options.assign(sent.ip_options.size(), 1);
  expect_translated_out(out, cleaned);
  EXPECT_EQ(router_.counters().options_neutralised, 2u);
  // From the WAN they are the remote's business and cross untouched.
  const std::uint16_t ext_port = net::load_be16(out.data() + 20 + 20);
  PacketSpec reply = udp(topo::kRemote, topo::kWanAddr, 53, ext_port);
  reply.ip_options = record_route;
  const Bytes back = only_ipv4(feed(Side::wan, {from_gateway(reply)}), Side::lan, topo::kH1Mac);
  EXPECT_EQ(back, masq::test::build_packet(translated_in(reply, topo::kH1, 4000)));
  EXPECT_EQ(router_.counters().options_neutralised, 2u);
}

// An error from a LAN host about a datagram with a Timestamp option. The
// host wrote its own address and time into the option on receipt and
// quotes it so, its header checksum not recomputed (Linux, local
// delivery). The option leaves as NOPs; the quote's checksum, stale as it
// came, is neither checked (docs/behaviour.md, 5508-3) nor made worse.
TEST_F(RouterTest, ErrorQuotingARewrittenTimestampLeavesWithoutTheInsideAddress) {
  meet_h1();
  meet_gateway();
  const Bytes out = only_ipv4(feed(Side::lan, {from_h1(udp(topo::kH1, topo::kRemote, 4000, 53))}),
                              Side::wan, topo::kGatewayMac);
  const std::uint16_t ext_port = net::load_be16(out.data() + 20);
  // Timestamp with addresses (flag 1), room for one entry, none filled.
  PacketSpec inbound = udp(topo::kRemote, topo::kWanAddr, 53, ext_port);
  inbound.ip_options = {68, 12, 5, 0x01, 0, 0, 0, 0, 0, 0, 0, 0};
  const Bytes delivered =
      only_ipv4(feed(Side::wan, {from_gateway(inbound)}), Side::lan, topo::kH1Mac);
  ASSERT_EQ(delivered, masq::test::build_packet(translated_in(inbound, topo::kH1, 4000)));

  Bytes quote = delivered;
  constexpr std::size_t kOption = 20;
  quote[kOption + 2] = 13;  // pointer past the entry
  net::store_be32(quote.data() + kOption + 4, topo::kH1.value());
  net::store_be32(quote.data() + kOption + 8, 0x01020304);
  masq::test::OnesSum stale;
  stale.add(std::span(quote).first(32));
  ASSERT_FALSE(stale.verifies());
  PacketSpec error;
  error.src = topo::kH1;
  error.dst = topo::kRemote;
  error.kind = L4Kind::icmp;
  error.icmp_type = 3;
  error.icmp_code = 3;
  error.inner.push_back({});
  error.inner[0].raw = quote;

  const auto frames = test::sent(feed(Side::lan, {from_h1(error)}), Side::wan);
  ASSERT_EQ(frames.size(), 1u);
  const Bytes& got = frames[0].payload;
  EXPECT_EQ(router_.counters().options_neutralised, 1u);
  EXPECT_EQ(engine_.counters().icmp_errors_translated, 1u);
  // Every checksum right but the quote's, which is off by what it was.
  const auto problems = masq::test::checksum_problems(got);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("inner.ip"), std::string::npos) << problems[0];
  masq::test::OnesSum still_stale;
  still_stale.add(std::span(got).subspan(28, 32));
  EXPECT_EQ(still_stale.folded(), stale.folded());
  // The quote is the datagram as the remote sent it, the option NOPs, TTL
  // as the host saw it.
  PacketSpec as_sent = inbound;
  as_sent.ttl = static_cast<std::uint8_t>(inbound.ttl - 1);
  as_sent.ip_options.assign(inbound.ip_options.size(), 1);
  Bytes expected_quote = masq::test::build_packet(as_sent);
  std::copy_n(got.begin() + 28 + 10, 2, expected_quote.begin() + 10);
  EXPECT_TRUE(std::equal(expected_quote.begin(), expected_quote.end(), got.begin() + 28));
  EXPECT_EQ(src_of(got), topo::kWanAddr.value());
}

class QuotaTest : public RouterTest {
 protected:
  static nat::EngineConfig one_session_each() {
    nat::EngineConfig e = test::engine_config();
    e.sessions_per_subscriber = 1;
    return e;
  }
  static RouterConfig limited() {
    RouterConfig c = test::router_config();
    c.icmp_rate_limit = {
        .rate_per_s = 1000, .burst = 50, .per_host_rate_per_s = 5, .per_host_burst = 10};
    return c;
  }
  QuotaTest() : RouterTest(limited(), one_session_each()) {}
};

// A host over its session quota, trying new flows for 10 s, draws ICMP
// 3/13 (RFC 5508 REQ-8) within its bucket only: burst + rate * t.
TEST_F(QuotaTest, FloodOverQuotaIsAnsweredWithinTheRateLimit) {
  meet_h1();
  meet_gateway();
  feed(Side::lan, {from_h1(udp(topo::kH1, topo::kRemote, 4000, 53))});
  ASSERT_EQ(engine_.session_count(), 1u);
  std::uint64_t errors = 0;
  std::uint64_t refused = 0;
  std::uint16_t port = 5000;
  for (std::uint64_t ms = 1; ms < 10'000; ms += 5) {
    std::vector<Bytes> frames;
    for (int i = 0; i < 4; ++i)
      frames.push_back(from_h1(udp(topo::kH1, topo::kRemote, port++, 53)));
    refused += frames.size();
    const Output& out = feed(Side::lan, std::move(frames), ms * 1'000'000);
    for (const SentFrame& f : test::sent(out, Side::lan)) {
      EXPECT_EQ(test::checksum_report(f.payload), "");
      EXPECT_EQ(f.payload[20], 3);
      EXPECT_EQ(f.payload[21], 13);
      ++errors;
    }
  }
  const IcmpRateLimit& limit = limited().icmp_rate_limit;
  EXPECT_LE(errors, limit.per_host_burst + 10 * limit.per_host_rate_per_s);
  EXPECT_GE(errors, limit.per_host_burst + 9 * limit.per_host_rate_per_s);
  EXPECT_EQ(router_.counters().icmp_errors_rate_limited, refused - errors);
  EXPECT_EQ(engine_.counters().drop(nat::DropReason::subscriber_sessions), refused);
}

class SmallLanTest : public RouterTest {
 protected:
  static RouterConfig small_lan() {
    RouterConfig c = test::router_config();
    c.lan.mtu = 1000;
    c.wan.mtu = 1500;
    return c;
  }
  SmallLanTest() : RouterTest(small_lan()) {}
};

// From the WAN, a DF packet too big for the LAN draws frag-needed only
// when the engine would forward it, quoting it as it arrived; an
// unsolicited one draws nothing.
TEST_F(SmallLanTest, FragNeededFromTheWanOnlyForForwardedPackets) {
  meet_h1();
  meet_gateway();
  PacketSpec big = udp(topo::kRemote, topo::kWanAddr, 53, 40000, 1200);
  big.dont_fragment = true;
  const Output& ignored = feed(Side::wan, {from_gateway(big)});
  EXPECT_TRUE(ignored.frames(Side::wan).empty());
  EXPECT_TRUE(ignored.frames(Side::lan).empty());
  EXPECT_EQ(drops(DropReason::frag_needed), 0u);
  EXPECT_EQ(engine_.counters().drop(nat::DropReason::no_session), 1u);

  const Bytes out = only_ipv4(feed(Side::lan, {from_h1(udp(topo::kH1, topo::kRemote, 4000, 53))}),
                              Side::wan, topo::kGatewayMac);
  big.dst_port = net::load_be16(out.data() + 20);
  const Bytes original = masq::test::build_packet(big);
  const Bytes err = only_ipv4(feed(Side::wan, {from_gateway(big)}), Side::wan, topo::kGatewayMac);
  ASSERT_GE(err.size(), 28u + 28u);
  EXPECT_EQ(src_of(err), topo::kWanAddr.value());
  EXPECT_EQ(dst_of(err), topo::kRemote.value());
  EXPECT_EQ(err[20], 3);
  EXPECT_EQ(err[21], 4);
  EXPECT_EQ(net::load_be16(err.data() + 26), 1000);
  EXPECT_TRUE(std::equal(err.begin() + 28, err.end(), original.begin()));
  EXPECT_EQ(drops(DropReason::frag_needed), 1u);
}

class SourceRouteAllowedTest : public RouterTest {
 protected:
  static RouterConfig allowing() {
    RouterConfig c = test::router_config();
    c.allow_source_route = true;
    return c;
  }
  SourceRouteAllowedTest() : RouterTest(allowing()) {}
};

TEST_F(SourceRouteAllowedTest, SourceRoutedPacketsReachTheEngine) {
  meet_h1();
  meet_gateway();
  PacketSpec loose = udp(topo::kH1, topo::kRemote, 4000, 53);
  loose.ip_options = {131, 7, 4, 198, 51, 100, 9};
  const Bytes out = only_ipv4(feed(Side::lan, {from_h1(loose)}), Side::wan, topo::kGatewayMac);
  expect_translated_out(out, loose);
  EXPECT_EQ(drops(DropReason::source_route), 0u);
}

TEST_F(RouterTest, FiltersFramesAtTheLinkLayer) {
  const Bytes ipv4 = masq::test::build_packet(udp(topo::kH1, topo::kRemote, 1, 2));
  Bytes truncated(10, 0);
  feed(Side::lan, {test::ethernet_frame(topo::kH2Mac, topo::kH1Mac, kEtherTypeIpv4, ipv4),
                   test::ethernet_frame(MacAddr::broadcast(), topo::kH1Mac, kEtherTypeIpv4, ipv4),
                   test::ethernet_frame(topo::kLanMac, topo::kH1Mac, 0x86DD, ipv4), truncated});
  EXPECT_EQ(drops(DropReason::not_our_mac), 1u);
  EXPECT_EQ(drops(DropReason::link_broadcast_ipv4), 1u);
  EXPECT_EQ(drops(DropReason::unsupported_ethertype), 1u);
  EXPECT_EQ(drops(DropReason::frame_truncated), 1u);
  EXPECT_EQ(router_.counters().rx_frames[RouterCounters::side_index(Side::lan)], 4u);
  Bytes broken = test::ethernet_frame(topo::kLanMac, topo::kH1Mac, kEtherTypeIpv4, ipv4);
  broken[kEthernetHeader] = 0x65;  // version 6
  feed(Side::lan, {broken});
  EXPECT_EQ(drops(DropReason::bad_version), 1u);
  EXPECT_EQ(to_engine(Side::lan), 0u);
}

// Each refusal of the parser is its own counter, under the parser's name.
TEST_F(RouterTest, CountsAMalformedPacketUnderTheParsersReason) {
  const Bytes ipv4 = masq::test::build_packet(udp(topo::kH1, topo::kRemote, 1, 2));
  const auto frame = [](const Bytes& ip) {
    return test::ethernet_frame(topo::kLanMac, topo::kH1Mac, kEtherTypeIpv4, ip);
  };
  Bytes bad_ihl = ipv4;
  bad_ihl[0] = 0x44;
  Bytes bad_checksum = ipv4;
  bad_checksum[10] ^= 0xFF;
  Bytes too_long = ipv4;
  too_long[2] = 0x7F;  // total length far past the bytes
  const Bytes truncated(ipv4.begin(), ipv4.begin() + 12);
  Bytes bad_udp_length = ipv4;
  bad_udp_length[net::kIpv4MinHeader + 4] = 0x7F;  // UDP length far past the datagram
  feed(Side::lan, {frame(bad_ihl), frame(bad_checksum), frame(too_long), frame(truncated),
                   frame(bad_udp_length)});
  EXPECT_EQ(drops(DropReason::bad_ihl), 1u);
  EXPECT_EQ(drops(DropReason::bad_ip_checksum), 1u);
  EXPECT_EQ(drops(DropReason::bad_total_length), 1u);
  EXPECT_EQ(drops(DropReason::truncated), 1u);
  EXPECT_EQ(drops(DropReason::bad_udp_length), 1u);
  EXPECT_EQ(router_.counters().total_drops(), 5u);
  EXPECT_EQ(to_engine(Side::lan), 0u);
}

TEST_F(RouterTest, FramesBeyondTheBatchBoundAreCounted) {
  std::vector<Bytes> frames(test::router_config().max_batch + 3,
                            arp_request(topo::kH1Mac, topo::kH1, topo::kLanAddr));
  const Output& out = feed(Side::lan, std::move(frames));
  EXPECT_EQ(out.frames(Side::lan).size(), test::router_config().max_batch);
  EXPECT_EQ(drops(DropReason::batch_too_large), 3u);
}

class ManyExternalsTest : public RouterTest {
 protected:
  static RouterConfig many() {
    RouterConfig c = test::router_config();
    // Ten more external addresses on the WAN link, one outside it, and
    // transmit buffers for four frames per call.
    c.externals.push_back({net::Ipv4Addr::from_octets(203, 0, 113, 100),
                           net::Ipv4Addr::from_octets(203, 0, 113, 109)});
    c.externals.push_back(
        {net::Ipv4Addr::from_octets(100, 64, 0, 1), net::Ipv4Addr::from_octets(100, 64, 0, 1)});
    c.tx_buffers = 4;
    return c;
  }
  ManyExternalsTest() : RouterTest(many()) {}
};

TEST_F(ManyExternalsTest, AnnouncementsSpreadOverTicks) {
  std::vector<net::Ipv4Addr> announced;
  const auto collect = [&](const Output& out) {
    for (const SentFrame& f : test::sent(out, Side::wan)) {
      const auto arp = decode_arp(f.payload);
      ASSERT_TRUE(arp.has_value());
      EXPECT_EQ(arp->sender_ip, arp->target_ip);
      announced.push_back(arp->sender_ip);
    }
    EXPECT_LE(out.frames(Side::lan).size() + out.frames(Side::wan).size(), 4u);
  };
  collect(router_.start());
  for (int i = 1; i <= 5; ++i)
    collect(router_.tick(static_cast<std::uint64_t>(i) * topo::kSecond / 10));
  std::vector<net::Ipv4Addr> expected = {topo::kWanAddr, topo::kStaticExt};
  for (std::uint8_t h = 100; h <= 109; ++h)
    expected.push_back(net::Ipv4Addr::from_octets(203, 0, 113, h));
  std::sort(announced.begin(), announced.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(announced, expected);
}

class NoGatewayTest : public RouterTest {
 protected:
  static RouterConfig without_gateway() {
    RouterConfig c = test::router_config();
    c.wan_gateway.reset();
    return c;
  }
  NoGatewayTest() : RouterTest(without_gateway()) {}
};

TEST_F(NoGatewayTest, OffLinkDestinationGetsNetUnreachable) {
  meet_h1();
  const PacketSpec s = udp(topo::kH1, topo::kRemote, 4000, 53);
  const Bytes original = masq::test::build_packet(s);
  const Bytes err = only_ipv4(feed(Side::lan, {from_h1(s)}), Side::lan, topo::kH1Mac);
  ASSERT_EQ(err.size(), 28 + original.size());
  EXPECT_EQ(err[20], 3);
  EXPECT_EQ(err[21], 0);
  EXPECT_TRUE(std::equal(original.begin(), original.end(), err.begin() + 28));
  EXPECT_EQ(drops(DropReason::no_route), 1u);
  EXPECT_EQ(to_engine(Side::lan), 0u);
  // On-link WAN destinations still work.
  feed(Side::lan, {from_h1(udp(topo::kH1, topo::kNeighbour, 4000, 53))});
  EXPECT_EQ(to_engine(Side::lan), 1u);
}

class SourceGuardTest : public RouterTest {
 protected:
  static RouterConfig guarded() {
    RouterConfig c = test::router_config();
    c.source_guard = true;
    return c;
  }
  SourceGuardTest() : RouterTest(guarded()) {}
};

TEST_F(SourceGuardTest, AdmitsOnlySourcesArpBoundToTheirMac) {
  meet_gateway();
  const PacketSpec s = udp(topo::kH1, topo::kRemote, 4000, 53);
  // H1 has not asked for us yet: its address is bound to nothing.
  feed(Side::lan, {from_h1(s)});
  EXPECT_EQ(drops(DropReason::source_guard), 1u);
  EXPECT_EQ(to_engine(Side::lan), 0u);
  meet_h1();
  // H2's MAC with H1's address: another station's binding.
  feed(Side::lan, {test::ipv4_frame(topo::kLanMac, topo::kH2Mac, s)});
  EXPECT_EQ(drops(DropReason::source_guard), 2u);
  const Bytes out = only_ipv4(feed(Side::lan, {from_h1(s)}), Side::wan, topo::kGatewayMac);
  expect_translated_out(out, s);
  EXPECT_EQ(drops(DropReason::source_guard), 2u);
  EXPECT_EQ(engine_.subscriber_count(), 1u);
}

TEST_F(RouterTest, WithoutTheSourceGuardAnyLanSourceReachesTheEngine) {
  meet_gateway();
  feed(Side::lan, {from_h1(udp(topo::kH1, topo::kRemote, 4000, 53))});
  EXPECT_EQ(drops(DropReason::source_guard), 0u);
  EXPECT_EQ(to_engine(Side::lan), 1u);
}

// Two workers' routers: what arrives at the wrong one is handed, untouched,
// to the one that owns it, which takes it as if it had arrived there.
TEST(RouterWorkers, PacketsOfAnotherWorkerAreHandedToIt) {
  std::vector<std::unique_ptr<nat::Engine>> engines;
  std::vector<std::unique_ptr<Router>> routers;
  for (std::uint32_t k = 0; k < 2; ++k) {
    nat::EngineConfig cfg = test::engine_config();
    cfg.worker = {k, 2};
    engines.push_back(std::make_unique<nat::Engine>(cfg));
    routers.push_back(std::make_unique<Router>(test::router_config(), *engines.back()));
    routers.back()->learn(Side::wan, topo::kGateway, topo::kGatewayMac, 0);
    routers.back()->learn(Side::lan, topo::kH1, topo::kH1Mac, 0);
  }
  const std::uint32_t mine = nat::address_owner(topo::kH1, 2);
  Router& owner = *routers[mine];
  Router& other = *routers[1 - mine];

  const PacketSpec out = udp(topo::kH1, topo::kRemote, 4000, 53);
  Bytes frame = test::ipv4_frame(topo::kLanMac, topo::kH1Mac, out);
  net::Frame view{frame};
  const Output& handed = other.process({&view, 1}, Side::lan, 0);
  ASSERT_EQ(handed.hand_offs().size(), 1u);
  EXPECT_TRUE(test::sent(handed, Side::wan).empty());
  EXPECT_EQ(handed.hand_offs()[0].worker, mine);
  EXPECT_EQ(Bytes(handed.hand_offs()[0].packet.begin(), handed.hand_offs()[0].packet.end()),
            masq::test::build_packet(out));
  // With room for the Ethernet header in front, as the hand-off ring keeps.
  Bytes ip(kEthernetHeader, 0);
  ip.insert(ip.end(), handed.hand_offs()[0].packet.begin(), handed.hand_offs()[0].packet.end());
  net::Frame ip_view{std::span(ip).subspan(kEthernetHeader)};
  const auto sent = test::sent(owner.process_handed({&ip_view, 1}, Side::lan, 0), Side::wan);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(test::checksum_report(sent[0].payload), "");
  const std::uint16_t port = net::load_be16(sent[0].payload.data() + 20);
  EXPECT_EQ(nat::port_owner(net::Proto::udp, port, 2), mine) << "a port of the owner's slice";

  // The reply, arriving at the other worker, goes the same way.
  Bytes reply = test::ipv4_frame(topo::kWanMac, topo::kGatewayMac,
                                 udp(topo::kRemote, topo::kWanAddr, 53, port));
  net::Frame reply_view{reply};
  const Output& back = other.process({&reply_view, 1}, Side::wan, 0);
  ASSERT_EQ(back.hand_offs().size(), 1u);
  EXPECT_EQ(back.hand_offs()[0].worker, mine);
  Bytes reply_ip(kEthernetHeader, 0);
  reply_ip.insert(reply_ip.end(), back.hand_offs()[0].packet.begin(),
                  back.hand_offs()[0].packet.end());
  net::Frame reply_ip_view{std::span(reply_ip).subspan(kEthernetHeader)};
  EXPECT_EQ(test::sent(owner.process_handed({&reply_ip_view, 1}, Side::wan, 0), Side::lan).size(),
            1u);
  EXPECT_EQ(other.counters().handed_off[RouterCounters::side_index(Side::wan)], 1u);
  EXPECT_EQ(owner.counters().handed_in[RouterCounters::side_index(Side::wan)], 1u);
}

}  // namespace
}  // namespace masq::router
