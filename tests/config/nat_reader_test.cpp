#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/read_toml.hpp"
#include "config/toml_reader.hpp"

namespace masq::config {
namespace {

using testing::addr;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::prefix;
using testing::read;

// A [nat.timeouts] table setting all five timers: udp_s on line 2, then
// icmp_s, tcp_established_s, tcp_opening_s and tcp_transitory_s.
std::string timeouts_table(const nat::Timeouts& t) {
  return "[nat.timeouts]\nudp_s = " + std::to_string(t.udp_s) +
         "\nicmp_s = " + std::to_string(t.icmp_s) +
         "\ntcp_established_s = " + std::to_string(t.tcp_established_s) +
         "\ntcp_opening_s = " + std::to_string(t.tcp_opening_s) +
         "\ntcp_transitory_s = " + std::to_string(t.tcp_transitory_s) + "\n";
}

TEST(ReadNat, ReadsEveryKey) {
  const auto r = read(R"([nat]
inside = ["192.168.77.0/24", "10.1.0.0/16"]
pool = ["203.0.113.1", "198.51.100.10-198.51.100.20", "198.51.100.64/30"]
pool_mode = "exclusive"
exclude = ["10.99.0.0/16"]
max_sessions = 1000
max_subscribers = 100
sessions_per_subscriber = 50
ports_per_subscriber = 40
preserve_port = false
port_parity = true
port_probe_limit = 16
hairpinning = false
port_reuse_delay_s = 0
udp_inbound_refresh = false
expiry_scan_per_batch = 8
reclaim_scan_limit = 32
seed = 1234567890123
accounting = true

[nat.timeouts]
udp_s = 600
icmp_s = 90
tcp_established_s = 86400
tcp_opening_s = 300
tcp_transitory_s = 250

[[nat.static]]
internal = "192.168.77.5"
external = "203.0.113.5"

[[nat.forward]]
proto = "tcp"
external = "203.0.113.1"
port = 8080
internal = "192.168.77.3:80"

[[nat.forward]]
proto = "udp"
port = "5000-5010"
internal = "192.168.77.3:6000"
)");
  EXPECT_THAT(r.errors, IsEmpty());
  const auto& e = r.draft.engine;
  EXPECT_THAT(e.inside, ElementsAre(prefix("192.168.77.0/24"), prefix("10.1.0.0/16")));
  EXPECT_THAT(e.pool, ElementsAre(nat::AddressRange{addr("203.0.113.1"), addr("203.0.113.1")},
                                  nat::AddressRange{addr("198.51.100.10"), addr("198.51.100.20")},
                                  nat::AddressRange{addr("198.51.100.64"), addr("198.51.100.67")}));
  EXPECT_EQ(e.pool_mode, nat::PoolMode::exclusive);
  EXPECT_THAT(e.exclude, ElementsAre(prefix("10.99.0.0/16")));
  EXPECT_EQ(e.max_sessions, 1000u);
  EXPECT_EQ(e.max_subscribers, 100u);
  EXPECT_EQ(e.sessions_per_subscriber, 50u);
  EXPECT_EQ(e.ports_per_subscriber, 40u);
  EXPECT_FALSE(e.preserve_port);
  EXPECT_TRUE(e.port_parity);
  EXPECT_EQ(e.port_probe_limit, 16u);
  EXPECT_FALSE(e.hairpinning);
  EXPECT_EQ(e.port_reuse_delay_s, 0u);
  EXPECT_FALSE(e.udp_inbound_refresh);
  EXPECT_EQ(e.expiry_scan_per_batch, 8u);
  EXPECT_EQ(e.reclaim_scan_limit, 32u);
  EXPECT_EQ(e.seed, 1234567890123u);
  EXPECT_TRUE(e.accounting);
  EXPECT_EQ(e.timeouts, (nat::Timeouts{600, 90, 86400, 300, 250}));
  EXPECT_THAT(e.static_nat, ElementsAre(nat::StaticNat{addr("192.168.77.5"), addr("203.0.113.5")}));
  ASSERT_EQ(r.draft.forwards.size(), 2u);
  EXPECT_TRUE(r.draft.forwards[0].external_given);
  EXPECT_EQ(r.draft.forwards[0].forward,
            (nat::PortForward{
                net::Proto::tcp, addr("203.0.113.1"), {8080, 8080}, addr("192.168.77.3"), 80}));
  EXPECT_FALSE(r.draft.forwards[1].external_given);
  EXPECT_EQ(r.draft.forwards[1].forward,
            (nat::PortForward{net::Proto::udp, {}, {5000, 5010}, addr("192.168.77.3"), 6000}));
}

TEST(ReadNat, AbsentKeysKeepTheEngineDefaults) {
  const auto r = read("[nat]\n");
  EXPECT_THAT(r.errors, IsEmpty());
  const nat::EngineConfig defaults;
  const auto& e = r.draft.engine;
  EXPECT_THAT(e.inside, IsEmpty());
  EXPECT_THAT(e.pool, IsEmpty());
  EXPECT_EQ(e.timeouts, defaults.timeouts);
  EXPECT_EQ(e.max_sessions, defaults.max_sessions);
  EXPECT_EQ(e.preserve_port, defaults.preserve_port);
  EXPECT_EQ(e.seed, defaults.seed);
}

TEST(ReadNat, BadListEntriesAreReportedOneByOne) {
  const auto r = read(R"([nat]
inside = ["192.168.77.1/24"]
pool = ["203.0.113.1",
        "198.51.100.20-198.51.100.10",
        "198.51.100"]
exclude = "10.99.0.0/16"
pool_mode = "shared"
)");
  EXPECT_THAT(
      r.errors,
      ElementsAre(
          "masq.toml:2: nat.inside[0]: host bits set in '192.168.77.1/24' (did you mean "
          "192.168.77.0/24?)",
          "masq.toml:4: nat.pool[1]: bad range '198.51.100.20-198.51.100.10' (first address after "
          "last)",
          "masq.toml:5: nat.pool[2]: bad address '198.51.100'",
          "masq.toml:6: nat.exclude: expected an array of strings, got string",
          "masq.toml:7: nat.pool_mode: bad pool mode 'shared' (want overload or exclusive)"));
  EXPECT_THAT(r.draft.engine.pool,
              ElementsAre(nat::AddressRange{addr("203.0.113.1"), addr("203.0.113.1")}));
}

TEST(ReadNat, NumbersMustFitTheirFields) {
  const auto r = read(R"([nat]
max_sessions = 16777215
max_subscribers = 0
sessions_per_subscriber = 4294967296
ports_per_subscriber = -1
seed = -5
hairpinning = 1
[nat.timeouts]
udp_s = 4294967296
)");
  EXPECT_THAT(r.errors,
              ElementsAre("masq.toml:2: nat.max_sessions: must be at most 16777214",
                          "masq.toml:3: nat.max_subscribers: must be at least 1",
                          "masq.toml:4: nat.sessions_per_subscriber: must be at most 4294967295",
                          "masq.toml:5: nat.ports_per_subscriber: must be at least 0",
                          "masq.toml:6: nat.seed: must be at least 0",
                          "masq.toml:7: nat.hairpinning: expected a boolean, got integer",
                          "masq.toml:9: nat.timeouts.udp_s: must be at most 4294967295"));
  EXPECT_EQ(r.draft.engine.max_sessions, nat::EngineConfig{}.max_sessions);
}

TEST(ReadNat, TimersBelowTheRfcMinimumsAreRefused) {
  const auto r = read(timeouts_table({119, 59, 7439, 239, 239}));
  EXPECT_THAT(
      r.errors,
      ElementsAre(
          "masq.toml:2: nat.timeouts.udp_s: must be at least 120 (RFC 4787 REQ-5)",
          "masq.toml:3: nat.timeouts.icmp_s: must be at least 60 (RFC 5508 REQ-2)",
          "masq.toml:4: nat.timeouts.tcp_established_s: must be at least 7440 (RFC 5382 REQ-5)",
          "masq.toml:5: nat.timeouts.tcp_opening_s: must be at least 240 (RFC 5382 REQ-5)",
          "masq.toml:6: nat.timeouts.tcp_transitory_s: must be at least 240 (RFC 5382 REQ-5)"));
  EXPECT_EQ(r.draft.engine.timeouts, nat::Timeouts{});
}

TEST(ReadNat, TimersAtTheRfcMinimumsAreAccepted) {
  const nat::Timeouts minimums{120, 60, 7440, 240, 240};
  const auto r = read(timeouts_table(minimums));
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.draft.engine.timeouts, minimums);
}

TEST(ReadNat, AllowShortTimersLiftsTheMinimumsButNotZero) {
  const auto r = read("[nat]\nallow_short_timers = true\n" + timeouts_table({2, 1, 5, 3, 0}));
  EXPECT_THAT(r.errors,
              ElementsAre("masq.toml:8: nat.timeouts.tcp_transitory_s: must be at least 1"));
  EXPECT_EQ(r.draft.engine.timeouts, (nat::Timeouts{2, 1, 5, 3, 240}));
}

TEST(ReadNat, StaticEntriesNeedBothAddresses) {
  const auto r = read(R"([[nat.static]]
internal = "192.168.77.5"
[[nat.static]]
internal = "192.168.77.6"
external = "203.0.113"
extrenal = "203.0.113.6"
)");
  EXPECT_THAT(
      r.errors,
      ElementsAre(
          "masq.toml:1: nat.static[0].external: missing",
          "masq.toml:5: nat.static[1].external: bad address '203.0.113'",
          "masq.toml:6: nat.static[1].extrenal: unknown key (known here: internal, external)"));
  EXPECT_THAT(r.draft.engine.static_nat, IsEmpty());
}

TEST(ReadNat, ForwardErrorsNameTheEntryAndKey) {
  const auto r = read(R"([[nat.forward]]
proto = "icmp"
port = 8080
internal = "192.168.77.3:80"
[[nat.forward]]
proto = "tcp"
port = "80x"
internal = "192.168.77.3"
[[nat.forward]]
proto = "udp"
port = 0
external = "203.0.113"
[[nat.forward]]
proto = "udp"
port = "65530-65535"
internal = "192.168.77.3:65531"
[[nat.forward]]
proto = "tcp"
port = 1.5
internal = "192.168.77.3:80"
)");
  EXPECT_THAT(
      r.errors,
      ElementsAre(
          "masq.toml:2: nat.forward[0].proto: bad protocol 'icmp' (want tcp or udp)",
          "masq.toml:7: nat.forward[1].port: bad port '80x'",
          "masq.toml:8: nat.forward[1].internal: bad endpoint '192.168.77.3' (want ADDR:PORT)",
          "masq.toml:12: nat.forward[2].external: bad address '203.0.113'",
          "masq.toml:11: nat.forward[2].port: must be at least 1",
          "masq.toml:9: nat.forward[2].internal: missing",
          "masq.toml:16: nat.forward[3].internal: internal ports 65531..65536 run past 65535",
          "masq.toml:19: nat.forward[4].port: expected a port number or a \"FIRST-LAST\" string, "
          "got floating-point number"));
  EXPECT_THAT(r.draft.forwards, IsEmpty());
}

TEST(ReadNat, ForwardPortIsRequired) {
  const auto r = read("[[nat.forward]]\nproto = \"tcp\"\ninternal = \"192.168.77.3:80\"\n");
  EXPECT_THAT(r.errors, ElementsAre("masq.toml:1: nat.forward[0].port: missing"));
}

TEST(ReadNat, UnknownNatKeysAreErrors) {
  const auto r = read("[nat]\nhairpining = true\n[nat.timeouts]\ntcp_s = 300\n");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_THAT(
      r.errors[0],
      ::testing::StartsWith("masq.toml:4: nat.timeouts.tcp_s: unknown key (known here: udp_s, "));
  EXPECT_THAT(r.errors[1], ::testing::StartsWith(
                               "masq.toml:2: nat.hairpining: unknown key (known here: inside, "));
}

TEST(ReadNat, ReadsMappingAndFilteringPerProtocol) {
  const auto r = read(R"([nat.udp]
mapping = "adm"
filtering = "apdf"
[nat.tcp]
filtering = "eif"
[nat.icmp]
mapping = "apdm"
filtering = "apdf"
)");
  EXPECT_THAT(r.errors, IsEmpty());
  const auto& b = r.draft.engine.behaviour;
  EXPECT_EQ(b.udp, (nat::Behaviour{nat::Dependence::address, nat::Dependence::address_and_port}));
  // An absent key keeps its default: TCP stays EIM.
  EXPECT_EQ(b.tcp, (nat::Behaviour{nat::Dependence::independent, nat::Dependence::independent}));
  EXPECT_EQ(b.icmp,
            (nat::Behaviour{nat::Dependence::address_and_port, nat::Dependence::address_and_port}));
}

TEST(ReadNat, BadMappingAndFilteringNamesAreReported) {
  const auto r = read(R"([nat.udp]
mapping = "eif"
filtering = "full-cone"
port = 1
)");
  EXPECT_THAT(
      r.errors,
      ElementsAre("masq.toml:2: nat.udp.mapping: bad mapping 'eif' (want eim, adm or apdm)",
                  "masq.toml:3: nat.udp.filtering: bad filtering 'full-cone' (want eif, "
                  "adf or apdf)",
                  "masq.toml:4: nat.udp.port: unknown key (known here: mapping, filtering)"));
}

}  // namespace
}  // namespace masq::config
