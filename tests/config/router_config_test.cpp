#include "masq/config/router_config.hpp"

#include <gtest/gtest.h>

namespace masq::config {
namespace {

using net::Ipv4Addr;

Config two_sides() {
  QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  flags.wan = "wan0=203.0.113.1/24";
  flags.gateway = "203.0.113.254";
  flags.forwards = {"tcp/8080=192.168.77.3:8080"};
  const LoadResult loaded = load(std::nullopt, "command line", flags);
  EXPECT_TRUE(loaded.errors.empty());
  return loaded.config.value_or(Config{});
}

const Link kLan{{0x02, 0, 0, 0, 0, 1}, 1500};
const Link kWan{{0x02, 0, 0, 0, 0, 2}, 9000};

TEST(RouterConfig, TakesAddressesFromTheConfigAndMacsAndMtusFromTheLinks) {
  const router::RouterConfig rc = router_config(two_sides(), kLan, kWan);
  EXPECT_EQ(rc.lan.mac, router::MacAddr(kLan.mac));
  EXPECT_EQ(rc.wan.mac, router::MacAddr(kWan.mac));
  EXPECT_EQ(rc.lan.address, Ipv4Addr::from_octets(192, 168, 77, 1));
  EXPECT_EQ(rc.wan.prefix.to_string(), "203.0.113.0/24");
  EXPECT_EQ(rc.lan.mtu, 1500);
  EXPECT_EQ(rc.wan.mtu, 9000);
  EXPECT_EQ(rc.wan_gateway, Ipv4Addr::from_octets(203, 0, 113, 254));
  ASSERT_EQ(rc.externals.size(), 1u);  // the pool and the forward: the WAN address
  EXPECT_EQ(rc.externals[0].first, Ipv4Addr::from_octets(203, 0, 113, 1));
  EXPECT_TRUE(router::validate(rc).empty());
}

TEST(RouterConfig, AConfiguredMtuOnlyNarrowsTheLink) {
  Config cfg = two_sides();
  cfg.lan.mtu = 9000;  // more than the link carries: the link's 1500 holds
  cfg.wan.mtu = 576;
  const router::RouterConfig rc = router_config(cfg, kLan, kWan);
  EXPECT_EQ(rc.lan.mtu, 1500);
  EXPECT_EQ(rc.wan.mtu, 576);
}

TEST(EngineConfig, AutoMssClampIsTheSmallerMtuLessForty) {
  Config cfg = two_sides();
  cfg.wan.mtu = 1492;  // PPPoE
  EXPECT_EQ(engine_config(cfg, router_config(cfg, kLan, kWan)).tcp_mss_clamp, 1452);
  cfg.tcp_mss_clamp = {MssClamp::Mode::fixed, 1300};
  EXPECT_EQ(engine_config(cfg, router_config(cfg, kLan, kWan)).tcp_mss_clamp, 1300);
  cfg.tcp_mss_clamp = {MssClamp::Mode::off, 0};
  EXPECT_EQ(engine_config(cfg, router_config(cfg, kLan, kWan)).tcp_mss_clamp, 0);
}

TEST(EngineConfig, HostileLanDefaultsAreSizedFromTheTable) {
  const Config cfg = two_sides();
  EXPECT_EQ(cfg.engine.sessions_per_subscriber, 65536u / 16);
  EXPECT_EQ(cfg.engine.ports_per_subscriber, 64512u / 16);  // one pool address
  EXPECT_EQ(cfg.engine.new_sessions_per_s, 1000u);
  EXPECT_EQ(cfg.engine.new_sessions_burst, 2000u);
  EXPECT_FALSE(cfg.router.source_guard);
}

TEST(EngineConfig, GivenLimitsAndTheGuardAreKept) {
  QuickStart flags;
  const LoadResult loaded = load(R"([lan]
name = "lan0"
address = "192.168.77.1/24"
source_guard = true
[wan]
name = "wan0"
address = "203.0.113.1/24"
[nat]
max_sessions = 1000
sessions_per_subscriber = 0
new_sessions_per_s = 10
[nat.tcp]
mss_clamp = "off"
unsolicited_syn_icmp = true
)",
                                 "m.toml", flags);
  ASSERT_TRUE(loaded.errors.empty()) << loaded.errors.front();
  const Config& cfg = *loaded.config;
  EXPECT_EQ(cfg.engine.sessions_per_subscriber, 0u);  // off, as written
  EXPECT_EQ(cfg.engine.ports_per_subscriber, 64512u / 16);
  EXPECT_EQ(cfg.engine.new_sessions_per_s, 10u);
  EXPECT_EQ(cfg.engine.new_sessions_burst, 20u);
  EXPECT_TRUE(cfg.engine.unsolicited_syn_icmp);
  EXPECT_EQ(cfg.tcp_mss_clamp.mode, MssClamp::Mode::off);
  EXPECT_TRUE(router_config(cfg, kLan, kWan).source_guard);
}

TEST(EngineConfig, BadMssClampsAreReported) {
  for (const char* bad : {"mss_clamp = 40", "mss_clamp = \"big\"", "mss_clamp = true"}) {
    const LoadResult loaded =
        load(std::string("[lan]\nname = \"lan0\"\naddress = \"192.168.77.1/24\"\n"
                         "[wan]\nname = \"wan0\"\naddress = \"203.0.113.1/24\"\n"
                         "[nat.tcp]\n") +
                 bad + "\n",
             "m.toml", {});
    EXPECT_EQ(loaded.errors.size(), 1u) << bad;
  }
}

}  // namespace
}  // namespace masq::config
