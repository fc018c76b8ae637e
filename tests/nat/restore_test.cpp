// Engine::restore(): what one engine's session walk saved comes back in
// another as it was (the same session views, the same translations), and
// what the new engine's config no longer allows is refused with its
// outcome, through the public API.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <vector>

#include "engine_harness.hpp"
#include "masq/nat/engine.hpp"
#include "masq/nat/port_slice.hpp"

namespace masq::nat {
namespace {

using harness::kSecond;
using harness::run;
using net::Ipv4Addr;
using test::tcp_flag::kAck;
using test::tcp_flag::kSyn;
const Ipv4Addr kPublic = Ipv4Addr::from_octets(203, 0, 113, 1);
const Ipv4Addr kOther = Ipv4Addr::from_octets(203, 0, 113, 9);
const Ipv4Addr kHost = Ipv4Addr::from_octets(10, 0, 0, 2);
const Ipv4Addr kServerHost = Ipv4Addr::from_octets(10, 0, 0, 3);
const Ipv4Addr kRemote = Ipv4Addr::from_octets(198, 51, 100, 1);
constexpr std::uint64_t kNow = 100 * kSecond;

EngineConfig config() {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("10.0.0.0/16")};
  cfg.pool = {{kPublic, kPublic}};
  cfg.max_sessions = 1000;
  cfg.forwards = {{net::Proto::tcp, kPublic, {8080, 8080}, kServerHost, 80}};
  return cfg;
}

std::vector<std::uint8_t> tcp(Ipv4Addr src, std::uint16_t sport, Ipv4Addr dst, std::uint16_t dport,
                              std::uint8_t flags) {
  test::PacketSpec s = harness::flow(test::L4Kind::tcp, src, sport, dst, dport);
  s.tcp_flags = flags;
  return test::build_packet(s);
}

void send(Engine& e, std::vector<std::uint8_t> pkt, Side side, std::uint64_t now = kNow) {
  ASSERT_NE(run(e, pkt, side, now).action, Action::drop);
}

// A table with one session of each kind and state the walk can show.
void make_traffic(Engine& e) {
  send(e, harness::udp(kHost, 5000, kRemote, 53), Side::lan);
  // An established connection: SYN out, SYN-ACK in, ACK out.
  send(e, tcp(kHost, 40000, kRemote, 443, kSyn), Side::lan);
  send(e, tcp(kRemote, 443, kPublic, 40000, kSyn | kAck), Side::wan);
  send(e, tcp(kHost, 40000, kRemote, 443, kAck), Side::lan);
  // One still opening, made 20 s earlier (less lifetime left).
  send(e, tcp(kHost, 40001, kRemote, 443, kSyn), Side::lan, kNow - 20 * kSecond);
  // An inbound connection through the forward.
  send(e, tcp(kRemote, 50000, kPublic, 8080, kSyn), Side::wan);
  test::PacketSpec echo = harness::flow(test::L4Kind::icmp, kHost, 0, kRemote, 0);
  echo.icmp_rest_high = 77;
  send(e, test::build_packet(echo), Side::lan);
}

std::vector<SessionView> walk(const Engine& e, std::uint64_t now = kNow) {
  std::vector<SessionView> out;
  e.for_each_session([&](const SessionView& v) { out.push_back(v); }, now);
  const auto key = [](const SessionView& v) {
    return std::tuple(v.proto, v.internal_addr, v.internal_port.value(), v.remote_addr,
                      v.remote_port.value());
  };
  std::sort(out.begin(), out.end(),
            [&](const SessionView& a, const SessionView& b) { return key(a) < key(b); });
  return out;
}

bool same(const SessionView& a, const SessionView& b) {
  return a.proto == b.proto && a.internal_addr == b.internal_addr &&
         a.internal_port == b.internal_port && a.external_addr == b.external_addr &&
         a.external_port == b.external_port && a.remote_addr == b.remote_addr &&
         a.remote_port == b.remote_port && a.state == b.state && a.expires_in_s == b.expires_in_s &&
         a.idle_s == b.idle_s && a.kind == b.kind;
}

RestoreTally restore_all(Engine& e, const std::vector<SessionView>& saved,
                         std::uint64_t now = kNow) {
  RestoreTally tally;
  for (const SessionView& v : saved) tally.add(e.restore(v, now));
  return tally;
}

TEST(Restore, ARoundTripGivesTheSameSessions) {
  Engine before(config());
  make_traffic(before);
  const std::vector<SessionView> saved = walk(before);
  ASSERT_EQ(saved.size(), 5u);
  ASSERT_TRUE(std::any_of(saved.begin(), saved.end(),
                          [](const SessionView& v) { return v.kind == SessionKind::forward; }));

  Engine after(config());
  const RestoreTally tally = restore_all(after, saved);
  EXPECT_EQ(tally.restored(), saved.size());
  EXPECT_EQ(tally.refused(), 0u);
  const std::vector<SessionView> restored = walk(after);
  ASSERT_EQ(restored.size(), saved.size());
  for (std::size_t i = 0; i < saved.size(); ++i) {
    EXPECT_TRUE(same(saved[i], restored[i]))
        << i << ": " << saved[i].state << " " << restored[i].state;
  }
}

TEST(Restore, ARestoredSessionTranslatesBothWays) {
  Engine before(config());
  make_traffic(before);
  Engine after(config());
  restore_all(after, walk(before));

  // The established connection goes on, both ways, on its external port.
  auto out = tcp(kHost, 40000, kRemote, 443, kAck);
  ASSERT_EQ(run(after, out, Side::lan, kNow + kSecond).action, Action::forward_wan);
  EXPECT_EQ(net::parse_ipv4(out).packet.ip.src(), kPublic);
  auto in = tcp(kRemote, 443, kPublic, 40000, kAck);
  ASSERT_EQ(run(after, in, Side::wan, kNow + kSecond).action, Action::forward_lan);
  EXPECT_EQ(net::parse_ipv4(in).packet.ip.dst(), kHost);
  EXPECT_EQ(after.counters().sessions_created, 5u);
}

TEST(Restore, TheQuotasAreCharged) {
  Engine before(config());
  make_traffic(before);
  EngineConfig cfg = config();
  cfg.sessions_per_subscriber = 2;
  Engine after(cfg);
  const RestoreTally tally = restore_all(after, walk(before));
  // kHost had four sessions, the forward's host one.
  EXPECT_EQ(tally.restored(), 3u);
  EXPECT_EQ(tally.count(RestoreOutcome::quota), 2u);
}

TEST(Restore, WhatTheConfigNoLongerAllowsIsRefusedAndCounted) {
  Engine before(config());
  make_traffic(before);
  const std::vector<SessionView> saved = walk(before);

  EngineConfig moved = config();
  moved.pool = {{kOther, kOther}};
  moved.forwards.clear();
  Engine pool_changed(moved);
  RestoreTally tally = restore_all(pool_changed, saved);
  EXPECT_EQ(tally.count(RestoreOutcome::not_in_pool), 4u);
  EXPECT_EQ(tally.count(RestoreOutcome::forward_gone), 1u);
  EXPECT_EQ(pool_changed.session_count(), 0u);

  EngineConfig narrow = config();
  narrow.inside = {*net::Ipv4Prefix::parse("10.1.0.0/16")};
  narrow.forwards.clear();
  Engine not_inside(narrow);
  EXPECT_EQ(restore_all(not_inside, saved).count(RestoreOutcome::not_inside), saved.size());

  EngineConfig host = config();
  host.host_ports = HostPorts{kPublic, {40000, 40001}};
  Engine host_ports(host);
  tally = restore_all(host_ports, saved);
  EXPECT_EQ(tally.count(RestoreOutcome::reserved), 2u);
  EXPECT_EQ(tally.restored(), 3u);

  EngineConfig one = config();
  one.max_sessions = 2;
  Engine small(one);
  tally = restore_all(small, saved);
  EXPECT_EQ(tally.restored(), 2u);
  EXPECT_EQ(tally.count(RestoreOutcome::table_full), 3u);
}

TEST(Restore, APortOfAnotherWorkersSliceIsRefused) {
  Engine before(config());
  make_traffic(before);
  const std::vector<SessionView> saved = walk(before);
  RestoreTally tally;
  std::size_t kept = 0;
  for (std::uint32_t k = 0; k < 4; ++k) {
    EngineConfig cfg = config();
    cfg.worker = {k, 4};
    Engine worker(cfg);
    for (const SessionView& v : saved) {
      const RestoreOutcome o = worker.restore(v, kNow);
      tally.add(o);
      // The owner is the one that accepts it, if any does.
      if (o == RestoreOutcome::restored) {
        EXPECT_EQ(worker.owner(v), k);
        ++kept;
      } else {
        EXPECT_EQ(o, RestoreOutcome::other_worker);
      }
    }
  }
  EXPECT_EQ(kept + tally.count(RestoreOutcome::other_worker), 4 * saved.size());
  // The forward's session is its host's worker's, whatever its port.
  EXPECT_GE(kept, 1u);
}

TEST(Restore, ExpiredDuplicateAndMalformedAreRefused) {
  Engine before(config());
  make_traffic(before);
  std::vector<SessionView> saved = walk(before);
  Engine after(config());
  restore_all(after, saved);
  EXPECT_EQ(restore_all(after, saved).count(RestoreOutcome::duplicate), saved.size());

  Engine fresh(config());
  SessionView v = saved.front();
  v.expires_in_s = 0;
  EXPECT_EQ(fresh.restore(v, kNow), RestoreOutcome::expired);
  v = saved.front();
  v.state = "bogus";
  EXPECT_EQ(fresh.restore(v, kNow), RestoreOutcome::malformed);
  v = saved.front();
  v.remote_addr = Ipv4Addr{};
  v.remote_port = net::Port(0);
  EXPECT_EQ(fresh.restore(v, kNow), RestoreOutcome::malformed);
  v = saved.front();
  v.kind = SessionKind::pcp;
  EXPECT_EQ(fresh.restore(v, kNow), RestoreOutcome::explicit_mapping);
  // A mapping's external endpoint held by another host's mapping.
  v = saved.front();
  ASSERT_EQ(fresh.restore(v, kNow), RestoreOutcome::restored);
  v.internal_addr = Ipv4Addr::from_octets(10, 0, 0, 4);
  EXPECT_EQ(fresh.restore(v, kNow), RestoreOutcome::conflict);
  EXPECT_EQ(fresh.session_count(), 1u);
}

TEST(Restore, TheLifetimeIsCappedToTheConfiguredTimeout) {
  Engine before(config());
  make_traffic(before);
  EngineConfig cfg = config();
  cfg.timeouts.udp_s = 30;
  Engine after(cfg);
  restore_all(after, walk(before));
  for (const SessionView& v : walk(after)) {
    if (v.proto == net::Proto::udp) {
      EXPECT_EQ(v.expires_in_s, 30u);
    }
  }
}

TEST(Restore, OutcomesHaveNames) {
  for (std::size_t i = 0; i < kRestoreOutcomeCount; ++i) {
    EXPECT_NE(to_string(static_cast<RestoreOutcome>(i)), "unknown");
  }
}

}  // namespace
}  // namespace masq::nat
