// [host]: the gateway machine's own network (host interfaces, its ports,
// what its WAN firewall opens).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/base_toml.hpp"
#include "masq/config/config.hpp"

namespace masq::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(HostOptions, DefaultsNameTheTapsAfterTheInterfaces) {
  const auto result = load(testing::base_toml("af_packet"), "m.toml", {});
  ASSERT_THAT(result.errors, IsEmpty());
  const HostOptions& h = result.config->host;
  EXPECT_TRUE(h.interfaces);
  EXPECT_EQ(h.lan_name, "masq-lan0");
  EXPECT_EQ(h.wan_name, "masq-wan0");
  EXPECT_FALSE(h.ports);  // masqd reads the kernel's range
  EXPECT_THAT(h.open, IsEmpty());
}

TEST(HostOptions, ReadsEveryKey) {
  const auto result = load(testing::base_toml("af_packet", R"(
[host]
interfaces = false
lan_name = "gw-lan"
wan_name = "gw-wan"
ports = "40000-50000"
open = ["tcp/22", "udp/60000-60010"]
)"),
                           "m.toml", {});
  ASSERT_THAT(result.errors, IsEmpty());
  const HostOptions& h = result.config->host;
  EXPECT_FALSE(h.interfaces);
  EXPECT_EQ(h.lan_name, "gw-lan");
  EXPECT_EQ(h.wan_name, "gw-wan");
  EXPECT_EQ(h.ports, (nat::PortRange{40000, 50000}));
  EXPECT_THAT(h.open, ElementsAre(OpenPort{net::Proto::tcp, {22, 22}},
                                  OpenPort{net::Proto::udp, {60000, 60010}}));
}

TEST(HostOptions, NamesTheBadKey) {
  const auto result = load(testing::base_toml("af_packet", R"(
[host]
ports = "60000-50000"
open = ["icmp/1"]
colour = "blue"
)"),
                           "m.toml", {});
  EXPECT_THAT(result.errors,
              ElementsAre(HasSubstr("m.toml:17: host.ports"), HasSubstr("m.toml:18: host.open[0]"),
                          HasSubstr("host.colour")));
}

}  // namespace
}  // namespace masq::config
