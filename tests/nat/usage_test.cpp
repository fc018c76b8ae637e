// Engine::address_use() and Engine::busiest_subscribers() (usage.hpp):
// mappings counted per pool address and protocol as they come and go,
// against the ports the worker may hand out there; the subscribers holding
// the most. Through the public API.
#include <gtest/gtest.h>

#include <vector>

#include "engine_harness.hpp"
#include "masq/nat/engine.hpp"

namespace masq::nat {
namespace {

using namespace harness;
using net::Ipv4Addr;

EngineConfig config() {
  EngineConfig cfg = small_config();
  cfg.port_reuse_delay_s = 0;
  return cfg;
}

void open_udp(Engine& e, Ipv4Addr host, std::uint16_t sport, std::uint16_t dport = 53) {
  auto pkt = udp(host, sport, kServer, dport);
  ASSERT_EQ(run(e, pkt, Side::lan, kSecond).action, Action::forward_wan);
}

void open_tcp(Engine& e, Ipv4Addr host, std::uint16_t sport) {
  test::PacketSpec s = harness::flow(test::L4Kind::tcp, host, sport, kServer, 80);
  s.tcp_flags = test::tcp_flag::kSyn;
  auto pkt = test::build_packet(s);
  ASSERT_EQ(run(e, pkt, Side::lan, kSecond).action, Action::forward_wan);
}

AddressUse use_of(const Engine& e, net::Proto proto) {
  for (const AddressUse& u : e.address_use()) {
    if (u.proto == proto) return u;
  }
  return {};
}

TEST(Usage, MappingsPerAddressAndProtocolAgainstTheUsablePorts) {
  Engine engine(config());
  open_udp(engine, kHostA, 5000);
  open_udp(engine, kHostA, 5000, 54);  // the same mapping (EIM): no new port
  open_udp(engine, kHostA, 5001);
  open_udp(engine, kHostB, 6000);
  open_tcp(engine, kHostA, 7000);
  EXPECT_EQ(use_of(engine, net::Proto::udp), (AddressUse{kPublic, net::Proto::udp, 3, 64512}));
  EXPECT_EQ(use_of(engine, net::Proto::tcp), (AddressUse{kPublic, net::Proto::tcp, 1, 64512}));
  EXPECT_EQ(use_of(engine, net::Proto::icmp), (AddressUse{kPublic, net::Proto::icmp, 0, 65536}));
  std::size_t removed = 0;
  engine.remove_sessions_from(
      0, 64, [](const SessionView& v) { return v.internal_addr == kHostA; }, kSecond, removed);
  ASSERT_EQ(removed, 4u);
  EXPECT_EQ(use_of(engine, net::Proto::udp).mappings, 1u);
  EXPECT_EQ(use_of(engine, net::Proto::tcp).mappings, 0u);
}

TEST(Usage, UsablePortsAreTheWorkersSliceLessTheHostsPorts) {
  EngineConfig cfg = config();
  cfg.host_ports = HostPorts{kPublic, {32768, 60999}};
  EXPECT_EQ(use_of(Engine(cfg), net::Proto::udp).ports, 64512u - (60999u - 32768u + 1u));
  EXPECT_EQ(use_of(Engine(cfg), net::Proto::icmp).ports, 65536u);
  cfg.host_ports.reset();
  cfg.worker = {1, 2};
  EXPECT_EQ(use_of(Engine(cfg), net::Proto::udp).ports, 64512u / 2);
}

TEST(Usage, AnAddressNotKnownYetIsLeftOut) {
  EngineConfig cfg = config();
  cfg.pool = {{Ipv4Addr(), Ipv4Addr()}};
  EXPECT_TRUE(Engine(cfg).address_use().empty());
}

TEST(Usage, BusiestSubscribersHoldTheMostMappings) {
  Engine engine(config());
  open_udp(engine, kHostB, 6000);
  open_udp(engine, kHostA, 5000);
  open_udp(engine, kHostA, 5001);
  const auto top = engine.busiest_subscribers(1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0], (SubscriberUse{kHostA, 2, 2}));
  EXPECT_EQ(engine.busiest_subscribers(5).size(), 2u);
}

}  // namespace
}  // namespace masq::nat
