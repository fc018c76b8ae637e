#include "operator_events.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "masqd/log_capture.hpp"

namespace masq::app {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr std::uint64_t kInterval = 10'000;

OperatorEvents events() {
  return OperatorEvents(
      {.table_slots = 100, .next_hop = "203.0.113.254", .interval_ms = kInterval});
}

WorkerState with_sessions(std::uint64_t sessions) {
  WorkerState s;
  s.sessions = sessions;
  return s;
}

TEST(OperatorEvents, ATableNearingFullIsWarnedOnceAndClearedUnder80Percent) {
  testing::LogCapture log;
  auto e = events();
  std::vector<WorkerState> states{with_sessions(50)};
  e.observe(0, states);
  EXPECT_THAT(log.take(), IsEmpty());
  states[0].sessions = 90;
  e.observe(1000, states);
  EXPECT_THAT(log.take(), HasSubstr("warning session table 90% full (90 of 100 sessions)"));
  states[0].sessions = 95;
  e.observe(2000, states);
  states[0].sessions = 85;
  e.observe(3000, states);
  EXPECT_THAT(log.take(), Not(HasSubstr("session table")));
  states[0].sessions = 79;
  e.observe(4000, states);
  EXPECT_THAT(log.take(), HasSubstr("info session table back under 80% (79 of 100 sessions)"));
  // Hovering around the threshold: warned again only an interval later.
  states[0].sessions = 91;
  e.observe(5000, states);
  EXPECT_THAT(log.take(), Not(HasSubstr("full")));
  e.observe(1000 + kInterval, states);
  EXPECT_THAT(log.take(), HasSubstr("session table 91% full"));
}

TEST(OperatorEvents, EachWorkersTableIsItsOwn) {
  testing::LogCapture log;
  auto e = events();
  const std::vector<WorkerState> states{with_sessions(10), with_sessions(99)};
  e.observe(0, states);
  EXPECT_THAT(log.take(), HasSubstr("worker 1's session table 99% full"));
}

TEST(OperatorEvents, QuotaHitsAndAllocationFailuresAreSummedUpOnceAnInterval) {
  testing::LogCapture log;
  auto e = events();
  std::vector<WorkerState> states(2);
  e.observe(0, states);
  const auto hit = [&](std::size_t worker, nat::DropReason r, std::uint64_t n) {
    states[worker].nat.drops[static_cast<std::size_t>(r)] += n;
  };
  hit(0, nat::DropReason::subscriber_sessions, 30);
  hit(1, nat::DropReason::subscriber_sessions, 10);
  hit(1, nat::DropReason::subscriber_rate, 2);
  e.observe(5000, states);
  EXPECT_THAT(log.take(), IsEmpty()) << "not before the interval is over";
  hit(0, nat::DropReason::ports_exhausted, 7);
  e.observe(kInterval, states);
  const std::string text = log.take();
  EXPECT_THAT(text, HasSubstr("warning quota hits in the last 10 s: 42 (subscriber_sessions 40, "
                              "subscriber_rate 2)"));
  EXPECT_THAT(text,
              HasSubstr("warning allocation failures in the last 10 s: 7 (ports_exhausted 7)"));
  // Nothing new: nothing said.
  e.observe(2 * kInterval, states);
  EXPECT_THAT(log.take(), IsEmpty());
}

TEST(OperatorEvents, ArpFailuresNameTheWanNextHop) {
  testing::LogCapture log;
  auto e = events();
  std::vector<WorkerState> states(1);
  e.observe(0, states);
  states[0].router.count(router::DropReason::arp_unresolved);
  states[0].router.count(router::DropReason::arp_unresolved);
  e.observe(kInterval, states);
  EXPECT_THAT(log.take(), HasSubstr("a next hop did not answer ARP: 2 packets dropped in the last "
                                    "10 s (the WAN next hop is 203.0.113.254)"));
}

}  // namespace
}  // namespace masq::app
