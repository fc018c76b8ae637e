// Engine::readdress(): the WAN address changes under a running engine.
#include <gtest/gtest.h>

#include <vector>

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

const Ipv4Addr kOld = Ipv4Addr::from_octets(203, 0, 113, 1);
const Ipv4Addr kNew = Ipv4Addr::from_octets(203, 0, 113, 9);
const Ipv4Addr kNone;
const Ipv4Addr kHost = Ipv4Addr::from_octets(10, 0, 0, 2);
const Ipv4Addr kServer = Ipv4Addr::from_octets(10, 0, 0, 80);
const Ipv4Addr kRemote = Ipv4Addr::from_octets(198, 51, 100, 7);

EngineConfig config(Ipv4Addr wan) {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("10.0.0.0/16")};
  cfg.pool = {{wan, wan}};
  cfg.forwards = {{net::Proto::tcp, wan, {8080, 8080}, kServer, 80}};
  cfg.host_ports = HostPorts{wan, {32768, 60999}};
  cfg.max_sessions = 64;
  cfg.seed = 5;
  return cfg;
}

TEST(Readdress, NewFlowsTakeTheNewAddressAndTheOldMappingsGo) {
  Engine engine(config(kOld));
  auto out = udp(kHost, 5000, kRemote, 53);
  ASSERT_EQ(run(engine, out, Side::lan, kSecond), Verdict::forward(Action::forward_wan));
  ASSERT_EQ(src_of(out), kOld);
  const std::uint16_t old_port = sport_of(out);

  std::size_t removed = 0;
  ASSERT_TRUE(engine.readdress(kOld, kNew, 2 * kSecond, removed));
  EXPECT_EQ(removed, 1u);
  EXPECT_EQ(engine.session_count(), 0u);
  EXPECT_EQ(engine.counters().sessions_readdressed, 1u);
  EXPECT_EQ(engine.external_address(kHost), kNew);

  // The peer's answer to the old mapping finds no address of ours.
  auto late = udp(kRemote, 53, kOld, old_port);
  EXPECT_EQ(run(engine, late, Side::wan, 3 * kSecond).action, Action::drop);

  auto again = udp(kHost, 5000, kRemote, 53);
  ASSERT_EQ(run(engine, again, Side::lan, 4 * kSecond), Verdict::forward(Action::forward_wan));
  EXPECT_EQ(src_of(again), kNew);
  EXPECT_TRUE(test::checksum_problems(again).empty());

  // The forward moved with the address.
  auto in = syn(kRemote, 40000, kNew, 8080);
  ASSERT_EQ(run(engine, in, Side::wan, 5 * kSecond), Verdict::forward(Action::forward_lan));
  EXPECT_EQ(dst_of(in), kServer);
  auto stale = syn(kRemote, 40001, kOld, 8080);
  EXPECT_EQ(run(engine, stale, Side::wan, 5 * kSecond).action, Action::drop);
}

TEST(Readdress, WithoutAnAddressNothingIsTranslatedUntilOneComes) {
  Engine engine(config(kOld));
  std::size_t removed = 0;
  ASSERT_TRUE(engine.readdress(kOld, kNone, kSecond, removed));
  auto out = udp(kHost, 5000, kRemote, 53);
  const auto original = out;
  const Verdict v = run(engine, out, Side::lan, 2 * kSecond);
  EXPECT_NE(v.action, Action::forward_wan);
  EXPECT_EQ(v.reason, DropReason::no_external_address);
  EXPECT_EQ(out, original);
  EXPECT_EQ(engine.counters().drop(DropReason::no_external_address), 1u);
  EXPECT_FALSE(engine.external_address(kHost));  // NAT-PMP answers "network failure"

  ASSERT_TRUE(engine.readdress(kNone, kNew, 3 * kSecond, removed));
  ASSERT_EQ(run(engine, out, Side::lan, 4 * kSecond), Verdict::forward(Action::forward_wan));
  EXPECT_EQ(src_of(out), kNew);
}

TEST(Readdress, StartsWithoutAnAddress) {
  Engine engine(config(kNone));
  auto out = udp(kHost, 5000, kRemote, 53);
  EXPECT_EQ(run(engine, out, Side::lan, kSecond).reason, DropReason::no_external_address);
  std::size_t removed = 0;
  ASSERT_TRUE(engine.readdress(kNone, kNew, 2 * kSecond, removed));
  ASSERT_EQ(run(engine, out, Side::lan, 3 * kSecond), Verdict::forward(Action::forward_wan));
  EXPECT_EQ(src_of(out), kNew);
}

TEST(Readdress, RefusesAnAddressNotInThePool) {
  Engine engine(config(kOld));
  std::size_t removed = 0;
  EXPECT_FALSE(engine.readdress(kRemote, kNew, kSecond, removed));
  EXPECT_EQ(engine.external_address(kHost), kOld);
}

}  // namespace
}  // namespace masq::nat
