#include "masq/config/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/base_toml.hpp"
#include "config/read_toml.hpp"

namespace masq::config {
namespace {

using testing::addr;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::prefix;
using ::testing::StartsWith;

// base_toml() with every [nat] table.
std::string full_file() {
  return testing::base_toml("af_xdp", R"(
[nat]
pool = ["203.0.113.1", "198.51.100.10-198.51.100.20"]
exclude = ["10.99.0.0/16"]
max_sessions = 1024
seed = 7
allow_short_timers = true
[nat.timeouts]
udp_s = 5
[[nat.static]]
internal = "192.168.77.5"
external = "203.0.113.5"
[[nat.forward]]
proto = "tcp"
port = 8080
internal = "192.168.77.3:80"
)");
}

TEST(Load, AFullFileGivesTheExpectedConfig) {
  const auto result = load(full_file(), "m.toml", {});
  ASSERT_THAT(result.errors, IsEmpty());
  ASSERT_TRUE(result.config);
  const auto& c = *result.config;
  EXPECT_EQ(c.lan, (Interface{"lan0", addr("192.168.77.1"), prefix("192.168.77.0/24")}));
  EXPECT_EQ(c.wan, (Interface{"wan0", addr("203.0.113.1"), prefix("203.0.113.0/24")}));
  EXPECT_EQ(c.gateway, addr("203.0.113.254"));
  EXPECT_EQ(c.io, IoBackend::af_xdp);
  EXPECT_FALSE(c.rx_frames);  // the backend's own default
  EXPECT_FALSE(c.tx_frames);
  EXPECT_TRUE(c.tcp_gso);
  EXPECT_EQ(c.control.path, "/run/masq/masq.sock");

  nat::EngineConfig expected;
  expected.inside = {prefix("192.168.77.0/24")};
  expected.pool = {{addr("203.0.113.1"), addr("203.0.113.1")},
                   {addr("198.51.100.10"), addr("198.51.100.20")}};
  expected.exclude = {prefix("10.99.0.0/16")};
  expected.max_sessions = 1024;
  expected.seed = 7;
  expected.timeouts.udp_s = 5;
  expected.static_nat = {{addr("192.168.77.5"), addr("203.0.113.5")}};
  expected.forwards = {
      {net::Proto::tcp, addr("203.0.113.1"), {8080, 8080}, addr("192.168.77.3"), 80}};
  const auto& e = c.engine;
  EXPECT_EQ(e.inside, expected.inside);
  EXPECT_EQ(e.pool, expected.pool);
  EXPECT_EQ(e.pool_mode, expected.pool_mode);
  EXPECT_EQ(e.exclude, expected.exclude);
  EXPECT_EQ(e.static_nat, expected.static_nat);
  EXPECT_EQ(e.forwards, expected.forwards);
  EXPECT_EQ(e.timeouts, expected.timeouts);
  EXPECT_EQ(e.max_sessions, expected.max_sessions);
  EXPECT_EQ(e.max_subscribers, expected.max_subscribers);
  EXPECT_EQ(e.seed, expected.seed);
  EXPECT_EQ(e.preserve_port, expected.preserve_port);
  EXPECT_EQ(e.hairpinning, expected.hairpinning);
}

TEST(Load, FlagsOverrideTheFile) {
  QuickStart flags;
  flags.wan = "eth0=198.51.100.2/24";
  flags.gateway = "198.51.100.1";
  flags.io = "af_packet";
  flags.control = "/tmp/c.sock";
  flags.forwards = {"udp/5000-5001=192.168.77.4:6000"};
  const auto result = load(testing::base_toml("af_xdp", testing::kSshForward), "m.toml", flags);
  ASSERT_THAT(result.errors, IsEmpty());
  const auto& c = *result.config;
  EXPECT_EQ(c.lan.name, "lan0");
  EXPECT_EQ(c.wan, (Interface{"eth0", addr("198.51.100.2"), prefix("198.51.100.0/24")}));
  EXPECT_EQ(c.gateway, addr("198.51.100.1"));
  EXPECT_EQ(c.io, IoBackend::af_packet);
  EXPECT_EQ(c.control.path, "/tmp/c.sock");
  EXPECT_THAT(c.engine.pool,
              ElementsAre(nat::AddressRange{addr("198.51.100.2"), addr("198.51.100.2")}));
  EXPECT_THAT(
      c.engine.forwards,
      ElementsAre(
          nat::PortForward{
              net::Proto::tcp, addr("198.51.100.2"), {22, 22}, addr("192.168.77.2"), 22},
          nat::PortForward{
              net::Proto::udp, addr("198.51.100.2"), {5000, 5001}, addr("192.168.77.4"), 6000}));
}

TEST(Load, TheTranslationLogFlag) {
  QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  flags.wan = "wan0=203.0.113.1/24";
  flags.translation_log = "/tmp/t.log";
  const auto result = load("[log]\ntranslations_keep = 2\n", "m.toml", flags);
  ASSERT_THAT(result.errors, IsEmpty());
  EXPECT_EQ(result.config->log.translations, "/tmp/t.log");
  EXPECT_EQ(result.config->log.translations_keep, 2u);
  flags.translation_log = "relative.log";
  EXPECT_THAT(load(std::nullopt, "command line", flags).errors,
              ElementsAre(HasSubstr("--translation-log")));
}

TEST(Load, FlagsAloneAreEnough) {
  QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  flags.wan = "wan0=203.0.113.1/24";
  flags.forwards = {"tcp/8080=192.168.77.3:8080"};
  const auto result = load(std::nullopt, "command line", flags);
  ASSERT_THAT(result.errors, IsEmpty());
  EXPECT_THAT(result.config->engine.inside, ElementsAre(prefix("192.168.77.0/24")));
  EXPECT_EQ(result.config->engine.forwards.at(0).external_addr, addr("203.0.113.1"));
}

TEST(Load, TheWanMayTakeItsAddressByDhcp) {
  QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  flags.wan = "wan0=dhcp";
  flags.forwards = {"tcp/8080=192.168.77.3:8080"};
  const auto result = load(std::nullopt, "command line", flags);
  ASSERT_THAT(result.errors, IsEmpty());
  const Config& c = *result.config;
  EXPECT_TRUE(c.wan.dhcp);
  EXPECT_TRUE(c.wan.address.is_unspecified());
  EXPECT_EQ(c.wan.prefix.length(), 32);
  // The pool and the forward sit on the address to come (Engine::readdress()).
  EXPECT_THAT(c.engine.pool, ElementsAre(nat::AddressRange{addr("0.0.0.0"), addr("0.0.0.0")}));
  EXPECT_TRUE(c.engine.forwards.at(0).external_addr.is_unspecified());
}

TEST(Load, DhcpOnTheWanRefusesAGatewayAPoolAndTheLan) {
  QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  flags.wan = "wan0=dhcp";
  flags.gateway = "203.0.113.254";
  const auto gateway = load(std::nullopt, "command line", flags);
  EXPECT_THAT(gateway.errors, ElementsAre(HasSubstr("gateway comes from its DHCP lease")));

  const auto pool = load(std::string_view(R"(
[lan]
name = "lan0"
address = "192.168.77.1/24"
[wan]
name = "wan0"
address = "dhcp"
[nat]
pool = ["203.0.113.5"]
)"),
                         "m.toml", {});
  EXPECT_THAT(pool.errors, ElementsAre(HasSubstr("the pool is that address")));

  QuickStart lan;
  lan.lan = "lan0=dhcp";
  lan.wan = "wan0=203.0.113.1/24";
  EXPECT_THAT(load(std::nullopt, "command line", lan).errors,
              ElementsAre(HasSubstr("bad address")));
}

TEST(Load, RouterKeysDefaultToLinuxsIcmpLimits) {
  const auto result = load(testing::base_toml("af_packet"), "m.toml", {});
  ASSERT_THAT(result.errors, IsEmpty());
  EXPECT_EQ(result.config->router, RouterOptions{});
  EXPECT_FALSE(result.config->router.allow_source_route);
  EXPECT_EQ(result.config->router.icmp.rate_per_s, 1000u);
  EXPECT_EQ(result.config->router.icmp.burst, 50u);
}

TEST(Load, ReadsTheRouterTable) {
  const auto result = load(testing::base_toml("af_packet", R"(
[router]
allow_source_route = true
[router.icmp]
rate_per_s = 200
burst = 20
per_host_rate_per_s = 0
per_host_burst = 3
)"),
                           "m.toml", {});
  ASSERT_THAT(result.errors, IsEmpty());
  const RouterOptions& r = result.config->router;
  EXPECT_TRUE(r.allow_source_route);
  EXPECT_EQ(r.icmp,
            (router::IcmpRateLimit{
                .rate_per_s = 200, .burst = 20, .per_host_rate_per_s = 0, .per_host_burst = 3}));
}

TEST(Load, RouterIcmpErrorsNameTheKey) {
  const auto result = load(testing::base_toml("af_packet", R"(
[router.icmp]
rate_per_s = 2000000
burst = 0
per_host = 1
)"),
                           "m.toml", {});
  EXPECT_FALSE(result.config);
  EXPECT_THAT(result.errors,
              ElementsAre(StartsWith("m.toml:17: router.icmp.rate_per_s:"),
                          StartsWith("m.toml:18: router.icmp.burst:"),
                          StartsWith("m.toml:19: router.icmp.per_host: unknown key")));
}

TEST(Load, CollectsErrorsFromTheFileTheFlagsAndTheMerge) {
  QuickStart flags;
  flags.forwards = {"tcp/80x=192.168.77.3:8080"};
  const auto result = load("[nat]\npool_mod = \"overload\"\n", "m.toml", flags);
  EXPECT_FALSE(result.config);
  EXPECT_THAT(
      result.errors,
      ElementsAre(StartsWith("m.toml:2: nat.pool_mod: unknown key"),
                  "--forward tcp/80x=192.168.77.3:8080: bad port '80x'",
                  "m.toml: lan: missing; set [lan] name and address, or --lan NAME=ADDR/LEN",
                  "m.toml: wan: missing; set [wan] name and address, or --wan NAME=ADDR/LEN"));
}

TEST(Load, ASyntaxErrorIsTheOnlyError) {
  QuickStart flags;
  flags.io = "netmap";
  const auto result = load("[lan\n", "m.toml", flags);
  EXPECT_FALSE(result.config);
  EXPECT_THAT(result.errors, ElementsAre(StartsWith("m.toml:1: syntax error: ")));
}

TEST(Load, AppendsTheEngineValidation) {
  QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  flags.wan = "wan0=203.0.113.1/24";
  flags.forwards = {"tcp/8080=10.9.9.9:8080"};
  const auto result = load(std::nullopt, "command line", flags);
  EXPECT_FALSE(result.config);
  // The engine's complaint points at the flag that set the forward.
  EXPECT_THAT(result.errors, ElementsAre("--forward tcp/8080=10.9.9.9:8080: internal address "
                                         "10.9.9.9 is not inside"));
}

TEST(Load, TheEngineValidationNamesTheFileLine) {
  // base_toml()'s [control] table ends on line 14; [nat] starts on 16.
  const std::string text = testing::base_toml("af_xdp", R"(
[nat]
pool = ["203.0.113.1", "203.0.113.5"]

[[nat.static]]
internal = "192.168.77.20"
external = "203.0.113.5"

[[nat.static]]
internal = "192.168.77.20"
external = "203.0.113.6"

[[nat.forward]]
proto = "tcp"
port = 80
internal = "10.9.9.9:80"
)");
  const auto result = load(text, "m.toml", {});
  EXPECT_FALSE(result.config);
  EXPECT_THAT(result.errors,
              ElementsAre("m.toml:19: nat.static[0]: external address 203.0.113.5 is also in the "
                          "pool",
                          "m.toml:23: nat.static[1]: internal address repeats static_nat[0]",
                          "m.toml:27: nat.forward[0]: internal address 10.9.9.9 is not inside"));
}

TEST(Load, FilteringWiderThanMappingNamesItsTable) {
  // [nat] starts on line 16 (as above), [nat.udp] on 18.
  const std::string text = testing::base_toml("af_xdp", R"(
[nat]

[nat.udp]
mapping = "apdm"
)");
  const auto result = load(text, "m.toml", {});
  EXPECT_FALSE(result.config);
  EXPECT_THAT(
      result.errors,
      ElementsAre("m.toml:18: nat.udp: filtering must be at least as dependent as mapping"));
}

TEST(Load, SkipsTheEngineValidationWhenEarlierStepsFailed) {
  QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  flags.wan = "wan0=203.0.113.1/24";
  flags.forwards = {"tcp/8080=10.9.9.9:8080"};
  flags.io = "netmap";
  const auto result = load(std::nullopt, "command line", flags);
  EXPECT_THAT(result.errors, ElementsAre(StartsWith("--io netmap: ")));
}

TEST(LoadFile, TheShippedExampleLoadsWithoutErrors) {
  const char* source_dir = std::getenv("MASQ_SOURCE_DIR");  // set by masq_test()
  ASSERT_NE(source_dir, nullptr) << "run through ctest, or set MASQ_SOURCE_DIR";
  const auto result = load_file(std::filesystem::path(source_dir) / "examples" / "masq.toml", {});
  EXPECT_THAT(result.errors, IsEmpty());
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->lan.name, "lan0");
  EXPECT_EQ(result.config->engine.forwards.size(), 2u);
}

TEST(LoadFile, NamesTheFileInErrors) {
  const auto path = std::filesystem::temp_directory_path() / "masq_config_test_bad.toml";
  std::ofstream(path) << "[lan]\nname = \"lan0\"\n";
  const auto result = load_file(path, {});
  std::filesystem::remove(path);
  EXPECT_THAT(
      result.errors,
      ElementsAre(
          path.string() + ":1: lan.address: missing",
          path.string() + ": wan: missing; set [wan] name and address, or --wan NAME=ADDR/LEN"));
}

TEST(LoadFile, AMissingFileIsOneError) {
  const auto result = load_file(std::filesystem::path("/nonexistent/masq.toml"), {});
  EXPECT_THAT(result.errors,
              ElementsAre("/nonexistent/masq.toml: cannot open: No such file or directory"));
}

TEST(LoadFile, ADirectoryIsNotAFile) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto result = load_file(dir, {});
  EXPECT_THAT(result.errors, ElementsAre(StartsWith(dir.string() + ": cannot open: ")));
}

TEST(LoadFile, NoFileMeansFlagsOnly) {
  QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  const auto result = load_file(std::nullopt, flags);
  EXPECT_THAT(
      result.errors,
      ElementsAre(
          "command line: wan: missing; set [wan] name and address, or --wan NAME=ADDR/LEN"));
}

}  // namespace
}  // namespace masq::config
