// The slow path through the engine: first packets of flows as policy,
// binder and session table settle them (new_flow.cpp).
#include <gtest/gtest.h>

#include <vector>

#include "engine_harness.hpp"
#include "masq/net/byte_order.hpp"
#include "support/checksum_oracle.hpp"

namespace masq::nat {
namespace {

using harness::kSecond;
using harness::run;
using harness::udp;
using net::Ipv4Addr;

const Ipv4Addr kPublic = Ipv4Addr::from_octets(203, 0, 113, 1);
const Ipv4Addr kStatic = Ipv4Addr::from_octets(203, 0, 113, 5);
const Ipv4Addr kHostA = Ipv4Addr::from_octets(10, 0, 0, 2);
const Ipv4Addr kHostB = Ipv4Addr::from_octets(10, 0, 0, 3);
const Ipv4Addr kServer = Ipv4Addr::from_octets(10, 0, 0, 80);
const Ipv4Addr kStaticHost = Ipv4Addr::from_octets(10, 0, 0, 5);
const Ipv4Addr kRemote = Ipv4Addr::from_octets(198, 51, 100, 7);

EngineConfig config() {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("10.0.0.0/16")};
  cfg.pool = {{kPublic, kPublic}};
  cfg.static_nat = {{kStaticHost, kStatic}};
  cfg.forwards = {{net::Proto::tcp, kPublic, {8080, 8080}, kServer, 80}};
  cfg.max_sessions = 64;
  cfg.timeouts.udp_s = 100;
  cfg.seed = 5;
  return cfg;
}

std::vector<std::uint8_t> tcp(Ipv4Addr src, std::uint16_t sport, Ipv4Addr dst, std::uint16_t dport,
                              std::uint8_t flags) {
  test::PacketSpec s = harness::flow(test::L4Kind::tcp, src, sport, dst, dport);
  s.tcp_flags = flags;
  return test::build_packet(s);
}

std::uint32_t src_addr(const std::vector<std::uint8_t>& p) {
  return net::load_be32(p.data() + 12);
}
std::uint32_t dst_addr(const std::vector<std::uint8_t>& p) {
  return net::load_be32(p.data() + 16);
}
std::uint16_t src_port(const std::vector<std::uint8_t>& p) {
  return net::load_be16(p.data() + 20);
}
std::uint16_t dst_port(const std::vector<std::uint8_t>& p) {
  return net::load_be16(p.data() + 22);
}
std::vector<std::string> none() {
  return {};
}

TEST(NewFlow, FirstPacketOpensASessionAndItsMapping) {
  Engine engine(config());
  auto out = udp(kHostA, 4000, kRemote, 53);
  ASSERT_EQ(run(engine, out, Side::lan, kSecond), Verdict::forward(Action::forward_wan));
  EXPECT_EQ(src_addr(out), kPublic.value());
  EXPECT_EQ(src_port(out), 4000);
  EXPECT_EQ(test::checksum_problems(out), none());
  EXPECT_EQ(engine.counters().sessions_created, 1u);
  EXPECT_EQ(engine.counters().mappings_created, 1u);
  // A second remote joins the same mapping (RFC 4787 REQ-1).
  auto other = udp(kHostA, 4000, Ipv4Addr::from_octets(198, 51, 100, 8), 53);
  ASSERT_EQ(run(engine, other, Side::lan, kSecond).action, Action::forward_wan);
  EXPECT_EQ(src_port(other), 4000);
  EXPECT_EQ(engine.counters().sessions_created, 2u);
  EXPECT_EQ(engine.counters().mappings_created, 1u);
}

TEST(NewFlow, ExpiredSessionIsFreedAndMadeAfresh) {
  Engine engine(config());
  auto first = udp(kHostA, 4000, kRemote, 53);
  run(engine, first, Side::lan, kSecond);
  auto late = udp(kHostA, 4000, kRemote, 53);
  ASSERT_EQ(run(engine, late, Side::lan, 500 * kSecond).action, Action::forward_wan);
  EXPECT_EQ(engine.counters().sessions_expired, 1u);
  EXPECT_EQ(engine.counters().sessions_created, 2u);
  EXPECT_EQ(engine.session_count(), 1u);
  // And the same from the WAN: the reply to an expired session is no one's.
  auto reply = udp(kRemote, 53, kPublic, 4000);
  EXPECT_EQ(run(engine, reply, Side::wan, 1000 * kSecond),
            Verdict::dropped(DropReason::no_session));
  EXPECT_EQ(engine.session_count(), 0u);
}

TEST(NewFlow, FullTableReclaimsExpiredThenRefuses) {
  EngineConfig cfg = config();
  cfg.max_sessions = 4;
  cfg.expiry_scan_per_batch = 1;  // the sweep lags: reclaiming frees
  Engine engine(cfg);
  for (std::uint16_t p = 0; p < 4; ++p) {
    auto pkt = udp(kHostA, static_cast<std::uint16_t>(5000 + p), kRemote, 53);
    ASSERT_EQ(run(engine, pkt, Side::lan, kSecond).action, Action::forward_wan);
  }
  auto reclaimed = udp(kHostB, 6000, kRemote, 53);
  ASSERT_EQ(run(engine, reclaimed, Side::lan, 200 * kSecond).action, Action::forward_wan);
  EXPECT_EQ(engine.counters().sessions_expired, 4u);
  for (std::uint16_t p = 1; p < 4; ++p) {
    auto pkt = udp(kHostB, static_cast<std::uint16_t>(6000 + p), kRemote, 53);
    ASSERT_EQ(run(engine, pkt, Side::lan, 200 * kSecond).action, Action::forward_wan);
  }
  // Every session live: refused with ICMP 3/13 (RFC 6888 REQ-11), untouched.
  auto refused = udp(kHostB, 7000, kRemote, 53);
  const auto before = refused;
  EXPECT_EQ(run(engine, refused, Side::lan, 200 * kSecond),
            Verdict::icmp(DropReason::table_full, net::icmp::kDestUnreachable,
                          net::icmp::kCodeAdminProhibited));
  EXPECT_EQ(refused, before);
}

TEST(NewFlow, ForwardOpensOnSynOnly) {
  Engine engine(config());
  using test::tcp_flag::kAck;
  using test::tcp_flag::kSyn;
  auto ack = tcp(kRemote, 40000, kPublic, 8080, kAck);
  EXPECT_EQ(run(engine, ack, Side::wan, kSecond), Verdict::dropped(DropReason::no_session));
  auto syn = tcp(kRemote, 40000, kPublic, 8080, kSyn);
  ASSERT_EQ(run(engine, syn, Side::wan, kSecond), Verdict::forward(Action::forward_lan));
  EXPECT_EQ(dst_addr(syn), kServer.value());
  EXPECT_EQ(dst_port(syn), 80);
  EXPECT_EQ(test::checksum_problems(syn), none());
  // The server's answer leaves from the forward's endpoint.
  auto answer = tcp(kServer, 80, kRemote, 40000, kSyn | kAck);
  ASSERT_EQ(run(engine, answer, Side::lan, kSecond).action, Action::forward_wan);
  EXPECT_EQ(src_addr(answer), kPublic.value());
  EXPECT_EQ(src_port(answer), 8080);
}

TEST(NewFlow, StaticNatKeepsNoState) {
  Engine engine(config());
  auto out = udp(kStaticHost, 4000, kRemote, 53);
  ASSERT_EQ(run(engine, out, Side::lan, kSecond).action, Action::forward_wan);
  EXPECT_EQ(src_addr(out), kStatic.value());
  EXPECT_EQ(src_port(out), 4000);
  auto in = udp(kRemote, 53, kStatic, 9999);
  ASSERT_EQ(run(engine, in, Side::wan, kSecond).action, Action::forward_lan);
  EXPECT_EQ(dst_addr(in), kStaticHost.value());
  EXPECT_EQ(test::checksum_problems(in), none());
  EXPECT_EQ(engine.session_count(), 0u);
}

TEST(NewFlow, InsideToInsideIsRoutedUntranslated) {
  Engine engine(config());
  auto pkt = udp(kHostA, 4000, kHostB, 53);
  auto expected = pkt;
  expected[8] = 63;  // TTL
  ASSERT_EQ(run(engine, pkt, Side::lan, kSecond), Verdict::forward(Action::hairpin));
  EXPECT_EQ(test::checksum_problems(pkt), none());
  pkt[10] = expected[10];  // the header checksum, verified above
  pkt[11] = expected[11];
  EXPECT_EQ(pkt, expected);
  EXPECT_EQ(engine.counters().untranslated, 1u);
}

TEST(NewFlow, HairpinBetweenTwoMappings) {
  Engine engine(config());
  auto a = udp(kHostA, 4000, kRemote, 53);
  ASSERT_EQ(run(engine, a, Side::lan, kSecond).action, Action::forward_wan);
  // A's mapping filters endpoint-independently (the UDP default): B's
  // first packet to A's external endpoint hairpins at once, and A sees
  // B's external endpoint (RFC 4787 REQ-9a).
  auto b = udp(kHostB, 5000, kPublic, 4000);
  ASSERT_EQ(run(engine, b, Side::lan, kSecond), Verdict::forward(Action::hairpin));
  EXPECT_EQ(src_addr(b), kPublic.value());
  EXPECT_EQ(src_port(b), 5000);
  EXPECT_EQ(dst_addr(b), kHostA.value());
  EXPECT_EQ(dst_port(b), 4000);
  EXPECT_EQ(test::checksum_problems(b), none());
  EXPECT_EQ(engine.counters().hairpinned, 1u);
}

TEST(NewFlow, HairpinUnderApdfPunchesFirst) {
  EngineConfig cfg = config();
  cfg.behaviour.udp.filtering = Dependence::address_and_port;
  Engine engine(cfg);
  auto a = udp(kHostA, 4000, kRemote, 53);
  ASSERT_EQ(run(engine, a, Side::lan, kSecond).action, Action::forward_wan);
  // B's first packet to A's external endpoint only opens B's own filter:
  // dropped, untouched.
  auto punch = udp(kHostB, 5000, kPublic, 4000);
  const auto before = punch;
  EXPECT_EQ(run(engine, punch, Side::lan, kSecond), Verdict::dropped(DropReason::no_session));
  EXPECT_EQ(punch, before);
  // A's packet to B's external endpoint now hairpins.
  auto b = udp(kHostA, 4000, kPublic, 5000);
  ASSERT_EQ(run(engine, b, Side::lan, kSecond), Verdict::forward(Action::hairpin));
  EXPECT_EQ(src_addr(b), kPublic.value());
  EXPECT_EQ(src_port(b), 4000);
  EXPECT_EQ(dst_addr(b), kHostB.value());
  EXPECT_EQ(dst_port(b), 5000);
  EXPECT_EQ(test::checksum_problems(b), none());
  EXPECT_EQ(engine.counters().hairpinned, 1u);
}

TEST(NewFlow, PortParityKeepsTheParityOfEveryChosenPort) {
  // RFC 4787 REQ-4 as a setting: the ports 5000 (even) and 5001 (odd) of
  // many hosts, all but the first host's chosen, keep their parity; so
  // do the ports the prefetch waves guessed for a whole batch.
  for (const bool parity : {false, true}) {
    EngineConfig cfg = config();
    cfg.port_parity = parity;
    Engine engine(cfg);
    std::vector<std::vector<std::uint8_t>> pkts;
    for (std::uint32_t host = 0; host < 30; ++host) {
      for (const std::uint16_t port : {std::uint16_t{5000}, std::uint16_t{5001}}) {
        pkts.push_back(udp(Ipv4Addr(kHostA.value() + 100 + host), port, kRemote, 53));
      }
    }
    std::vector<PacketRef> refs;
    for (auto& p : pkts) refs.push_back(parse_packet(p));
    std::vector<Verdict> v(refs.size());
    engine.process(refs, Side::lan, kSecond, v);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < pkts.size(); ++i) {
      ASSERT_EQ(v[i].action, Action::forward_wan);
      EXPECT_EQ(test::checksum_problems(pkts[i]), none());
      kept += src_port(pkts[i]) % 2 == i % 2;
    }
    if (parity) {
      EXPECT_EQ(kept, pkts.size());
    } else {
      EXPECT_LT(kept, pkts.size());
    }
  }
}

TEST(NewFlow, ABatchTranslatesAsItsPacketsOneByOne) {
  // The prefetch waves guess ports ahead for a whole chunk; the guesses
  // are hints only, so the choices are those of one packet at a time.
  const auto flows = [] {
    std::vector<std::vector<std::uint8_t>> pkts;
    for (std::uint8_t h = 0; h < 40; ++h) {
      pkts.push_back(udp(Ipv4Addr::from_octets(10, 0, 1, h), 4000, kRemote, 53));
    }
    return pkts;
  };
  Engine batched(config());
  auto together = flows();
  std::vector<PacketRef> refs;
  for (auto& p : together) refs.push_back(parse_packet(p));
  std::vector<Verdict> verdicts(refs.size());
  batched.process(refs, Side::lan, kSecond, verdicts);
  Engine single(config());
  auto alone = flows();
  for (std::size_t i = 0; i < alone.size(); ++i) {
    EXPECT_EQ(run(single, alone[i], Side::lan, kSecond), verdicts[i]) << i;
    EXPECT_EQ(alone[i], together[i]) << i;
    EXPECT_EQ(test::checksum_problems(together[i]), none()) << i;
  }
  EXPECT_EQ(batched.session_count(), 40u);
}

}  // namespace
}  // namespace masq::nat
