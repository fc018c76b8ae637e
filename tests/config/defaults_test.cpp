#include "config/defaults.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/read_toml.hpp"

namespace masq::config {
namespace {

using testing::addr;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::prefix;

Sourced<Interface> iface(std::string name, std::string_view address, std::string where) {
  const auto on_link = *parse_address_on_link(address).value;
  return {{std::move(name), on_link.address, on_link.prefix}, std::move(where)};
}

Draft draft_with(std::string_view lan, std::string_view wan) {
  Draft draft;
  draft.lan.value = iface("lan0", lan, "m.toml:3: lan.address");
  draft.wan.value = iface("wan0", wan, "--wan wan0=" + std::string{wan});
  return draft;
}

TEST(Complete, DerivesInsidePoolAndForwardAddressesFromTheInterfaces) {
  auto draft = draft_with("192.168.77.1/24", "203.0.113.1/24");
  draft.forwards.push_back({{net::Proto::tcp, {}, {80, 80}, addr("192.168.77.3"), 80},
                            false,
                            "m.toml:7: nat.forward[0]"});
  draft.forwards.push_back(
      {{net::Proto::udp, addr("203.0.113.9"), {53, 53}, addr("192.168.77.3"), 53},
       true,
       "m.toml:12: nat.forward[1]"});
  std::vector<std::string> errors;
  const auto config = complete(std::move(draft), "m.toml", errors);
  EXPECT_THAT(errors, IsEmpty());
  ASSERT_TRUE(config);
  EXPECT_EQ(config->lan, (Interface{"lan0", addr("192.168.77.1"), prefix("192.168.77.0/24")}));
  EXPECT_EQ(config->wan, (Interface{"wan0", addr("203.0.113.1"), prefix("203.0.113.0/24")}));
  EXPECT_EQ(config->gateway, std::nullopt);
  EXPECT_EQ(config->io, IoBackend::af_packet);
  EXPECT_EQ(config->control, ControlSocket{});
  EXPECT_EQ(config->state, StateOptions{});
  EXPECT_THAT(config->engine.inside, ElementsAre(prefix("192.168.77.0/24")));
  EXPECT_THAT(config->engine.pool,
              ElementsAre(nat::AddressRange{addr("203.0.113.1"), addr("203.0.113.1")}));
  ASSERT_EQ(config->engine.forwards.size(), 2u);
  EXPECT_EQ(config->engine.forwards[0].external_addr, addr("203.0.113.1"));
  EXPECT_EQ(config->engine.forwards[1].external_addr, addr("203.0.113.9"));
}

TEST(Complete, KeepsValuesThatWereGiven) {
  auto draft = draft_with("192.168.77.1/24", "203.0.113.1/24");
  draft.engine.inside = {prefix("192.168.77.0/25")};
  draft.engine.pool = {{addr("198.51.100.1"), addr("198.51.100.2")}};
  draft.gateway = Sourced<net::Ipv4Addr>{addr("203.0.113.254"), "m.toml:9: wan.gateway"};
  draft.io = IoBackend::af_xdp;
  draft.rx_frames = 16384;
  draft.tx_frames = 2048;
  draft.tcp_gso = false;
  draft.control.path = "/run/m.sock";
  std::vector<std::string> errors;
  const auto config = complete(std::move(draft), "m.toml", errors);
  ASSERT_TRUE(config);
  EXPECT_THAT(config->engine.inside, ElementsAre(prefix("192.168.77.0/25")));
  EXPECT_THAT(config->engine.pool,
              ElementsAre(nat::AddressRange{addr("198.51.100.1"), addr("198.51.100.2")}));
  EXPECT_EQ(config->gateway, addr("203.0.113.254"));
  EXPECT_EQ(config->io, IoBackend::af_xdp);
  EXPECT_EQ(config->rx_frames, 16384u);
  EXPECT_EQ(config->tx_frames, 2048u);
  EXPECT_FALSE(config->tcp_gso);
  EXPECT_EQ(config->control.path, "/run/m.sock");
}

TEST(Complete, LanAndWanAreRequired) {
  std::vector<std::string> errors;
  EXPECT_FALSE(complete(Draft{}, "m.toml", errors));
  EXPECT_THAT(
      errors,
      ElementsAre("m.toml: lan: missing; set [lan] name and address, or --lan NAME=ADDR/LEN",
                  "m.toml: wan: missing; set [wan] name and address, or --wan NAME=ADDR/LEN"));
}

TEST(Complete, RejectedInterfacesAreNotReportedMissingAgain) {
  Draft draft;
  draft.lan.rejected = true;
  draft.wan.value = iface("wan0", "203.0.113.1/24", "m.toml:6: wan.address");
  std::vector<std::string> errors;
  EXPECT_FALSE(complete(std::move(draft), "m.toml", errors));
  EXPECT_THAT(errors, IsEmpty());
}

TEST(Complete, OverlappingPrefixesAreRefusedBothWays) {
  for (const auto& [lan, wan] :
       {std::pair{"10.1.0.1/16", "10.0.0.1/8"}, std::pair{"10.0.0.1/8", "10.1.0.1/16"},
        std::pair{"10.0.0.1/24", "10.0.0.2/24"}}) {
    std::vector<std::string> errors;
    EXPECT_FALSE(complete(draft_with(lan, wan), "m.toml", errors)) << lan << " " << wan;
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], "m.toml:3: lan.address: LAN prefix " + prefix(lan).to_string() +
                             " overlaps the WAN prefix " + prefix(wan).to_string() +
                             " (--wan wan0=" + wan + ")");
  }
}

TEST(Complete, AdjacentPrefixesAreFine) {
  std::vector<std::string> errors;
  EXPECT_TRUE(complete(draft_with("10.0.0.1/24", "10.0.1.1/24"), "m.toml", errors));
  EXPECT_THAT(errors, IsEmpty());
}

std::vector<std::string> errors_with_gateway(std::string_view gateway) {
  auto draft = draft_with("192.168.77.1/24", "203.0.113.1/24");
  draft.gateway = Sourced<net::Ipv4Addr>{addr(gateway), "--gateway x"};
  std::vector<std::string> errors;
  EXPECT_FALSE(complete(std::move(draft), "m.toml", errors));
  return errors;
}

TEST(Complete, TheGatewayMustBeOnTheWanLink) {
  EXPECT_THAT(errors_with_gateway("203.0.114.1"),
              ElementsAre("--gateway x: 203.0.114.1 is not in the WAN prefix 203.0.113.0/24"));
}

TEST(Complete, TheGatewayIsNotTheWanAddress) {
  EXPECT_THAT(errors_with_gateway("203.0.113.1"),
              ElementsAre("--gateway x: 203.0.113.1 is the WAN address itself"));
}

}  // namespace
}  // namespace masq::config
