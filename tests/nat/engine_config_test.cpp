#include "masq/nat/engine_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace masq::nat {
namespace {

using net::Ipv4Addr;

EngineConfig valid() {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("192.168.77.0/24")};
  cfg.pool = {{Ipv4Addr::from_octets(203, 0, 113, 1), Ipv4Addr::from_octets(203, 0, 113, 1)}};
  return cfg;
}

bool mentions(const std::vector<ConfigError>& errors, std::string_view what) {
  return std::any_of(errors.begin(), errors.end(), [&](const ConfigError& e) {
    return e.text().find(what) != std::string::npos;
  });
}

TEST(Validate, AcceptsMinimal) {
  EXPECT_TRUE(validate(valid()).empty());
}

TEST(Validate, NamesEachProblem) {
  EngineConfig cfg = valid();
  cfg.inside.clear();
  cfg.max_sessions = 0;
  cfg.timeouts.udp_s = 0;
  cfg.pool.push_back({Ipv4Addr::from_octets(10, 0, 0, 9), Ipv4Addr::from_octets(10, 0, 0, 1)});
  const auto errors = validate(cfg);
  EXPECT_TRUE(mentions(errors, "inside"));
  EXPECT_TRUE(mentions(errors, "max_sessions"));
  EXPECT_TRUE(mentions(errors, "timeouts"));
  EXPECT_TRUE(mentions(errors, "pool[1]"));
}

TEST(Validate, NeedsSomethingToTranslateTo) {
  EngineConfig cfg = valid();
  cfg.pool.clear();
  EXPECT_TRUE(mentions(validate(cfg), "pool: empty"));
  cfg.static_nat = {
      {Ipv4Addr::from_octets(192, 168, 77, 5), Ipv4Addr::from_octets(203, 0, 113, 5)}};
  EXPECT_TRUE(validate(cfg).empty());
}

TEST(Validate, StaticConflicts) {
  EngineConfig cfg = valid();
  cfg.static_nat = {{Ipv4Addr::from_octets(192, 168, 77, 5), Ipv4Addr::from_octets(203, 0, 113, 1)},
                    {Ipv4Addr::from_octets(192, 168, 77, 5), Ipv4Addr::from_octets(203, 0, 113, 7)},
                    {Ipv4Addr::from_octets(10, 1, 1, 1), Ipv4Addr::from_octets(203, 0, 113, 8)}};
  const auto errors = validate(cfg);
  EXPECT_TRUE(mentions(errors, "static_nat[0]: external address 203.0.113.1 is also in the pool"));
  EXPECT_TRUE(mentions(errors, "static_nat[1]: internal address repeats"));
  EXPECT_TRUE(mentions(errors, "static_nat[2]: internal address 10.1.1.1 is not inside"));
}

TEST(Validate, ForwardConflicts) {
  EngineConfig cfg = valid();
  const Ipv4Addr pub = Ipv4Addr::from_octets(203, 0, 113, 1);
  const Ipv4Addr srv = Ipv4Addr::from_octets(192, 168, 77, 3);
  cfg.forwards = {{net::Proto::tcp, pub, {8000, 8010}, srv, 8000},
                  {net::Proto::tcp, pub, {8005, 8005}, srv, 9000},
                  {net::Proto::tcp, pub, {9000, 9000}, srv, 8003},
                  {net::Proto::udp, pub, {100, 200}, srv, 65500},
                  {net::Proto::icmp, pub, {1, 1}, srv, 1}};
  const auto errors = validate(cfg);
  EXPECT_TRUE(mentions(errors, "forwards[1]: external ports overlap forwards[0]"));
  EXPECT_TRUE(mentions(errors, "forwards[2]: internal ports overlap forwards[0]"));
  EXPECT_TRUE(mentions(errors, "forwards[3]: internal port range runs past 65535"));
  EXPECT_TRUE(mentions(errors, "forwards[4]: proto must be tcp or udp"));
}

TEST(Validate, HostPortsAreARangeNoForwardOverlaps) {
  EngineConfig cfg = valid();
  cfg.host_ports = HostPorts{Ipv4Addr::from_octets(203, 0, 113, 1), {32768, 60999}};
  EXPECT_TRUE(validate(cfg).empty());
  cfg.forwards = {{net::Proto::tcp,
                   Ipv4Addr::from_octets(203, 0, 113, 1),
                   {40000, 40000},
                   Ipv4Addr::from_octets(192, 168, 77, 5),
                   22}};
  EXPECT_TRUE(mentions(validate(cfg), "forwards[0]: external ports overlap the host's ports"));
  cfg.forwards.clear();
  cfg.host_ports->ports = {0, 10};
  EXPECT_TRUE(mentions(validate(cfg), "host_ports"));
}

}  // namespace
}  // namespace masq::nat
