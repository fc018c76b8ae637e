#include "static_rules.hpp"

#include <gtest/gtest.h>

namespace masq::nat {
namespace {

using net::Ipv4Addr;

EngineConfig rules_config() {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("192.168.77.0/24")};
  cfg.exclude = {*net::Ipv4Prefix::parse("10.99.0.0/16")};
  cfg.static_nat = {
      {Ipv4Addr::from_octets(192, 168, 77, 5), Ipv4Addr::from_octets(203, 0, 113, 5)}};
  cfg.forwards = {{net::Proto::tcp,
                   Ipv4Addr::from_octets(203, 0, 113, 1),
                   {8000, 8010},
                   Ipv4Addr::from_octets(192, 168, 77, 3),
                   9000}};
  return cfg;
}

TEST(StaticRules, StaticBothWays) {
  const StaticRules r(rules_config());
  EXPECT_EQ(r.static_external(Ipv4Addr::from_octets(192, 168, 77, 5).value()),
            Ipv4Addr::from_octets(203, 0, 113, 5).value());
  EXPECT_EQ(r.static_internal(Ipv4Addr::from_octets(203, 0, 113, 5).value()),
            Ipv4Addr::from_octets(192, 168, 77, 5).value());
  EXPECT_FALSE(r.static_internal(Ipv4Addr::from_octets(203, 0, 113, 6).value()));
}

TEST(StaticRules, ForwardRangeMapsPortByOffset) {
  const StaticRules r(rules_config());
  const std::uint32_t pub = Ipv4Addr::from_octets(203, 0, 113, 1).value();
  const std::uint32_t srv = Ipv4Addr::from_octets(192, 168, 77, 3).value();
  EXPECT_EQ(r.forward_inbound(net::Proto::tcp, {pub, 8004}), (Endpoint{srv, 9004}));
  EXPECT_FALSE(r.forward_inbound(net::Proto::udp, {pub, 8004}));
  EXPECT_FALSE(r.forward_inbound(net::Proto::tcp, {pub, 8011}));
  const PortForward* fwd = r.forward_outbound(net::Proto::tcp, {srv, 9010});
  ASSERT_NE(fwd, nullptr);
  EXPECT_EQ(StaticRules::forwarded_external(*fwd, 9010), (Endpoint{pub, 8010}));
  EXPECT_EQ(r.forward_outbound(net::Proto::tcp, {srv, 9011}), nullptr);
  EXPECT_EQ(r.forward_outbound(net::Proto::tcp, {srv, 8999}), nullptr);
  EXPECT_TRUE(r.reserved(net::Proto::tcp, {pub, 8000}));
  EXPECT_FALSE(r.reserved(net::Proto::tcp, {pub, 7999}));
  EXPECT_TRUE(r.is_forward_address(pub));
}

TEST(StaticRules, InsideAndExcluded) {
  const StaticRules r(rules_config());
  EXPECT_TRUE(r.inside(Ipv4Addr::from_octets(192, 168, 77, 200).value()));
  EXPECT_FALSE(r.inside(Ipv4Addr::from_octets(192, 168, 78, 1).value()));
  EXPECT_TRUE(r.excluded(Ipv4Addr::from_octets(10, 99, 3, 4).value()));
  EXPECT_FALSE(r.excluded(Ipv4Addr::from_octets(10, 98, 3, 4).value()));
}

}  // namespace
}  // namespace masq::nat
