// Engine::remove_sessions_from(), the engine side of `masqctl sessions
// delete` and `flush`, and what the session walk tells about each session
// (its kind and idle time), through the public API.
#include <gtest/gtest.h>

#include <vector>

#include "engine_harness.hpp"
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

EngineConfig config() {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("10.0.0.0/16")};
  cfg.pool = {{kPublic, kPublic}};
  cfg.max_sessions = 1000;
  return cfg;
}

Verdict send(Engine& e, std::uint16_t sport, std::uint64_t now) {
  auto pkt = udp(kHost, sport, kServer, 53);
  return run(e, pkt, Side::lan, now);
}

std::vector<SessionView> sessions(const Engine& e, std::uint64_t now) {
  std::vector<SessionView> out;
  e.for_each_session([&](const SessionView& v) { out.push_back(v); }, now);
  return out;
}

// Removes what `match` selects, 7 slots a slice; returns how many went.
std::size_t remove(Engine& e, const std::function<bool(const SessionView&)>& match,
                   std::uint64_t now) {
  std::size_t removed = 0;
  std::size_t cursor = 0;
  do {
    cursor = e.remove_sessions_from(cursor, 7, match, now, removed);
  } while (cursor != 0);
  return removed;
}

TEST(RemoveSessions, RemovesWhatIsSelectedAndGivesTheQuotaBack) {
  EngineConfig cfg = config();
  cfg.sessions_per_subscriber = 20;
  Engine engine(cfg);
  for (std::uint16_t p = 0; p < 20; ++p)
    send(engine, static_cast<std::uint16_t>(5000 + p), kSecond);
  EXPECT_EQ(send(engine, 6000, kSecond).reason, DropReason::subscriber_sessions);

  const auto odd = [](const SessionView& v) { return v.internal_port.value() % 2 == 1; };
  EXPECT_EQ(remove(engine, odd, 2 * kSecond), 10u);
  EXPECT_EQ(engine.session_count(), 10u);
  EXPECT_EQ(engine.counters().sessions_deleted, 10u);
  EXPECT_EQ(engine.counters().sessions_expired, 0u);
  for (const SessionView& v : sessions(engine, 2 * kSecond)) EXPECT_FALSE(odd(v));
  // The host may make ten more.
  for (std::uint16_t p = 0; p < 10; ++p)
    EXPECT_EQ(send(engine, static_cast<std::uint16_t>(6000 + p), 3 * kSecond).action,
              Action::forward_wan);
}

TEST(RemoveSessions, ADeletedMappingsPortRestsBeforeReuse) {
  EngineConfig cfg = config();
  cfg.port_reuse_delay_s = 120;
  Engine engine(cfg);
  send(engine, 5000, kSecond);
  ASSERT_EQ(sessions(engine, kSecond).at(0).external_port, net::Port(5000));
  EXPECT_EQ(remove(
                engine, [](const SessionView&) { return true; }, 2 * kSecond),
            1u);
  EXPECT_EQ(engine.session_count(), 0u);
  // Within the delay the same flow gets another port (RFC 6888 REQ-8) ...
  send(engine, 5000, 3 * kSecond);
  EXPECT_NE(sessions(engine, 3 * kSecond).at(0).external_port, net::Port(5000));
}

TEST(RemoveSessions, NothingSelectedNothingRemoved) {
  Engine engine(config());
  send(engine, 5000, kSecond);
  EXPECT_EQ(remove(
                engine, [](const SessionView&) { return false; }, kSecond),
            0u);
  EXPECT_EQ(engine.session_count(), 1u);
}

TEST(SessionView, KindAndIdleTime) {
  EngineConfig cfg = config();
  PortForward fwd;
  fwd.proto = net::Proto::udp;
  fwd.external_addr = kPublic;
  fwd.external_ports = {8053, 8053};
  fwd.internal_addr = Ipv4Addr::from_octets(10, 0, 0, 3);
  fwd.internal_port = 53;
  cfg.forwards = {fwd};
  Engine engine(cfg);
  send(engine, 5000, 10 * kSecond);
  auto inbound = udp(kServer, 4444, kPublic, 8053);
  ASSERT_EQ(run(engine, inbound, Side::wan, 20 * kSecond).action, Action::forward_lan);
  const auto seen = sessions(engine, 50 * kSecond);
  ASSERT_EQ(seen.size(), 2u);
  for (const SessionView& v : seen) {
    if (v.internal_port == net::Port(5000)) {
      EXPECT_EQ(v.kind, SessionKind::dynamic);
      EXPECT_EQ(v.idle_s, 40u);
    } else {
      EXPECT_EQ(v.kind, SessionKind::forward);
      EXPECT_EQ(v.idle_s, 30u);
    }
  }
}

TEST(SessionView, KindAndStateNames) {
  EXPECT_EQ(to_string(SessionKind::static_nat), "static");
  EXPECT_EQ(parse_session_kind("pcp"), SessionKind::pcp);
  const auto states = session_state_names();
  EXPECT_NE(std::find(states.begin(), states.end(), "established"), states.end());
  EXPECT_NE(std::find(states.begin(), states.end(), "udp"), states.end());
  EXPECT_EQ(std::find(states.begin(), states.end(), "none"), states.end());
}

}  // namespace
}  // namespace masq::nat
