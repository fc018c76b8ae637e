// Session events (masq/nat/session_event.hpp): what the engine records
// when a session is made and when it goes, and why; the bounded ring, its
// counted drops, and the remote endpoint only when configured (RFC 6888
// REQ-12). Through the public API.
#include <gtest/gtest.h>

#include <vector>

#include "engine_harness.hpp"
#include "event_ring.hpp"
#include "masq/nat/engine.hpp"

namespace masq::nat {
namespace {

using harness::kSecond;
using harness::run;
using harness::udp;
using net::Ipv4Addr;
const Ipv4Addr kPublic = Ipv4Addr::from_octets(203, 0, 113, 1);
const Ipv4Addr kHost = Ipv4Addr::from_octets(10, 0, 0, 2);
const Ipv4Addr kServer = Ipv4Addr::from_octets(198, 51, 100, 1);

EngineConfig config(std::uint32_t ring = 16) {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("10.0.0.0/16")};
  cfg.pool = {{kPublic, kPublic}};
  cfg.max_sessions = 64;
  cfg.timeouts.udp_s = 100;
  cfg.event_ring_capacity = ring;
  return cfg;
}

Verdict send(Engine& e, std::uint16_t sport, std::uint64_t now) {
  auto pkt = udp(kHost, sport, kServer, 53);
  return run(e, pkt, Side::lan, now);
}

std::vector<SessionEvent> drain(Engine& e) {
  std::vector<SessionEvent> out;
  e.drain_events([&](const SessionEvent& ev) { out.push_back(ev); });
  return out;
}

TEST(SessionEvents, OffByDefault) {
  EngineConfig cfg = config(0);
  Engine engine(cfg);
  ASSERT_EQ(send(engine, 5000, kSecond).action, Action::forward_wan);
  EXPECT_TRUE(drain(engine).empty());
  EXPECT_EQ(engine.counters().events_dropped, 0u);
}

TEST(SessionEvents, CreateCarriesBothEndpointsButNoRemoteUnlessAsked) {
  Engine engine(config());
  ASSERT_EQ(send(engine, 5000, 3 * kSecond + 7).action, Action::forward_wan);
  const auto events = drain(engine);
  ASSERT_EQ(events.size(), 1u);
  const SessionEvent& e = events[0];
  EXPECT_EQ(e.type, EventType::create);
  EXPECT_EQ(e.reason, DeleteReason::none);
  EXPECT_EQ(e.time_ns, 3 * kSecond + 7);
  EXPECT_EQ(e.proto, net::Proto::udp);
  EXPECT_EQ(e.kind, SessionKind::dynamic);
  EXPECT_EQ(e.internal_addr, kHost);
  EXPECT_EQ(e.internal_port.value(), 5000);
  EXPECT_EQ(e.external_addr, kPublic);
  EXPECT_EQ(e.external_port.value(), 5000);  // preserved
  EXPECT_EQ(e.remote_addr, Ipv4Addr());
  EXPECT_EQ(e.remote_port.value(), 0);
  EXPECT_TRUE(drain(engine).empty());  // drained once
}

TEST(SessionEvents, RemoteWhenConfigured) {
  EngineConfig cfg = config();
  cfg.events_with_remote = true;
  Engine engine(cfg);
  send(engine, 5000, kSecond);
  const auto events = drain(engine);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].remote_addr, kServer);
  EXPECT_EQ(events[0].remote_port.value(), 53);
}

TEST(SessionEvents, ExpiryIsADeleteWithItsReason) {
  Engine engine(config());
  send(engine, 5000, kSecond);
  drain(engine);
  // Another flow's batch runs the sweep past the first one's timeout.
  send(engine, 6000, 200 * kSecond);
  const auto events = drain(engine);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, EventType::create);
  EXPECT_EQ(events[0].internal_port.value(), 6000);
  EXPECT_EQ(events[1].type, EventType::delete_);
  EXPECT_EQ(events[1].reason, DeleteReason::expired);
  EXPECT_EQ(events[1].internal_port.value(), 5000);
  EXPECT_EQ(events[1].time_ns, 200 * kSecond);
}

TEST(SessionEvents, OperatorDeletionSaysSo) {
  Engine engine(config());
  send(engine, 5000, kSecond);
  send(engine, 5001, kSecond);
  drain(engine);
  std::size_t removed = 0;
  engine.remove_sessions_from(
      0, 64, [](const SessionView& v) { return v.internal_port.value() == 5001; }, 2 * kSecond,
      removed);
  ASSERT_EQ(removed, 1u);
  const auto events = drain(engine);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, EventType::delete_);
  EXPECT_EQ(events[0].reason, DeleteReason::deleted);
  EXPECT_EQ(events[0].internal_port.value(), 5001);
  EXPECT_EQ(events[0].time_ns, 2 * kSecond);
}

TEST(SessionEvents, ReclaimedWhenAFullTableFreesAnExpiredSession) {
  EngineConfig cfg = config();
  cfg.max_sessions = 2;
  cfg.expiry_scan_per_batch = 1;  // the sweep runs after the batch: a reclaim comes first
  cfg.port_reuse_delay_s = 0;
  Engine engine(cfg);
  send(engine, 5000, kSecond);
  send(engine, 5001, kSecond);
  drain(engine);
  ASSERT_EQ(send(engine, 5002, 200 * kSecond).action, Action::forward_wan);
  const auto events = drain(engine);
  ASSERT_GE(events.size(), 2u);
  std::size_t reclaimed = 0;
  for (const auto& e : events) reclaimed += e.reason == DeleteReason::reclaimed;
  EXPECT_GE(reclaimed, 1u);
  EXPECT_EQ(events.back().type, EventType::create);
  EXPECT_EQ(events.back().internal_port.value(), 5002);
}

TEST(SessionEvents, ExplicitMappingsArePcpAndEndAsUnmapped) {
  EngineConfig cfg = config();
  cfg.max_explicit_mappings = 4;
  Engine engine(cfg);
  ExplicitRequest r;
  r.proto = net::Proto::udp;
  r.internal = {kHost, 7000};
  r.lifetime_s = 60;
  ASSERT_TRUE(engine.map_explicit(r, 5 * kSecond).ok());
  engine.unmap_explicit(net::Proto::udp, r.internal, std::nullopt, 6 * kSecond);
  const auto events = drain(engine);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, SessionKind::pcp);
  EXPECT_EQ(events[0].time_ns, 5 * kSecond);
  EXPECT_EQ(events[1].type, EventType::delete_);
  EXPECT_EQ(events[1].reason, DeleteReason::unmapped);
  EXPECT_EQ(events[1].time_ns, 6 * kSecond);
}

TEST(SessionEvents, ForwardedSessionsSayForward) {
  EngineConfig cfg = config();
  cfg.forwards = {{net::Proto::udp, kPublic, {8000, 8000}, kHost, 9000}};
  Engine engine(cfg);
  auto pkt = udp(kServer, 1234, kPublic, 8000);
  ASSERT_EQ(run(engine, pkt, Side::wan, kSecond).action, Action::forward_lan);
  const auto events = drain(engine);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, SessionKind::forward);
  EXPECT_EQ(events[0].internal_port.value(), 9000);
  EXPECT_EQ(events[0].external_port.value(), 8000);
}

TEST(SessionEvents, AFullRingDropsAndCountsWithoutHarmingTraffic) {
  Engine engine(config(3));
  for (std::uint16_t p = 0; p < 5; ++p) {
    EXPECT_EQ(send(engine, static_cast<std::uint16_t>(5000 + p), kSecond).action,
              Action::forward_wan);
  }
  EXPECT_EQ(engine.counters().events_dropped, 2u);
  EXPECT_EQ(engine.counters().sessions_created, 5u);
  const auto events = drain(engine);
  ASSERT_EQ(events.size(), 3u);
  for (std::size_t i = 0; i < events.size(); ++i)
    EXPECT_EQ(events[i].internal_port.value(), 5000 + i);  // the oldest kept, in order
  send(engine, 6000, kSecond);
  EXPECT_EQ(drain(engine).size(), 1u);  // room again
}

TEST(EventRing, WrapsAroundInOrder) {
  EventRing ring(4);
  std::uint64_t next = 0;
  std::uint64_t expect = 0;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 3; ++i) {
      SessionEvent e;
      e.time_ns = next++;
      ASSERT_TRUE(ring.push(e));
    }
    ring.drain([&](const SessionEvent& e) { EXPECT_EQ(e.time_ns, expect++); });
    EXPECT_EQ(ring.size(), 0u);
  }
  EXPECT_FALSE(EventRing(0).push({}));
}

}  // namespace
}  // namespace masq::nat
