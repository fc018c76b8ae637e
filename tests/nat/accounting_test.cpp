// Per-session accounting (EngineConfig::accounting): packets and bytes in
// each direction, first packets and hairpinned ones included, zero for a
// new session in a reused slot, absent when off. Through the public API.
#include <gtest/gtest.h>

#include <vector>

#include "engine_harness.hpp"
#include "masq/nat/engine.hpp"
#include "support/checksum_oracle.hpp"

namespace masq::nat {
namespace {

using namespace harness;
using net::Ipv4Addr;
constexpr std::uint64_t kUdpBytes = 20 + 8 + 5;  // harness::udp()'s packets

EngineConfig config(bool accounting = true) {
  EngineConfig cfg = small_config();
  cfg.accounting = accounting;
  return cfg;
}

std::vector<SessionView> sessions(const Engine& e, std::uint64_t now) {
  std::vector<SessionView> out;
  e.for_each_session([&](const SessionView& v) { out.push_back(v); }, now);
  return out;
}

Verdict send(Engine& e, std::vector<std::uint8_t> pkt, Side side, std::uint64_t now) {
  const Verdict v = run(e, pkt, side, now);
  EXPECT_TRUE(test::checksum_problems(pkt).empty());
  return v;
}

TEST(Accounting, OffByDefault) {
  EXPECT_FALSE(EngineConfig{}.accounting);
  Engine engine(config(false));
  ASSERT_EQ(send(engine, udp(kHostA, 5000, kServer, 53), Side::lan, kSecond).action,
            Action::forward_wan);
  const auto views = sessions(engine, kSecond);
  ASSERT_EQ(views.size(), 1u);
  EXPECT_FALSE(views[0].counts.has_value());
  EXPECT_LT(engine.memory_bytes(), Engine(config(true)).memory_bytes());
}

TEST(Accounting, CountsEachDirectionFromTheFirstPacket) {
  Engine engine(config());
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(send(engine, udp(kHostA, 5000, kServer, 53), Side::lan, kSecond).action,
              Action::forward_wan);
  }
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(send(engine, udp(kServer, 53, kPublic, 5000), Side::wan, kSecond).action,
              Action::forward_lan);
  }
  // Refused packets count nowhere.
  ASSERT_EQ(send(engine, udp(kServer, 53, kPublic, 5001), Side::wan, kSecond).action, Action::drop);
  const auto views = sessions(engine, kSecond);
  ASSERT_EQ(views.size(), 1u);
  ASSERT_TRUE(views[0].counts.has_value());
  EXPECT_EQ(*views[0].counts, (FlowCounts{{3, 3 * kUdpBytes}, {2, 2 * kUdpBytes}}));
}

TEST(Accounting, ANewSessionInAReusedSlotStartsFromZero) {
  EngineConfig cfg = config();
  cfg.max_sessions = 1;
  Engine engine(cfg);
  ASSERT_EQ(send(engine, udp(kHostA, 5000, kServer, 53), Side::lan, kSecond).action,
            Action::forward_wan);
  ASSERT_EQ(send(engine, udp(kServer, 53, kPublic, 5000), Side::wan, kSecond).action,
            Action::forward_lan);
  std::size_t removed = 0;
  engine.remove_sessions_from(
      0, 1, [](const SessionView&) { return true; }, kSecond, removed);
  ASSERT_EQ(removed, 1u);
  ASSERT_EQ(send(engine, udp(kHostB, 6000, kServer, 53), Side::lan, kSecond).action,
            Action::forward_wan);
  const auto views = sessions(engine, kSecond);
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].internal_addr, kHostB);
  EXPECT_EQ(*views[0].counts, (FlowCounts{{1, kUdpBytes}, {0, 0}}));
}

TEST(Accounting, AHairpinnedPacketCountsOnBothItsSessions) {
  Engine engine(config());
  ASSERT_EQ(send(engine, udp(kHostA, 4000, kServer, 53), Side::lan, kSecond).action,
            Action::forward_wan);
  // B's packet to A's external endpoint leaves through B's new session
  // and comes in through a new session of A's mapping (UDP EIF).
  ASSERT_EQ(send(engine, udp(kHostB, 5000, kPublic, 4000), Side::lan, kSecond).action,
            Action::hairpin);
  ASSERT_EQ(send(engine, udp(kHostB, 5000, kPublic, 4000), Side::lan, kSecond).action,
            Action::hairpin);
  std::size_t seen = 0;
  for (const SessionView& v : sessions(engine, kSecond)) {
    ASSERT_TRUE(v.counts.has_value());
    if (v.internal_addr == kHostA && v.remote_addr == kServer) {
      EXPECT_EQ(*v.counts, (FlowCounts{{1, kUdpBytes}, {0, 0}}));
    } else if (v.internal_addr == kHostA) {
      EXPECT_EQ(*v.counts, (FlowCounts{{0, 0}, {2, 2 * kUdpBytes}}));
    } else {
      EXPECT_EQ(*v.counts, (FlowCounts{{2, 2 * kUdpBytes}, {0, 0}}));
    }
    ++seen;
  }
  EXPECT_EQ(seen, 3u);
}

}  // namespace
}  // namespace masq::nat
