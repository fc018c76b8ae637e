// [pcp] and --pcp: the PCP/NAT-PMP server's settings (pcp_reader.cpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base_toml.hpp"
#include "masq/config/config.hpp"
#include "masq/config/router_config.hpp"

namespace masq::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;

TEST(PcpConfig, OffByDefault) {
  const auto result = load(testing::base_toml("af_packet"), "m.toml", {});
  ASSERT_THAT(result.errors, IsEmpty());
  EXPECT_FALSE(result.config->pcp.enabled);
  EXPECT_EQ(result.config->engine.max_explicit_mappings, 0u);
  EXPECT_FALSE(router_config(*result.config, {}, {}).local_pcp);
}

TEST(PcpConfig, ReadsTheTable) {
  const auto result = load(testing::base_toml("af_packet", R"(
[pcp]
enabled = true
natpmp = false
allow_third_party = true
min_lifetime_s = 60
max_lifetime_s = 7200
max_mappings = 500
max_mappings_per_host = 10
max_filters = 2
max_requests_per_s = 50
long_error_lifetime_s = 600
short_error_lifetime_s = 10
)"),
                           "m.toml", {});
  ASSERT_THAT(result.errors, IsEmpty());
  const pcp::ServerConfig& p = result.config->pcp;
  EXPECT_TRUE(p.enabled);
  EXPECT_FALSE(p.natpmp);
  EXPECT_TRUE(p.allow_third_party);
  EXPECT_EQ(p.min_lifetime_s, 60u);
  EXPECT_EQ(p.max_lifetime_s, 7200u);
  EXPECT_EQ(p.max_mappings, 500u);
  EXPECT_EQ(p.max_mappings_per_host, 10u);
  EXPECT_EQ(p.max_filters, 2u);
  EXPECT_EQ(p.max_requests_per_s, 50u);
  EXPECT_EQ(p.long_error_lifetime_s, 600u);
  EXPECT_EQ(p.short_error_lifetime_s, 10u);
  // The engine keeps room for every mapping the server may make, and the
  // router delivers the server's port.
  EXPECT_EQ(result.config->engine.max_explicit_mappings, 500u);
  EXPECT_TRUE(router_config(*result.config, {}, {}).local_pcp);
}

TEST(PcpConfig, TheFlagTurnsItOn) {
  QuickStart flags;
  flags.pcp = true;
  const auto result = load(testing::base_toml("af_packet"), "m.toml", flags);
  ASSERT_THAT(result.errors, IsEmpty());
  EXPECT_TRUE(result.config->pcp.enabled);
}

TEST(PcpConfig, ProblemsNameTheTableAndUnknownKeysTheirLine) {
  const auto result = load(testing::base_toml("af_packet", R"(
[pcp]
min_lifetime_s = 600
max_lifetime_s = 60
lifetime = 1
)"),
                           "m.toml", {});
  EXPECT_FALSE(result.config);
  EXPECT_THAT(result.errors,
              ElementsAre(StartsWith("m.toml:16: pcp: min_lifetime_s exceeds max_lifetime_s"),
                          StartsWith("m.toml:19: pcp.lifetime: unknown key")));
}

}  // namespace
}  // namespace masq::config
