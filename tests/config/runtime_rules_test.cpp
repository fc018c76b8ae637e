#include "masq/config/runtime_rules.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/base_toml.hpp"

namespace masq::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const net::Ipv4Addr kWan = net::Ipv4Addr::from_octets(203, 0, 113, 1);

Config loaded(std::string_view nat = {}) {
  auto r = load(testing::base_toml("af_packet", nat), "masq.toml", {});
  EXPECT_THAT(r.errors, IsEmpty());
  return *r.config;
}

TEST(RuntimeRules, AForwardTakesTheWanAddressUnlessItNamesOne) {
  const auto plain = parse_forward("tcp/8080=192.168.77.3:80", kWan);
  ASSERT_TRUE(plain.forward) << plain.error;
  EXPECT_EQ(
      *plain.forward,
      (nat::PortForward{
          net::Proto::tcp, kWan, {8080, 8080}, net::Ipv4Addr::from_octets(192, 168, 77, 3), 80}));
  const auto named = parse_forward("udp/198.51.100.7:5000-5010=192.168.77.3:6000", kWan);
  ASSERT_TRUE(named.forward) << named.error;
  EXPECT_EQ(named.forward->external_addr, net::Ipv4Addr::from_octets(198, 51, 100, 7));
  EXPECT_EQ(to_text(*named.forward), "udp/198.51.100.7:5000-5010=192.168.77.3:6000");
  // What a listing prints is read back as the same rule.
  EXPECT_EQ(parse_forward(to_text(*plain.forward), net::Ipv4Addr{}).forward, plain.forward);
}

TEST(RuntimeRules, BadRulesSayWhatIsWanted) {
  EXPECT_THAT(parse_forward("tcp:8080", kWan).error,
              HasSubstr("want PROTO/[ADDR:]PORTS=ADDR:PORT"));
  EXPECT_THAT(parse_forward("icmp/1=192.168.77.3:1", kWan).error, HasSubstr("icmp"));
  EXPECT_THAT(parse_forward("tcp/1.2.3:80=192.168.77.3:80", kWan).error, HasSubstr("1.2.3"));
  EXPECT_THAT(parse_static("192.168.77.9").error, HasSubstr("want INTERNAL=EXTERNAL"));
  EXPECT_THAT(parse_static("192.168.77.9=nowhere").error, HasSubstr("nowhere"));
  const auto ok = parse_static("192.168.77.9=203.0.113.9");
  ASSERT_TRUE(ok.rule);
  EXPECT_EQ(to_text(*ok.rule), "192.168.77.9=203.0.113.9");
}

TEST(RuntimeRules, EngineErrorsNameTheRuleByItsText) {
  nat::EngineConfig engine = loaded().engine;
  engine.forwards.push_back(*parse_forward("tcp/8080=10.9.9.9:80", kWan).forward);
  EXPECT_THAT(engine_errors(engine),
              ElementsAre("forward tcp/203.0.113.1:8080=10.9.9.9:80: internal address 10.9.9.9 "
                          "is not inside"));
}

TEST(RuntimeRules, ARestartOnlyChangeIsNamed) {
  const Config running = loaded();
  EXPECT_THAT(restart_only_changes(running, running), IsEmpty());
  // Forwards, static rules and timeouts a reload applies.
  Config next = loaded(R"(
[nat]
[nat.timeouts]
udp_s = 600
[[nat.static]]
internal = "192.168.77.5"
external = "203.0.113.5"
[[nat.forward]]
proto = "tcp"
port = 8080
internal = "192.168.77.3:80"
)");
  EXPECT_THAT(restart_only_changes(running, next), IsEmpty());
  next.pcp.enabled = true;
  next.engine.max_sessions *= 2;
  next.workers = 3;
  EXPECT_THAT(restart_only_changes(running, next), ElementsAre("[io]", "[pcp]", "max_sessions"));
}

}  // namespace
}  // namespace masq::config
