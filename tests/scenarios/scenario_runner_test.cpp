// The harness itself: it must reject broken fixtures with the right line,
// and it must notice every kind of mismatch (a checker that cannot fail
// proves nothing).
#include "scenarios/scenario_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace masq::test {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr std::string_view kConfig = R"(config
  inside = 192.168.77.0/24
  pool = 203.0.113.1
end
)";

std::vector<Failure> run(std::string_view script) {
  return run_scenario(parse_scenario(std::string(kConfig) + std::string(script), "inline"));
}

auto failure(int line, std::string_view text) {
  return AllOf(Field(&Failure::line, line), Field(&Failure::message, HasSubstr(std::string(text))));
}

int error_line(std::string_view text) {
  try {
    parse_scenario(text, "inline");
  } catch (const ScenarioError& e) {
    return e.line();
  }
  return -1;
}

TEST(ScenarioParse, SecondsAreExact) {
  EXPECT_EQ(parse_seconds_ns("0"), 0u);
  EXPECT_EQ(parse_seconds_ns("0.1"), 100'000'000u);
  EXPECT_EQ(parse_seconds_ns("7440.000000001"), 7'440'000'000'001u);
  EXPECT_THROW(parse_seconds_ns("1."), std::runtime_error);
  EXPECT_THROW(parse_seconds_ns("-1"), std::runtime_error);
}

TEST(ScenarioParse, StructureErrorsNameTheirLine) {
  EXPECT_EQ(error_line("config\n  colour = red\nend\n"), 2);
  EXPECT_EQ(error_line("at 0 lan udp 1.1.1.1:1 > 2.2.2.2:2\n"), 1);
  const std::string c(kConfig);
  EXPECT_EQ(
      error_line(c + "at 0 lan udp 1.1.1.1:1 > 2.2.2.2:2\nat 1 lan udp 1.1.1.1:1 > 2.2.2.2:2\n"),
      6);
  EXPECT_EQ(error_line(c + "at 0 lan udp 1.1.1.1:1 > 2.2.2.2:2\n"), 5);
  EXPECT_EQ(error_line(c + "expect drop no_session\n"), 5);
  EXPECT_EQ(error_line(c + "at 5 lan udp 1.1.1.1:1 > 2.2.2.2:2\nexpect drop none\nat 4 lan x\n"),
            7);
  EXPECT_EQ(error_line(c + "frobnicate\n"), 5);
  EXPECT_EQ(error_line(c + "counter bogus = 1\n"), 5);
  EXPECT_EQ(error_line(c + "check $a ~ 3\n"), 5);
  EXPECT_EQ(error_line(c + "at 0 moon udp 1.1.1.1:1 > 2.2.2.2:2\n"), 5);
  EXPECT_EQ(error_line("config\n  inside = 10.0.0.0/8\n"), 2);
}

TEST(ScenarioParse, ConfigBlockFillsEngineConfig) {
  const Scenario s = parse_scenario(R"(config
  inside = 192.168.77.0/24, 10.9.0.0/16
  pool = 203.0.113.1-203.0.113.3, 203.0.113.9
  pool_mode = exclusive
  static 192.168.77.5 <-> 203.0.113.50
  forward udp 203.0.113.1:6000-6009 -> 192.168.77.3:7000
  exclude = 198.18.0.0/15
  timeouts.udp_s = 30
  timeouts.tcp_transitory_s = 20
  max_sessions = 8
  sessions_per_subscriber = 2
  preserve_port = false
  hairpinning = false
  seed = 99
end
)",
                                    "inline");
  const nat::EngineConfig& c = s.config;
  EXPECT_EQ(c.inside.size(), 2u);
  ASSERT_EQ(c.pool.size(), 2u);
  EXPECT_EQ(c.pool[0].last, *net::Ipv4Addr::parse("203.0.113.3"));
  EXPECT_EQ(c.pool[1].first, c.pool[1].last);
  EXPECT_EQ(c.pool_mode, nat::PoolMode::exclusive);
  ASSERT_EQ(c.static_nat.size(), 1u);
  EXPECT_EQ(c.static_nat[0].external, *net::Ipv4Addr::parse("203.0.113.50"));
  ASSERT_EQ(c.forwards.size(), 1u);
  EXPECT_EQ(c.forwards[0].proto, net::Proto::udp);
  EXPECT_EQ(c.forwards[0].external_ports, (nat::PortRange{6000, 6009}));
  EXPECT_EQ(c.forwards[0].internal_port, 7000);
  EXPECT_EQ(c.exclude.size(), 1u);
  EXPECT_EQ(c.timeouts.udp_s, 30u);
  EXPECT_EQ(c.timeouts.tcp_transitory_s, 20u);
  EXPECT_EQ(c.max_sessions, 8u);
  EXPECT_EQ(c.sessions_per_subscriber, 2u);
  EXPECT_FALSE(c.preserve_port);
  EXPECT_FALSE(c.hairpinning);
  EXPECT_EQ(c.seed, 99u);
}

TEST(ScenarioRun, PassesWhenEverythingMatches) {
  EXPECT_THAT(run(R"(
at 0 lan udp 192.168.77.2:5000 > 198.51.100.7:53 len=4
expect wan udp 203.0.113.1:$p > 198.51.100.7:53
at 1 wan udp 198.51.100.7:53 > 203.0.113.1:$p
expect lan udp 198.51.100.7:53 > 192.168.77.2:5000
counter sessions_created = 1
check $p in 1024-65535
)"),
              IsEmpty());
}

TEST(ScenarioRun, CatchesAWrongVerdict) {
  EXPECT_THAT(
      run("at 0 wan udp 198.51.100.7:53 > 203.0.113.1:5000\nexpect lan udp 198.51.100.7:53 > "
          "192.168.77.2:5000\n"),
      ElementsAre(failure(6, "expected lan, got drop")));
  EXPECT_THAT(run("at 0 lan udp 192.168.77.2:5000 > 198.51.100.7:53\nexpect drop no_session\n"),
              ElementsAre(failure(6, "expected drop no_session, got wan")));
}

// Fields the expectation leaves out must come out as they went in (TTL - 1);
// fields it names must match.
TEST(ScenarioRun, CatchesFieldMismatches) {
  EXPECT_THAT(run("at 0 lan udp 192.168.77.2:5000 > 198.51.100.7:53 ttl=9\n"
                  "expect wan udp 203.0.113.1:5000 > 198.51.100.7:54 ttl=9 len=3\n"),
              ElementsAre(failure(6, "ip.total_length"), failure(6, "ip.ttl: expected 9, got 8"),
                          failure(6, "udp.dst_port: expected 54, got 53"), failure(6, "udp.length"),
                          failure(6, "payload: expected")));
}

TEST(ScenarioRun, CapturedValuesMustStayTheSame) {
  EXPECT_THAT(
      run(R"(
at 0 lan udp 192.168.77.2:5000 > 198.51.100.7:53
expect wan udp 203.0.113.1:$p > 198.51.100.7:53
at 1 lan udp 192.168.77.2:5000 > 198.51.100.7:53
expect wan udp 203.0.113.1:$p > 198.51.100.7:$p
check $p != 5000
at 2 wan udp 198.51.100.7:53 > 203.0.113.1:$nope
expect drop no_session
)"),
      ElementsAre(failure(9, "udp.dst_port: expected 5000, got 53"), failure(10, "$p != 5000"),
                  failure(11, "$nope (udp.dst_port) is not bound")));
}

TEST(ScenarioRun, ChecksSetsOfValuesAndRanges) {
  EXPECT_THAT(
      run("check 5 in 1-3,7\ncheck 7 in 1-3,7\ncheck 203.0.113.9 in 203.0.113.1-203.0.113.9\n"),
      ElementsAre(failure(5, "5 = 5 is not in 1-3,7")));
}

TEST(ScenarioRun, CatchesCounterAndConfigProblems) {
  EXPECT_THAT(run("counter in2out = 3\ncounter drop.no_session = 0\n"),
              ElementsAre(failure(5, "counter in2out: expected 3, got 0")));
  EXPECT_THAT(run_scenario(parse_scenario("config\n  inside = 10.0.0.0/8\nend\n", "inline")),
              ElementsAre(failure(1, "config: ")));
}

constexpr std::string_view kRouterConfig = R"(config
  inside = 192.168.77.0/24
  pool = 203.0.113.1
  router.lan = 192.168.77.1/24
  router.wan = 203.0.113.1/24
  router.gateway = 203.0.113.254
  router.neighbours = 192.168.77.2, 203.0.113.254
end
)";

std::vector<Failure> run_router(std::string_view script) {
  return run_scenario(parse_scenario(std::string(kRouterConfig) + std::string(script), "inline"));
}

TEST(RouterScenarioParse, StructureErrorsNameTheirLine) {
  EXPECT_EQ(error_line("config\n  router.lan = 192.168.77.1/24\nend\n"), 3);  // no router.wan
  EXPECT_EQ(error_line("config\n  router.colour = red\nend\n"), 2);
  const std::string c(kRouterConfig);
  // A call needs at least one expect line; 'expect nothing' must be alone.
  EXPECT_EQ(error_line(c + "at 0 lan udp 1.1.1.1:1 > 2.2.2.2:2\nat 1 lan tick\n"), 10);
  EXPECT_EQ(error_line(c + "at 0 lan tick\nexpect nothing\nexpect lan arp x\n"), 11);
  EXPECT_EQ(error_line(c + "at 0 lan tick\nexpect nothing\nand udp 1.1.1.1:1 > 2.2.2.2:2\n"), 11);
  EXPECT_EQ(error_line(c + "counter router.frobs = 1\n"), 9);
  EXPECT_EQ(error_line(std::string(kConfig) + "at 0 lan tick\n"), 5);  // engine mode
}

TEST(RouterScenarioRun, AMatchingCallPasses) {
  EXPECT_THAT(run_router("at 0 lan udp 192.168.77.2:5000 > 198.51.100.7:53\n"
                         "expect wan udp 203.0.113.1:5000 > 198.51.100.7:53 ttl=63\n"
                         "counter router.lan_to_engine = 1\n"),
              IsEmpty());
}

TEST(RouterScenarioRun, EveryKindOfMismatchIsReported) {
  // A field, a missing frame, a frame no line expects, a counter.
  EXPECT_THAT(run_router("at 0 lan udp 192.168.77.2:5000 > 198.51.100.7:53\n"
                         "expect wan udp 203.0.113.1:5000 > 198.51.100.7:53\n"
                         "expect wan udp 203.0.113.1:5000 > 198.51.100.7:53 ttl=63\n"
                         "at 1 lan arp request 192.168.77.2 > 192.168.77.1\n"
                         "expect nothing\n"
                         "counter router.arp_replies_sent = 2\n"),
              ElementsAre(failure(10, "ip.ttl"), failure(11, "none"),
                          failure(12, "unexpected frame out of the lan: arp reply"),
                          failure(14, "expected 2, got 1")));
}

TEST(RouterScenarioRun, AnIpv4ExpectationDoesNotMatchAnArpRequest) {
  // 203.0.113.9 was never learnt: only the ARP request for it leaves.
  EXPECT_THAT(run_router("at 0 lan udp 192.168.77.2:5000 > 203.0.113.9:53\n"
                         "expect wan udp 203.0.113.1:5000 > 203.0.113.9:53 ttl=63\n"),
              ElementsAre(failure(10, "arp request")));
}

}  // namespace
}  // namespace masq::test
