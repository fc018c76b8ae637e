// Engine::reconfigure(): a new config under a running engine keeps what it
// still allows and ends the rest.
#include <gtest/gtest.h>

#include "engine_harness.hpp"
#include "support/checksum_oracle.hpp"

namespace masq::nat {
namespace {

using harness::dst_of;
using harness::kSecond;
using harness::run;
using harness::sport_of;
using harness::src_of;
using harness::syn;
using harness::udp;
using net::Ipv4Addr;

const Ipv4Addr kWan = Ipv4Addr::from_octets(203, 0, 113, 1);
const Ipv4Addr kStatic = Ipv4Addr::from_octets(203, 0, 113, 5);
const Ipv4Addr kHost = Ipv4Addr::from_octets(10, 0, 0, 2);
const Ipv4Addr kServer = Ipv4Addr::from_octets(10, 0, 0, 80);
const Ipv4Addr kRemote = Ipv4Addr::from_octets(198, 51, 100, 7);
const PortForward kWeb{net::Proto::tcp, kWan, {8080, 8080}, kServer, 80};

EngineConfig config() {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("10.0.0.0/16")};
  cfg.pool = {{kWan, kWan}};
  cfg.max_sessions = 64;
  cfg.seed = 5;
  return cfg;
}

TEST(Reconfigure, AnAddedForwardAdmitsAndARemovedOneEndsItsSessions) {
  Engine engine(config());
  auto before = syn(kRemote, 40000, kWan, 8080);
  EXPECT_EQ(run(engine, before, Side::wan, kSecond).action, Action::drop);

  EngineConfig with = config();
  with.forwards = {kWeb};
  std::size_t removed = 0;
  ASSERT_TRUE(engine.reconfigure(with, 2 * kSecond, removed));
  EXPECT_EQ(removed, 0u);
  auto in = syn(kRemote, 40001, kWan, 8080);
  ASSERT_EQ(run(engine, in, Side::wan, 3 * kSecond), Verdict::forward(Action::forward_lan));
  EXPECT_EQ(dst_of(in), kServer);
  EXPECT_TRUE(test::checksum_problems(in).empty());
  ASSERT_EQ(engine.session_count(), 1u);

  ASSERT_TRUE(engine.reconfigure(config(), 4 * kSecond, removed));
  EXPECT_EQ(removed, 1u);
  EXPECT_EQ(engine.session_count(), 0u);
  EXPECT_EQ(engine.counters().sessions_reconfigured, 1u);
  auto after = syn(kRemote, 40002, kWan, 8080);
  EXPECT_EQ(run(engine, after, Side::wan, 5 * kSecond).action, Action::drop);
}

TEST(Reconfigure, SessionsStillAllowedStayWithTheirPorts) {
  Engine engine(config());
  auto out = udp(kHost, 5000, kRemote, 53);
  ASSERT_EQ(run(engine, out, Side::lan, kSecond), Verdict::forward(Action::forward_wan));
  const std::uint16_t port = sport_of(out);

  EngineConfig next = config();
  next.forwards = {kWeb};
  next.exclude = {*net::Ipv4Prefix::parse("192.0.2.0/24")};
  std::size_t removed = 0;
  ASSERT_TRUE(engine.reconfigure(next, 2 * kSecond, removed));
  EXPECT_EQ(removed, 0u);
  auto reply = udp(kRemote, 53, kWan, port);
  ASSERT_EQ(run(engine, reply, Side::wan, 3 * kSecond), Verdict::forward(Action::forward_lan));
  EXPECT_EQ(dst_of(reply), kHost);
}

TEST(Reconfigure, AShorterTimeoutShortensLiveSessions) {
  Engine engine(config());
  auto out = udp(kHost, 5000, kRemote, 53);
  ASSERT_EQ(run(engine, out, Side::lan, kSecond), Verdict::forward(Action::forward_wan));
  const std::uint16_t port = sport_of(out);

  EngineConfig next = config();
  next.timeouts.udp_s = 30;
  next.udp_inbound_refresh = false;
  std::size_t removed = 0;
  ASSERT_TRUE(engine.reconfigure(next, 10 * kSecond, removed));
  auto in_time = udp(kRemote, 53, kWan, port);
  EXPECT_EQ(run(engine, in_time, Side::wan, 39 * kSecond).action, Action::forward_lan);
  auto late = udp(kRemote, 53, kWan, port);
  EXPECT_EQ(run(engine, late, Side::wan, 41 * kSecond).action, Action::drop);
}

TEST(Reconfigure, AHostMadeStaticLosesItsDynamicSessions) {
  Engine engine(config());
  auto out = udp(kHost, 5000, kRemote, 53);
  ASSERT_EQ(run(engine, out, Side::lan, kSecond), Verdict::forward(Action::forward_wan));

  EngineConfig next = config();
  next.static_nat = {{kHost, kStatic}};
  std::size_t removed = 0;
  ASSERT_TRUE(engine.reconfigure(next, 2 * kSecond, removed));
  EXPECT_EQ(removed, 1u);
  auto again = udp(kHost, 5000, kRemote, 53);
  ASSERT_EQ(run(engine, again, Side::lan, 3 * kSecond), Verdict::forward(Action::forward_wan));
  EXPECT_EQ(src_of(again), kStatic);
  EXPECT_EQ(sport_of(again), 5000);
}

TEST(Reconfigure, ANewQuotaBindsNewFlowsOnly) {
  Engine engine(config());
  auto first = udp(kHost, 5000, kRemote, 53);
  ASSERT_EQ(run(engine, first, Side::lan, kSecond).action, Action::forward_wan);
  auto second = udp(kHost, 5001, kRemote, 53);
  ASSERT_EQ(run(engine, second, Side::lan, kSecond).action, Action::forward_wan);

  EngineConfig next = config();
  next.sessions_per_subscriber = 2;
  std::size_t removed = 0;
  ASSERT_TRUE(engine.reconfigure(next, 2 * kSecond, removed));
  EXPECT_EQ(removed, 0u);
  auto third = udp(kHost, 5002, kRemote, 53);
  EXPECT_EQ(run(engine, third, Side::lan, 3 * kSecond).reason, DropReason::subscriber_sessions);
}

TEST(Reconfigure, RefusesWhatOnlyARestartChanges) {
  Engine engine(config());
  auto out = udp(kHost, 5000, kRemote, 53);
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
  auto in = syn(kRemote, 40000, kWan, 8080);
  EXPECT_EQ(run(engine, in, Side::wan, 3 * kSecond).action, Action::drop);

  EngineConfig invalid = config();
  invalid.forwards = {
      {net::Proto::tcp, kWan, {8080, 8080}, Ipv4Addr::from_octets(172, 16, 0, 1), 80}};
  EXPECT_FALSE(engine.reconfigure(invalid, 2 * kSecond, removed));
}

}  // namespace
}  // namespace masq::nat
