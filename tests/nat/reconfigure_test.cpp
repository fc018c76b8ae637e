// Engine::reconfigure(): a new config under a running engine keeps what it
// still allows and ends the rest.
#include <gtest/gtest.h>

#include "engine_harness.hpp"
#include "support/checksum_oracle.hpp"

namespace masq::nat {
namespace {

using namespace harness;
using net::Ipv4Addr;

const Ipv4Addr kStatic = Ipv4Addr::from_octets(203, 0, 113, 5);
const Ipv4Addr kWebHost = Ipv4Addr::from_octets(10, 0, 0, 80);
const PortForward kWeb{net::Proto::tcp, kPublic, {8080, 8080}, kWebHost, 80};

EngineConfig config() {
  EngineConfig cfg = small_config();
  cfg.seed = 5;
  return cfg;
}

TEST(Reconfigure, AnAddedForwardAdmitsAndARemovedOneEndsItsSessions) {
  Engine engine(config());
  auto before = syn(kServer, 40000, kPublic, 8080);
  EXPECT_EQ(run(engine, before, Side::wan, kSecond).action, Action::drop);

  EngineConfig with = config();
  with.forwards = {kWeb};
  std::size_t removed = 0;
  ASSERT_TRUE(engine.reconfigure(with, 2 * kSecond, removed));
  EXPECT_EQ(removed, 0u);
  auto in = syn(kServer, 40001, kPublic, 8080);
  ASSERT_EQ(run(engine, in, Side::wan, 3 * kSecond), Verdict::forward(Action::forward_lan));
  EXPECT_EQ(dst_of(in), kWebHost);
  EXPECT_TRUE(test::checksum_problems(in).empty());
  ASSERT_EQ(engine.session_count(), 1u);

  ASSERT_TRUE(engine.reconfigure(config(), 4 * kSecond, removed));
  EXPECT_EQ(removed, 1u);
  EXPECT_EQ(engine.session_count(), 0u);
  EXPECT_EQ(engine.counters().sessions_reconfigured, 1u);
  auto after = syn(kServer, 40002, kPublic, 8080);
  EXPECT_EQ(run(engine, after, Side::wan, 5 * kSecond).action, Action::drop);
}

TEST(Reconfigure, SessionsStillAllowedStayWithTheirPorts) {
  Engine engine(config());
  auto out = udp(kHostA, 5000, kServer, 53);
  ASSERT_EQ(run(engine, out, Side::lan, kSecond), Verdict::forward(Action::forward_wan));
  const std::uint16_t port = sport_of(out);

  EngineConfig next = config();
  next.forwards = {kWeb};
  next.exclude = {*net::Ipv4Prefix::parse("192.0.2.0/24")};
  std::size_t removed = 0;
  ASSERT_TRUE(engine.reconfigure(next, 2 * kSecond, removed));
  EXPECT_EQ(removed, 0u);
  auto reply = udp(kServer, 53, kPublic, port);
  ASSERT_EQ(run(engine, reply, Side::wan, 3 * kSecond), Verdict::forward(Action::forward_lan));
  EXPECT_EQ(dst_of(reply), kHostA);
}

TEST(Reconfigure, AShorterTimeoutShortensLiveSessions) {
  Engine engine(config());
  auto out = udp(kHostA, 5000, kServer, 53);
  ASSERT_EQ(run(engine, out, Side::lan, kSecond), Verdict::forward(Action::forward_wan));
  const std::uint16_t port = sport_of(out);

  EngineConfig next = config();
  next.timeouts.udp_s = 30;
  next.udp_inbound_refresh = false;
  std::size_t removed = 0;
  ASSERT_TRUE(engine.reconfigure(next, 10 * kSecond, removed));
  auto in_time = udp(kServer, 53, kPublic, port);
  EXPECT_EQ(run(engine, in_time, Side::wan, 39 * kSecond).action, Action::forward_lan);
  auto late = udp(kServer, 53, kPublic, port);
  EXPECT_EQ(run(engine, late, Side::wan, 41 * kSecond).action, Action::drop);
}

TEST(Reconfigure, AHostMadeStaticLosesItsDynamicSessions) {
  Engine engine(config());
  auto out = udp(kHostA, 5000, kServer, 53);
  ASSERT_EQ(run(engine, out, Side::lan, kSecond), Verdict::forward(Action::forward_wan));

  EngineConfig next = config();
  next.static_nat = {{kHostA, kStatic}};
  std::size_t removed = 0;
  ASSERT_TRUE(engine.reconfigure(next, 2 * kSecond, removed));
  EXPECT_EQ(removed, 1u);
  auto again = udp(kHostA, 5000, kServer, 53);
  ASSERT_EQ(run(engine, again, Side::lan, 3 * kSecond), Verdict::forward(Action::forward_wan));
  EXPECT_EQ(src_of(again), kStatic);
  EXPECT_EQ(sport_of(again), 5000);
}

TEST(Reconfigure, ANewQuotaBindsNewFlowsOnly) {
  Engine engine(config());
  auto first = udp(kHostA, 5000, kServer, 53);
  ASSERT_EQ(run(engine, first, Side::lan, kSecond).action, Action::forward_wan);
  auto second = udp(kHostA, 5001, kServer, 53);
  ASSERT_EQ(run(engine, second, Side::lan, kSecond).action, Action::forward_wan);

  EngineConfig next = config();
  next.sessions_per_subscriber = 2;
  std::size_t removed = 0;
  ASSERT_TRUE(engine.reconfigure(next, 2 * kSecond, removed));
  EXPECT_EQ(removed, 0u);
  auto third = udp(kHostA, 5002, kServer, 53);
  EXPECT_EQ(run(engine, third, Side::lan, 3 * kSecond).reason, DropReason::subscriber_sessions);
}

TEST(Reconfigure, RefusesWhatOnlyARestartChanges) {
  Engine engine(config());
  auto out = udp(kHostA, 5000, kServer, 53);
  ASSERT_EQ(run(engine, out, Side::lan, kSecond).action, Action::forward_wan);

  EngineConfig next = config();
  next.max_sessions = 128;
  next.behaviour.tcp.mapping = Dependence::address;
  next.behaviour.tcp.filtering = Dependence::address;
  next.forwards = {kWeb};
  EXPECT_EQ(restart_only_changes(config(), next),
            (std::vector<std::string>{"max_sessions", "tcp mapping"}));
  std::size_t removed = 0;
  EXPECT_FALSE(engine.reconfigure(next, 2 * kSecond, removed));
  EXPECT_EQ(engine.session_count(), 1u);
  // The forward did not come either.
  auto in = syn(kServer, 40000, kPublic, 8080);
  EXPECT_EQ(run(engine, in, Side::wan, 3 * kSecond).action, Action::drop);

  EngineConfig invalid = config();
  invalid.forwards = {
      {net::Proto::tcp, kPublic, {8080, 8080}, Ipv4Addr::from_octets(172, 16, 0, 1), 80}};
  EXPECT_FALSE(engine.reconfigure(invalid, 2 * kSecond, removed));
}

}  // namespace
}  // namespace masq::nat
