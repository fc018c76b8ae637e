// Explicit mappings (PCP MAP/PEER, NAT-PMP) in the engine: real mappings
// that admit inbound traffic whatever the filtering, count against quotas,
// never take an endpoint someone else holds, and end when told or when
// their lifetime runs out (explicit_mapping.cpp, explicit_mappings.cpp).
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
const Ipv4Addr kOther = Ipv4Addr::from_octets(198, 51, 100, 8);
constexpr std::uint64_t kNow = 10 * kSecond;

EngineConfig config() {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("10.0.0.0/16")};
  cfg.pool = {{kPublic, kPublic}};
  cfg.static_nat = {{kStaticHost, kStatic}};
  cfg.forwards = {{net::Proto::udp, kPublic, {8080, 8089}, kServer, 80}};
  // The strictest filtering: only an explicit mapping lets a stranger in.
  cfg.behaviour.udp = {Dependence::independent, Dependence::address_and_port};
  cfg.max_sessions = 64;
  cfg.timeouts.udp_s = 100;
  cfg.seed = 5;
  return cfg;
}

ExplicitRequest map_udp(Ipv4Addr host, std::uint16_t port, std::uint16_t suggested = 0) {
  ExplicitRequest r;
  r.proto = net::Proto::udp;
  r.internal = {host, port};
  r.suggested = {{}, suggested};
  r.lifetime_s = 60;
  return r;
}

std::uint32_t dst_addr(const std::vector<std::uint8_t>& p) {
  return net::load_be32(p.data() + 16);
}
std::uint32_t src_addr(const std::vector<std::uint8_t>& p) {
  return net::load_be32(p.data() + 12);
}
std::uint16_t src_port(const std::vector<std::uint8_t>& p) {
  return net::load_be16(p.data() + 20);
}
std::uint16_t dst_port(const std::vector<std::uint8_t>& p) {
  return net::load_be16(p.data() + 22);
}

// A datagram from `from` to the external endpoint, and where it went.
Verdict inbound(Engine& e, Ipv4Addr from, std::uint16_t from_port, std::uint16_t ext_port,
                std::vector<std::uint8_t>* out = nullptr, std::uint64_t now = kNow) {
  auto pkt = udp(from, from_port, kPublic, ext_port);
  const Verdict v = run(e, pkt, Side::wan, now);
  if (out != nullptr) *out = pkt;
  return v;
}

TEST(ExplicitMapping, SuggestedPortIsHonouredAndAdmitsAnyRemoteDespiteApdf) {
  Engine engine(config());
  const ExplicitResult r = engine.map_explicit(map_udp(kHostA, 5000, 40000), kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.external, (ExplicitEndpoint{kPublic, 40000}));
  std::vector<std::uint8_t> out;
  ASSERT_EQ(inbound(engine, kRemote, 1234, 40000, &out), Verdict::forward(Action::forward_lan));
  EXPECT_EQ(dst_addr(out), kHostA.value());
  EXPECT_EQ(dst_port(out), 5000);
  EXPECT_TRUE(test::checksum_problems(out).empty());
  ASSERT_EQ(inbound(engine, kOther, 9, 40000), Verdict::forward(Action::forward_lan));
  // The mapping serves the host's outbound traffic too (RFC 6887 §11.1).
  auto pkt = udp(kHostA, 5000, kOther, 53);
  ASSERT_EQ(run(engine, pkt, Side::lan, kNow), Verdict::forward(Action::forward_wan));
  EXPECT_EQ(src_port(pkt), 40000);
}

TEST(ExplicitMapping, WithoutAMappingApdfDropsStrangers) {
  Engine engine(config());
  EXPECT_EQ(inbound(engine, kRemote, 1234, 40000).reason, DropReason::no_session);
}

TEST(ExplicitMapping, ATakenSuggestionGetsAnotherPortOrWithPreferFailureARefusal) {
  Engine engine(config());
  ASSERT_TRUE(engine.map_explicit(map_udp(kHostA, 5000, 40000), kNow).ok());
  // Another host's mapping holds 40000: never overwritten.
  const ExplicitResult other = engine.map_explicit(map_udp(kHostB, 5000, 40000), kNow);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other.external.port, 40000);
  ExplicitRequest strict = map_udp(kHostB, 6000, 40000);
  strict.prefer_failure = true;
  EXPECT_EQ(engine.map_explicit(strict, kNow).refusal, ExplicitRefusal::suggested_taken);
  // A forward's ports are reserved.
  ExplicitRequest forwarded = map_udp(kHostB, 7000, 8081);
  EXPECT_NE(engine.map_explicit(forwarded, kNow).external.port, 8081);
  forwarded.internal.port = 7001;
  forwarded.prefer_failure = true;
  EXPECT_EQ(engine.map_explicit(forwarded, kNow).refusal, ExplicitRefusal::suggested_taken);
  // The first mapping still goes where it went.
  std::vector<std::uint8_t> out;
  ASSERT_EQ(inbound(engine, kRemote, 1, 40000, &out).action, Action::forward_lan);
  EXPECT_EQ(dst_addr(out), kHostA.value());
}

TEST(ExplicitMapping, OperatorEndpointsAreRefused) {
  Engine engine(config());
  EXPECT_EQ(engine.map_explicit(map_udp(kStaticHost, 5000), kNow).refusal,
            ExplicitRefusal::static_host);
  EXPECT_EQ(engine.map_explicit(map_udp(kServer, 80), kNow).refusal,
            ExplicitRefusal::forwarded_endpoint);
  EXPECT_TRUE(engine.is_operator_mapping(net::Proto::udp, {kServer, 80}));
  EXPECT_FALSE(engine.is_operator_mapping(net::Proto::udp, {kHostA, 80}));
  EXPECT_EQ(engine.external_address(kHostA), kPublic);
  EXPECT_EQ(engine.external_address(kStaticHost), kStatic);
}

TEST(ExplicitMapping, CountsAgainstTheHostsQuota) {
  EngineConfig cfg = config();
  cfg.ports_per_subscriber = 1;
  Engine engine(cfg);
  ASSERT_TRUE(engine.map_explicit(map_udp(kHostA, 5000), kNow).ok());
  EXPECT_EQ(engine.map_explicit(map_udp(kHostA, 5001), kNow).failure, DropReason::subscriber_ports);
  // Nor may traffic take a second port.
  auto pkt = udp(kHostA, 6000, kRemote, 53);
  EXPECT_EQ(run(engine, pkt, Side::lan, kNow).reason, DropReason::subscriber_ports);
  EXPECT_TRUE(engine.map_explicit(map_udp(kHostB, 5000), kNow).ok());
}

TEST(ExplicitMapping, TheTableOfExplicitMappingsIsBounded) {
  EngineConfig cfg = config();
  cfg.max_explicit_mappings = 1;
  Engine engine(cfg);
  ASSERT_TRUE(engine.map_explicit(map_udp(kHostA, 5000), kNow).ok());
  EXPECT_EQ(engine.map_explicit(map_udp(kHostA, 5001), kNow).refusal, ExplicitRefusal::table_full);
  EXPECT_EQ(engine.session_count(), 1u);
}

TEST(ExplicitMapping, FilterNarrowsWhoMayUseIt) {
  Engine engine(config());
  ExplicitRequest r = map_udp(kHostA, 5000, 40000);
  const ExplicitFilter only{net::Ipv4Prefix(kRemote, 32), 0};
  r.filters = {&only, 1};
  ASSERT_TRUE(engine.map_explicit(r, kNow).ok());
  EXPECT_EQ(inbound(engine, kOther, 1, 40000).reason, DropReason::no_session);
  EXPECT_EQ(inbound(engine, kRemote, 1, 40000).action, Action::forward_lan);
  // A refresh without filters lifts them.
  r.filters = {};
  ASSERT_TRUE(engine.map_explicit(r, kNow).ok());
  EXPECT_EQ(inbound(engine, kOther, 2, 40000).action, Action::forward_lan);
}

TEST(ExplicitMapping, PeerAdmitsOnlyItsPeer) {
  Engine engine(config());
  ExplicitRequest r = map_udp(kHostA, 5000, 40000);
  r.peer = ExplicitEndpoint{kRemote, 3478};
  const ExplicitResult granted = engine.map_explicit(r, kNow);
  ASSERT_TRUE(granted.ok());
  EXPECT_EQ(inbound(engine, kRemote, 3478, granted.external.port).action, Action::forward_lan);
  EXPECT_EQ(inbound(engine, kRemote, 3479, granted.external.port).reason, DropReason::no_session);
  // A MAP on the same endpoint shares the mapping; ending the PEER leaves it.
  ASSERT_EQ(engine.map_explicit(map_udp(kHostA, 5000), kNow).external, granted.external);
  engine.unmap_explicit(net::Proto::udp, r.internal, r.peer, kNow);
  EXPECT_EQ(inbound(engine, kOther, 1, granted.external.port).action, Action::forward_lan);
}

TEST(ExplicitMapping, HairpinningReachesItWithTheSendersExternalSource) {
  Engine engine(config());
  ASSERT_TRUE(engine.map_explicit(map_udp(kHostA, 5000, 40000), kNow).ok());
  auto pkt = udp(kHostB, 7000, kPublic, 40000);
  ASSERT_EQ(run(engine, pkt, Side::lan, kNow), Verdict::forward(Action::hairpin));
  EXPECT_EQ(dst_addr(pkt), kHostA.value());
  EXPECT_EQ(dst_port(pkt), 5000);
  EXPECT_EQ(src_addr(pkt), kPublic.value());
  EXPECT_TRUE(test::checksum_problems(pkt).empty());
}

TEST(ExplicitMapping, RefreshKeepsTheEndpointAndDeleteOrExpiryEndsIt) {
  Engine engine(config());
  const ExplicitResult first = engine.map_explicit(map_udp(kHostA, 5000), kNow);
  ASSERT_TRUE(first.ok());
  ExplicitRequest again = map_udp(kHostA, 5000, 41000);
  again.lifetime_s = 30;
  EXPECT_EQ(engine.map_explicit(again, kNow + kSecond).external, first.external);
  engine.unmap_explicit(net::Proto::udp, {kHostA, 5000}, std::nullopt, kNow + kSecond);
  EXPECT_EQ(inbound(engine, kRemote, 1, first.external.port, nullptr, kNow + 2 * kSecond).reason,
            DropReason::no_session);
  EXPECT_EQ(engine.session_count(), 0u);

  ASSERT_TRUE(engine.map_explicit(map_udp(kHostB, 5000, 42000), kNow).ok());
  EXPECT_EQ(inbound(engine, kRemote, 1, 42000, nullptr, kNow + 59 * kSecond).action,
            Action::forward_lan);
  EXPECT_EQ(inbound(engine, kOther, 1, 42000, nullptr, kNow + 61 * kSecond).reason,
            DropReason::no_session);
}

TEST(ExplicitMapping, ShowsAsPcpWithItsRemainingLifetime) {
  Engine engine(config());
  ASSERT_TRUE(engine.map_explicit(map_udp(kHostA, 5000, 40000), kNow).ok());
  std::vector<SessionView> seen;
  engine.for_each_session([&](const SessionView& v) { seen.push_back(v); }, kNow + 15 * kSecond);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, SessionKind::pcp);
  EXPECT_EQ(to_string(seen[0].kind), "pcp");
  EXPECT_EQ(seen[0].expires_in_s, 45u);
  EXPECT_EQ(seen[0].external_port.value(), 40000);
}

}  // namespace
}  // namespace masq::nat
