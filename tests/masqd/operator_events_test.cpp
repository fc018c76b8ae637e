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

TEST(OperatorEvents, QuotaHitsNameTheSubscribersHoldingTheMostPorts) {
  testing::LogCapture log;
  auto e = events();
  std::vector<WorkerState> states(2);
  e.observe(0, states);
  const auto host = [](std::uint8_t last, std::uint32_t sessions, std::uint32_t mappings) {
    return nat::SubscriberUse{net::Ipv4Addr::from_octets(192, 168, 1, last), sessions, mappings};
  };
  states[0].busiest = {host(7, 250, 240), host(8, 20, 10)};
  states[1].busiest = {host(9, 300, 100), host(10, 5, 5)};
  states[1].nat.drops[static_cast<std::size_t>(nat::DropReason::subscriber_ports)] = 4;
  e.observe(kInterval, states);
  const std::string text = log.take();
  EXPECT_THAT(text,
              HasSubstr("quota hits in the last 10 s: 4 (subscriber_ports 4): new sessions of "
                        "hosts over their quota refused; holding the most ports: 192.168.1.7 "
                        "(240 ports, 250 sessions), 192.168.1.9 (100 ports, 300 sessions), "
                        "192.168.1.8 (10 ports, 20 sessions)"));
  EXPECT_THAT(text, Not(HasSubstr("192.168.1.10")));  // three at most
}

WorkerState with_ports(std::uint32_t udp_mappings, std::uint32_t ports) {
  WorkerState s;
  const auto addr = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  s.address_use = {{addr, net::Proto::tcp, 0, ports}, {addr, net::Proto::udp, udp_mappings, ports}};
  return s;
}

TEST(OperatorEvents, AnAddressNearingFullIsWarnedOnceAndClearedUnder80Percent) {
  testing::LogCapture log;
  auto e = events();
  // Two workers, each with its half of the ports: the address is their sum.
  std::vector<WorkerState> states{with_ports(400, 500), with_ports(400, 500)};
  e.observe(0, states);
  EXPECT_THAT(log.take(), IsEmpty());
  states[1] = with_ports(500, 500);
  e.observe(1000, states);
  EXPECT_THAT(log.take(), HasSubstr("warning external address 203.0.113.1: 90% of its udp ports "
                                    "in use (900 of 1000): new udp flows will be refused when "
                                    "none is left"));
  e.observe(2000, states);
  states[0] = with_ports(350, 500);
  e.observe(3000, states);
  EXPECT_THAT(log.take(), Not(HasSubstr("external address")));
  states[0] = with_ports(299, 500);
  e.observe(4000, states);
  EXPECT_THAT(log.take(), HasSubstr("info external address 203.0.113.1: back under 80% of its "
                                    "udp ports in use (799 of 1000)"));
  // Hovering around the threshold: warned again only an interval later.
  states[0] = with_ports(450, 500);
  e.observe(5000, states);
  EXPECT_THAT(log.take(), Not(HasSubstr("external address")));
  e.observe(1000 + kInterval, states);
  EXPECT_THAT(log.take(), HasSubstr("external address 203.0.113.1: 95% of its udp ports"));
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
