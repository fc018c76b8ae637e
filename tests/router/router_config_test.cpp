#include "masq/router/router_config.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace masq::router {
namespace {

using net::Ipv4Addr;

RouterConfig good() {
  RouterConfig c;
  c.lan = {MacAddr({0x02, 0, 0, 0, 1, 1}), Ipv4Addr::from_octets(192, 168, 1, 1),
           net::Ipv4Prefix(Ipv4Addr::from_octets(192, 168, 1, 0), 24), 1500};
  c.wan = {MacAddr({0x02, 0, 0, 0, 2, 1}), Ipv4Addr::from_octets(203, 0, 113, 1),
           net::Ipv4Prefix(Ipv4Addr::from_octets(203, 0, 113, 0), 24), 1500};
  c.wan_gateway = Ipv4Addr::from_octets(203, 0, 113, 254);
  return c;
}

// The one problem `bad` has, or a failure if it has none or several.
std::string only_error(const RouterConfig& bad) {
  const auto errors = validate(bad);
  EXPECT_EQ(errors.size(), 1u);
  return errors.empty() ? "" : errors.front();
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

TEST(RouterConfig, GoodConfigIsValid) {
  EXPECT_TRUE(validate(good()).empty());
}

TEST(RouterConfig, EachProblemNamesItsField) {
  struct Case {
    const char* field;
    void (*spoil)(RouterConfig&);
  };
  const Case cases[] = {
      {"lan.mac:", [](RouterConfig& c) { c.lan.mac = MacAddr(); }},
      {"wan.mac:", [](RouterConfig& c) { c.wan.mac = MacAddr::broadcast(); }},
      {"lan.address:", [](RouterConfig& c) { c.lan.address = Ipv4Addr::from_octets(10, 0, 0, 1); }},
      {"lan.address:",
       [](RouterConfig& c) { c.lan.address = Ipv4Addr::from_octets(192, 168, 1, 255); }},
      {"wan.mtu:", [](RouterConfig& c) { c.wan.mtu = 67; }},
      {"lan.mtu:", [](RouterConfig& c) { c.lan.mtu = 9217; }},
      {"wan.prefix:",
       [](RouterConfig& c) {
         c.wan.prefix = net::Ipv4Prefix(Ipv4Addr::from_octets(192, 168, 0, 0), 16);
         c.wan.address = Ipv4Addr::from_octets(192, 168, 2, 1);
         c.wan_gateway = Ipv4Addr::from_octets(192, 168, 2, 254);
       }},
      {"wan.mac:", [](RouterConfig& c) { c.wan.mac = c.lan.mac; }},
      {"wan_gateway:",
       [](RouterConfig& c) { c.wan_gateway = Ipv4Addr::from_octets(198, 51, 100, 1); }},
      {"wan_gateway:", [](RouterConfig& c) { c.wan_gateway = c.wan.address; }},
      {"externals:",
       [](RouterConfig& c) {
         c.externals = {{Ipv4Addr(5), Ipv4Addr(4)}};
       }},
      {"arp.reachable_ms:", [](RouterConfig& c) { c.arp.reachable_ms = 0; }},
      {"arp.retry_ms:", [](RouterConfig& c) { c.arp.retry_ms = 0; }},
      {"arp.max_retries:", [](RouterConfig& c) { c.arp.max_retries = 0; }},
      {"arp_cache_entries:", [](RouterConfig& c) { c.arp_cache_entries = 0; }},
      {"arp_queue_packets:",
       [](RouterConfig& c) {
         c.arp_queue_packets = 0;
         c.arp_queue_per_hop = 0;
       }},
      {"arp_queue_per_hop:",
       [](RouterConfig& c) { c.arp_queue_per_hop = c.arp_queue_packets + 1; }},
      {"max_batch:", [](RouterConfig& c) { c.max_batch = 0; }},
      {"tx_buffers:", [](RouterConfig& c) { c.tx_buffers = 0; }},
      {"ttl:", [](RouterConfig& c) { c.ttl = 0; }},
      {"reassembly_contexts:", [](RouterConfig& c) { c.reassembly_contexts = 0; }},
      {"reassembly_max_bytes:", [](RouterConfig& c) { c.reassembly_max_bytes = 575; }},
      {"reassembly_max_bytes:", [](RouterConfig& c) { c.reassembly_max_bytes = 65536; }},
      {"reassembly_timeout_ms:", [](RouterConfig& c) { c.reassembly_timeout_ms = 0; }},
      {"icmp_rate_limit.rate_per_s:",
       [](RouterConfig& c) { c.icmp_rate_limit.rate_per_s = kMaxIcmpRatePerS + 1; }},
      {"icmp_rate_limit.burst:", [](RouterConfig& c) { c.icmp_rate_limit.burst = 0; }},
      {"icmp_rate_limit.per_host_rate_per_s:",
       [](RouterConfig& c) { c.icmp_rate_limit.per_host_rate_per_s = kMaxIcmpRatePerS + 1; }},
      {"icmp_rate_limit.per_host_burst:",
       [](RouterConfig& c) { c.icmp_rate_limit.per_host_burst = 0; }},
  };
  for (const Case& k : cases) {
    RouterConfig c = good();
    k.spoil(c);
    const auto errors = validate(c);
    ASSERT_FALSE(errors.empty()) << k.field;
    EXPECT_TRUE(starts_with(errors.front(), k.field)) << errors.front();
  }
}

TEST(RouterConfig, MartianAddressRefused) {
  RouterConfig c = good();
  c.lan.address = Ipv4Addr::from_octets(127, 0, 0, 1);
  c.lan.prefix = net::Ipv4Prefix(c.lan.address, 8);
  EXPECT_TRUE(starts_with(only_error(c), "lan.address:"));
}

TEST(RouterConfig, ExternalAddressesMergeEveryKind) {
  nat::EngineConfig e;
  const auto a = Ipv4Addr::from_octets;
  e.pool = {{a(203, 0, 113, 10), a(203, 0, 113, 12)}, {a(203, 0, 113, 1), a(203, 0, 113, 1)}};
  e.static_nat = {{a(192, 168, 1, 5), a(203, 0, 113, 13)}, {a(192, 168, 1, 6), a(100, 64, 0, 9)}};
  e.forwards = {{net::Proto::tcp, a(203, 0, 113, 11), {80, 80}, a(192, 168, 1, 7), 80}};
  const std::vector<nat::AddressRange> expected = {{a(100, 64, 0, 9), a(100, 64, 0, 9)},
                                                   {a(203, 0, 113, 1), a(203, 0, 113, 1)},
                                                   {a(203, 0, 113, 10), a(203, 0, 113, 13)}};
  EXPECT_EQ(external_addresses(e), expected);
}

TEST(RouterConfig, ExternalRangeAtTheTopOfTheSpace) {
  nat::EngineConfig e;
  e.pool = {{Ipv4Addr(0xFFFFFFF0u), Ipv4Addr(0xFFFFFFFFu)},
            {Ipv4Addr(0xFFFFFFF8u), Ipv4Addr(0xFFFFFFF9u)}};
  const std::vector<nat::AddressRange> expected = {{Ipv4Addr(0xFFFFFFF0u), Ipv4Addr(0xFFFFFFFFu)}};
  EXPECT_EQ(external_addresses(e), expected);
}

}  // namespace
}  // namespace masq::router
