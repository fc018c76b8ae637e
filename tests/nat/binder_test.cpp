#include "binder.hpp"

#include <gtest/gtest.h>

#include "masq/nat/port_slice.hpp"

namespace masq::nat {
namespace {

using net::Ipv4Addr;
using net::Proto;

const std::uint32_t kHost = Ipv4Addr::from_octets(192, 168, 77, 2).value();
const std::uint32_t kServer = Ipv4Addr::from_octets(192, 168, 77, 3).value();
const std::uint32_t kPool = Ipv4Addr::from_octets(203, 0, 113, 1).value();
const std::uint32_t kRemote = Ipv4Addr::from_octets(198, 51, 100, 7).value();

EngineConfig binder_config() {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("192.168.77.0/24")};
  cfg.pool = {{Ipv4Addr(kPool), Ipv4Addr(kPool)}};
  cfg.forwards = {{Proto::udp, Ipv4Addr(kPool), {8000, 8010}, Ipv4Addr(kServer), 9000}};
  cfg.max_sessions = 64;
  cfg.seed = 3;
  return cfg;
}

// A binder over an empty table, and a way to take external endpoints in
// that table as sessions would.
struct World {
  explicit World(const EngineConfig& c = binder_config())
      : cfg(c), table(cfg), rules(cfg), binder(cfg, table, rules) {}

  void take(Endpoint external) {
    const std::uint32_t idx = table.take_slot();
    Session& s = table[idx];
    s = Session{};
    s.int_addr = kServer;
    s.int_port = static_cast<std::uint16_t>(20000 + idx);
    s.rem_addr = kRemote;
    s.ext_addr = external.addr;
    s.ext_port = external.port;
    s.proto = static_cast<std::uint8_t>(Proto::udp);
    SessionTable::LinkHashes h;
    h.in2out = table.in2out().hash(s.in2out_key());
    h.out2in = table.out2in().hash(s.out2in_key());
    h.mapping = table.by_internal().hash(s.internal_endpoint_key());
    h.external = table.by_external().hash(s.external_endpoint_key());
    table.link(idx, SessionTable::kNone, h);
  }

  Subscriber& subscriber(std::uint32_t addr = kHost) {
    DropReason why = DropReason::none;
    Subscriber* sub = binder.subscriber_for(addr, why);
    EXPECT_NE(sub, nullptr) << to_string(why);
    return *sub;
  }

  EngineConfig cfg;
  SessionTable table;
  StaticRules rules;
  Binder binder;
};

BindRequest request(std::uint16_t port, Proto proto = Proto::udp) {
  BindRequest r;
  r.internal = {kHost, port};
  r.proto = proto;
  return r;
}

TEST(Binder, SubscriberGetsAPoolAddressOnce) {
  World w;
  Subscriber& a = w.subscriber();
  EXPECT_EQ(w.binder.pool().address(a.pool_index), kPool);
  EXPECT_EQ(&w.subscriber(), &a);
  EXPECT_EQ(w.binder.subscriber_count(), 1u);
}

TEST(Binder, KeepsTheInternalPortWhenFree) {
  World w;
  const Binding b = w.binder.bind(w.subscriber(), request(5000));
  EXPECT_EQ(b.failure, DropReason::none);
  EXPECT_EQ(b.external, (Endpoint{kPool, 5000}));
  ASSERT_TRUE(b.external_hash);
  EXPECT_EQ(*b.external_hash,
            w.table.by_external().hash(endpoint_key(Ipv4Addr(kPool), 5000, Proto::udp)));
}

TEST(Binder, ChoosesAnotherPortOfTheSameClassWhenTaken) {
  World w;
  w.take({kPool, 5000});
  const Binding b = w.binder.bind(w.subscriber(), request(5000));
  EXPECT_EQ(b.failure, DropReason::none);
  EXPECT_EQ(b.external.addr, kPool);
  EXPECT_NE(b.external.port, 5000);
  EXPECT_GE(b.external.port, 1024);
  // Taken for UDP, the port is still free for TCP.
  EXPECT_EQ(w.binder.bind(w.subscriber(), request(5000, Proto::tcp)).external.port, 5000);
}

// Whatever the internal port and however full the slice, a worker's
// binder hands out only ports its slice holds, in every class.
TEST(Binder, NeverHandsOutAPortOutsideItsSlice) {
  for (const std::uint32_t index : {0u, 1u, 2u}) {
    EngineConfig cfg = binder_config();
    cfg.worker = {index, 3};
    cfg.max_sessions = 4096;
    cfg.port_probe_limit = 70000;
    World w(cfg);
    for (const Proto proto : {Proto::udp, Proto::icmp}) {
      for (const int internal_port : {7, 80, 1500, 5000, 33000, 65000}) {
        for (int i = 0; i < 150; ++i) {
          const Binding b = w.binder.bind(
              w.subscriber(), request(static_cast<std::uint16_t>(internal_port), proto));
          ASSERT_EQ(b.failure, DropReason::none);
          ASSERT_EQ(port_owner(proto, b.external.port, 3), index)
              << "port " << b.external.port << " for " << internal_port;
          if (proto != Proto::udp) break;  // the table holds UDP sessions only
          w.take(b.external);
        }
      }
    }
  }
}

TEST(Binder, KeepsAnInternalPortOnlyInsideItsSlice) {
  EngineConfig cfg = binder_config();
  cfg.worker = {1, 2};
  World w(cfg);
  const PortRange mine = slice_range({1024, 65535}, cfg.worker);
  EXPECT_EQ(w.binder.bind(w.subscriber(), request(mine.first)).external.port, mine.first);
  EXPECT_NE(w.binder.bind(w.subscriber(), request(5000)).external.port, 5000);
}

TEST(Binder, NeverHandsOutAForwardsPorts) {
  World w;
  const Binding b = w.binder.bind(w.subscriber(), request(8004));
  EXPECT_EQ(b.failure, DropReason::none);
  EXPECT_FALSE(b.external.port >= 8000 && b.external.port <= 8010);
}

TEST(Binder, JoiningAMappingKeepsItsEndpoint) {
  World w;
  const Endpoint mapped{kPool, 41000};
  BindRequest r = request(5000);
  r.mapped = &mapped;
  EXPECT_EQ(w.binder.bind(w.subscriber(), r).external, mapped);
  // A forward's fixed endpoint that differs from the mapping's cannot join it.
  const Endpoint fixed{kPool, 8000};
  r.fixed_external = &fixed;
  EXPECT_EQ(w.binder.bind(w.subscriber(), r).failure, DropReason::no_session);
}

TEST(Binder, FixedAndForwardedEndpoints) {
  World w;
  const Endpoint fixed{kPool, 8003};
  BindRequest r = request(5000);
  r.fixed_external = &fixed;
  EXPECT_EQ(w.binder.bind(w.subscriber(), r).external, fixed);
  // The forwarded server's own outbound flows leave from its forward.
  BindRequest from_server;
  from_server.internal = {kServer, 9002};
  EXPECT_EQ(w.binder.bind(w.subscriber(kServer), from_server).external, (Endpoint{kPool, 8002}));
}

TEST(Binder, SubscriberLimitAndSessionQuota) {
  EngineConfig cfg = binder_config();
  cfg.max_subscribers = 1;
  cfg.sessions_per_subscriber = 2;
  World w(cfg);
  Subscriber& sub = w.subscriber();
  DropReason why = DropReason::none;
  EXPECT_EQ(w.binder.subscriber_for(kServer, why), nullptr);
  EXPECT_EQ(why, DropReason::subscriber_limit);
  w.binder.commit(sub, true, net::Proto::udp);
  w.binder.commit(sub, false, net::Proto::udp);
  EXPECT_EQ(w.binder.subscriber_for(kHost, why), nullptr);
  EXPECT_EQ(why, DropReason::subscriber_sessions);
  EXPECT_EQ(w.binder.subscriber_count(), 1u);  // it holds sessions: kept
}

TEST(Binder, PortQuotaCountsMappings) {
  EngineConfig cfg = binder_config();
  cfg.ports_per_subscriber = 1;
  World w(cfg);
  Subscriber& sub = w.subscriber();
  w.binder.commit(sub, true, net::Proto::udp);
  EXPECT_EQ(w.binder.bind(sub, request(5001)).failure, DropReason::subscriber_ports);
  w.binder.release(kHost, /*mapping_gone=*/true, net::Proto::udp);
  EXPECT_EQ(w.binder.subscriber_count(), 0u);  // its last session went
}

TEST(Binder, PoolMappingsCountEachProtocolsMappingsOnTheAddress) {
  World w(binder_config());
  Subscriber& sub = w.subscriber();
  w.binder.commit(sub, true, net::Proto::udp);
  w.binder.commit(sub, false, net::Proto::udp);
  w.binder.commit(sub, true, net::Proto::tcp);
  EXPECT_EQ(w.binder.pool_mappings(sub.pool_index, net::Proto::udp), 1u);
  EXPECT_EQ(w.binder.pool_mappings(sub.pool_index, net::Proto::tcp), 1u);
  EXPECT_EQ(w.binder.pool_mappings(sub.pool_index, net::Proto::icmp), 0u);
  w.binder.release(kHost, /*mapping_gone=*/false, net::Proto::udp);
  w.binder.release(kHost, /*mapping_gone=*/true, net::Proto::tcp);
  EXPECT_EQ(w.binder.pool_mappings(sub.pool_index, net::Proto::udp), 1u);
  EXPECT_EQ(w.binder.pool_mappings(sub.pool_index, net::Proto::tcp), 0u);
}

TEST(Binder, ReleaseFreesTheMappingAndThenTheSubscriber) {
  EngineConfig cfg = binder_config();
  cfg.ports_per_subscriber = 1;
  World w(cfg);
  Subscriber& sub = w.subscriber();
  w.binder.commit(sub, true, net::Proto::udp);
  w.binder.commit(sub, false, net::Proto::udp);
  w.binder.release(kHost, /*mapping_gone=*/true, net::Proto::udp);
  EXPECT_EQ(w.binder.subscriber_count(), 1u);
  EXPECT_EQ(w.binder.bind(w.subscriber(), request(5001)).failure, DropReason::none);
}

TEST(Binder, AbandonedNewSubscriberGivesItsAddressBack) {
  EngineConfig cfg = binder_config();
  cfg.pool_mode = PoolMode::exclusive;
  World w(cfg);
  Subscriber* first = &w.subscriber();
  w.binder.abandon(first);
  EXPECT_EQ(w.binder.subscriber_count(), 0u);
  // The one pool address is free again for another host.
  w.subscriber(kServer);
  DropReason why = DropReason::none;
  EXPECT_EQ(w.binder.subscriber_for(kHost, why), nullptr);
  EXPECT_EQ(why, DropReason::pool_exhausted);
}

TEST(Binder, GuessesTheKeptPortFirst) {
  World w;
  NewFlowHashes h;
  const net::FlowKey key = net::FlowKey::of(kHost, kRemote, 5000, 53, Proto::udp);
  w.binder.guess_start(key, h);
  ASSERT_TRUE(w.binder.guess_first(key, h));
  ASSERT_EQ(h.guesses, 1u);
  EXPECT_EQ(h.tried[0].port, 5000);
  const PortGuess* g = h.guess_for({kPool, 5000});
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->out2in_hash,
            w.table.out2in().hash(net::FlowKey::of(kRemote, kPool, 53, 5000, Proto::udp)));
  // bind() takes what the guess computed.
  BindRequest r = request(5000);
  r.hashes = &h;
  const Binding b = w.binder.bind(w.subscriber(), r);
  EXPECT_EQ(b.external, (Endpoint{kPool, 5000}));
  EXPECT_EQ(b.external_hash, g->external_hash);
  // The next guess is where the probe starts.
  w.binder.guess_next(key, h);
  EXPECT_EQ(h.tried[1].port, 1024 + h.first_start);
}

TEST(Binder, NoGuessWithoutAPool) {
  EngineConfig cfg = binder_config();
  cfg.pool.clear();
  World w(cfg);
  NewFlowHashes h;
  const net::FlowKey key = net::FlowKey::of(kHost, kRemote, 5000, 53, Proto::udp);
  w.binder.guess_start(key, h);
  EXPECT_FALSE(w.binder.guess_first(key, h));
  EXPECT_EQ(w.binder.bind(w.subscriber(), request(5000)).failure, DropReason::pool_exhausted);
}

// The host's own ports on the WAN address are never handed out, neither
// kept from the source nor found by the probe, even with most of the
// class's ports in the host's range (the kernel's default range is 43 %
// of 1024-65535).
TEST(Binder, NeverHandsOutTheHostsPorts) {
  EngineConfig cfg = binder_config();
  cfg.host_ports = HostPorts{Ipv4Addr(kPool), {32768, 60999}};
  World w(cfg);
  Subscriber& sub = w.subscriber();
  for (std::uint16_t port : {std::uint16_t{40000}, std::uint16_t{32768}, std::uint16_t{60999}}) {
    EXPECT_NE(w.binder.bind(sub, request(port)).external.port, port);
  }
  for (int i = 0; i < 60; ++i) {
    const Binding b = w.binder.bind(sub, request(static_cast<std::uint16_t>(32768 + i)));
    ASSERT_EQ(b.failure, DropReason::none);
    EXPECT_FALSE(cfg.host_ports->ports.contains(b.external.port)) << b.external.port;
    w.take(b.external);
  }
  // Only on the host's address: another pool address keeps the port.
  EngineConfig other = binder_config();
  other.host_ports = HostPorts{Ipv4Addr(kRemote), {32768, 60999}};
  World elsewhere(other);
  EXPECT_EQ(elsewhere.binder.bind(elsewhere.subscriber(), request(40000)).external.port, 40000);
}

}  // namespace
}  // namespace masq::nat
