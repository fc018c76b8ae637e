#include <gtest/gtest.h>

#include <string>

#include "replay.hpp"

namespace masq::replay {
namespace {

using net::Ipv4Addr;

// The quick start's LAN, `wan`, and the TOML `toml` on top.
config::Config quick_start(const std::string& wan, const std::string& toml = "") {
  config::QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  flags.wan = "wan0=" + wan;
  const config::LoadResult loaded = config::load(toml, "test.toml", flags);
  EXPECT_TRUE(loaded.errors.empty()) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  return loaded.config.value_or(config::Config{});
}

TEST(ReplayWanGateway, IsTheHighestHostThatIsNotOurs) {
  EXPECT_EQ(replay_wan_gateway(quick_start("203.0.113.1/24")),
            Ipv4Addr::from_octets(203, 0, 113, 254));
  EXPECT_EQ(replay_wan_gateway(quick_start("203.0.113.254/24")),
            Ipv4Addr::from_octets(203, 0, 113, 253));
  // Pool addresses are the engine's: the stand-in must not be one of them.
  EXPECT_EQ(replay_wan_gateway(
                quick_start("203.0.113.1/24", "[nat]\npool = [\"203.0.113.240-203.0.113.254\"]\n")),
            Ipv4Addr::from_octets(203, 0, 113, 239));
  EXPECT_FALSE(replay_wan_gateway(
      quick_start("203.0.113.1/24", "[nat]\npool = [\"203.0.113.2-203.0.113.254\"]\n")));
}

TEST(ReplayWanGateway, PointToPointLinks) {
  EXPECT_EQ(replay_wan_gateway(quick_start("203.0.113.0/31")),
            Ipv4Addr::from_octets(203, 0, 113, 1));
  EXPECT_EQ(replay_wan_gateway(quick_start("203.0.113.1/31")),
            Ipv4Addr::from_octets(203, 0, 113, 0));
  EXPECT_FALSE(replay_wan_gateway(quick_start("203.0.113.1/32")));
}

}  // namespace
}  // namespace masq::replay
