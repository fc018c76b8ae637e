// Engine-level tests: a reference model of mappings and sessions driven in
// lock-step with the real engine by seeded random traffic, plus the
// batch, memory and determinism properties that scenarios cannot show.
#include "masq/nat/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "engine_harness.hpp"
#include "masq/net/byte_order.hpp"
#include "support/checksum_oracle.hpp"

namespace masq::nat {
namespace {

using harness::kSecond;
using harness::run;
using harness::udp;
using net::Ipv4Addr;
const Ipv4Addr kPublic = Ipv4Addr::from_octets(203, 0, 113, 1);

EngineConfig base_config(std::uint64_t seed) {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("10.0.0.0/16")};
  cfg.pool = {{kPublic, kPublic}};
  cfg.max_sessions = 4096;
  cfg.timeouts.udp_s = 120;
  cfg.seed = seed;
  return cfg;
}

struct Endpoint4 {
  std::uint32_t addr;
  std::uint16_t port;
  auto operator<=>(const Endpoint4&) const = default;
};

class EngineModel : public ::testing::TestWithParam<std::uint64_t> {};

// The model: sessions (internal, remote) -> expiry, mappings internal ->
// external port. Checked: endpoint-independent mapping (RFC 4787 REQ-1),
// no port overloading (REQ-3), filtering (REQ-8) endpoint-independent,
// address-dependent and address-and-port-dependent, an admitted packet
// making a session, expiry after the UDP timer with refresh both ways
// (REQ-5/6), and every checksum.
void agrees_with_reference(std::uint64_t seed, Dependence filtering) {
  EngineConfig cfg = base_config(seed);
  cfg.behaviour.udp.filtering = filtering;
  Engine engine(cfg);
  std::mt19937_64 rng(seed);
  std::map<std::pair<Endpoint4, Endpoint4>, std::uint32_t> expiry;  // (internal, remote) -> s
  std::map<Endpoint4, std::uint16_t> mapping;                       // internal -> external port
  const std::uint16_t ports[] = {1000, 1001, 5000, 5001, 40000};
  std::uint64_t now = 1000 * kSecond;

  const auto live_mapping = [&](Endpoint4 internal, std::uint32_t now_s) {
    for (const auto& [k, exp] : expiry) {
      if (k.first == internal && now_s <= exp) return true;
    }
    return false;
  };

  for (int step = 0; step < 3000; ++step) {
    now += (rng() % 8) * kSecond + rng() % kSecond;
    const auto now_s = static_cast<std::uint32_t>(now / kSecond);
    const Endpoint4 internal{0x0A000001u + static_cast<std::uint32_t>(rng() % 12),
                             ports[rng() % 5]};
    const Endpoint4 remote{0xC6336400u + static_cast<std::uint32_t>(rng() % 4),
                           static_cast<std::uint16_t>(53 + rng() % 3)};
    if (rng() % 2 == 0) {
      auto pkt = udp(Ipv4Addr(internal.addr), internal.port, Ipv4Addr(remote.addr), remote.port);
      const Verdict v = run(engine, pkt, Side::lan, now);
      ASSERT_EQ(v.action, Action::forward_wan) << "step " << step;
      ASSERT_EQ(test::checksum_problems(pkt), std::vector<std::string>{});
      const std::uint16_t ext = net::load_be16(pkt.data() + 20);
      EXPECT_EQ(net::load_be32(pkt.data() + 12), kPublic.value());
      if (live_mapping(internal, now_s)) {
        ASSERT_EQ(ext, mapping[internal]) << "EIM broken at step " << step;
      }
      for (const auto& [other, port] : mapping) {
        if (!(other == internal) && port == ext && live_mapping(other, now_s)) {
          FAIL() << "port " << ext << " overloaded at step " << step;
        }
      }
      mapping[internal] = ext;
      expiry[{internal, remote}] = now_s + 120;
    } else {
      // Inbound to the mapping of some internal endpoint we have seen.
      if (mapping.empty()) continue;
      auto it = mapping.begin();
      std::advance(it, static_cast<long>(rng() % mapping.size()));
      auto pkt = udp(Ipv4Addr(remote.addr), remote.port, kPublic, it->second);
      // Which internal endpoint, if any, holds this external port with a
      // live session the filter lets this remote through by?
      const auto admits = [&](Endpoint4 known) {
        switch (filtering) {
          case Dependence::independent:
            return true;
          case Dependence::address:
            return known.addr == remote.addr;
          case Dependence::address_and_port:
            return known == remote;
        }
        return false;
      };
      std::optional<Endpoint4> owner;
      for (const auto& [k, exp] : expiry) {
        if (admits(k.second) && now_s <= exp && mapping[k.first] == it->second) owner = k.first;
      }
      const Verdict v = run(engine, pkt, Side::wan, now);
      if (owner) {
        ASSERT_EQ(v.action, Action::forward_lan) << "step " << step;
        ASSERT_EQ(test::checksum_problems(pkt), std::vector<std::string>{});
        EXPECT_EQ(net::load_be32(pkt.data() + 16), owner->addr);
        EXPECT_EQ(net::load_be16(pkt.data() + 22), owner->port);
        expiry[{*owner, remote}] = now_s + 120;
      } else {
        ASSERT_EQ(v, Verdict::dropped(DropReason::no_session)) << "step " << step;
      }
    }
  }
  EXPECT_GT(engine.counters().sessions_expired, 0u);
  EXPECT_GT(engine.counters().out2in, 0u);
}

TEST_P(EngineModel, AgreesWithReference) {
  for (const Dependence filtering :
       {Dependence::independent, Dependence::address, Dependence::address_and_port}) {
    SCOPED_TRACE("filtering " + std::to_string(static_cast<int>(filtering)));
    agrees_with_reference(GetParam(), filtering);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, EngineModel, ::testing::Values(1u, 7u, 4787u, 5382u));

TEST(Engine, SameFlowTwiceInOneBatchMakesOneSession) {
  Engine engine(base_config(1));
  auto a = udp(Ipv4Addr(0x0A000002u), 4000, Ipv4Addr(0xC6336401u), 53);
  auto b = a;
  const PacketRef refs[] = {parse_packet(a), parse_packet(b)};
  Verdict v[2];
  engine.process(refs, Side::lan, kSecond, v);
  EXPECT_EQ(v[0].action, Action::forward_wan);
  EXPECT_EQ(v[1].action, Action::forward_wan);
  // Two datagrams, two IPv4 IDs (RFC 7857 §11); otherwise the same.
  EXPECT_NE(net::load_be16(a.data() + 4), net::load_be16(b.data() + 4));
  std::copy_n(a.begin() + 4, 2, b.begin() + 4);
  std::copy_n(a.begin() + 10, 2, b.begin() + 10);
  EXPECT_EQ(a, b);
  EXPECT_EQ(engine.session_count(), 1u);
}

TEST(Engine, SameSeedSameChoices) {
  // Two hosts with the same source port force a randomised second port.
  const auto second_port = [](std::uint64_t seed) {
    Engine engine(base_config(seed));
    auto a = udp(Ipv4Addr(0x0A000002u), 4000, Ipv4Addr(0xC6336401u), 53);
    auto b = udp(Ipv4Addr(0x0A000003u), 4000, Ipv4Addr(0xC6336401u), 53);
    run(engine, a, Side::lan, kSecond);
    run(engine, b, Side::lan, kSecond);
    return net::load_be16(b.data() + 20);
  };
  EXPECT_EQ(second_port(11), second_port(11));
  EXPECT_NE(second_port(11), 4000);
  EXPECT_NE(second_port(11), second_port(12));
}

// A TCP super-frame's checksum field holds the pseudo-header seed the
// egress device finishes from (ParsedPacket::l4_seed, docs/adr/0004): the
// engine moves it with the addresses only, both ways, and the port change
// stays out of it. The second host's port is taken, so its port changes.
TEST(Engine, ChecksumSeedFollowsTheAddressesOnly) {
  Engine engine(base_config(3));
  const Ipv4Addr remote = Ipv4Addr::from_octets(198, 51, 100, 9);
  const auto tcp = [&](Ipv4Addr src, std::uint16_t sport, Ipv4Addr dst, std::uint16_t dport,
                       std::uint8_t flags, bool seed) {
    test::PacketSpec s = harness::flow(test::L4Kind::tcp, src, sport, dst, dport);
    s.tcp_flags = flags;
    s.tcp_checksum_seed = seed;
    s.payload = test::pattern_payload(seed ? 3000 : 0);
    return test::build_packet(s);
  };
  const auto send = [&](std::vector<std::uint8_t>& pkt, Side side, bool seed) {
    return run(engine, pkt, side, kSecond, seed).action;
  };
  const auto transport = [](bool seed) {
    return seed ? test::TransportSum::seed : test::TransportSum::complete;
  };
  using test::tcp_flag::kAck;
  using test::tcp_flag::kSyn;
  const Ipv4Addr first(0x0A000002u);
  const Ipv4Addr second(0x0A000003u);
  auto taken = tcp(first, 40000, remote, 443, kSyn, false);
  ASSERT_EQ(send(taken, Side::lan, false), Action::forward_wan);
  auto syn = tcp(second, 40000, remote, 443, kSyn, false);
  ASSERT_EQ(send(syn, Side::lan, false), Action::forward_wan);
  const std::uint16_t port = net::load_be16(syn.data() + 20);
  ASSERT_NE(port, 40000);
  for (const bool seed : {false, true}) {
    auto out = tcp(second, 40000, remote, 443, kAck, seed);
    ASSERT_EQ(send(out, Side::lan, seed), Action::forward_wan);
    EXPECT_EQ(net::load_be32(out.data() + 12), kPublic.value());
    EXPECT_EQ(net::load_be16(out.data() + 20), port);
    EXPECT_EQ(test::checksum_problems(out, transport(seed)), std::vector<std::string>{});
    auto in = tcp(remote, 443, kPublic, port, kAck, seed);
    ASSERT_EQ(send(in, Side::wan, seed), Action::forward_lan);
    EXPECT_EQ(net::load_be32(in.data() + 16), second.value());
    EXPECT_EQ(net::load_be16(in.data() + 22), 40000);
    EXPECT_EQ(test::checksum_problems(in, transport(seed)), std::vector<std::string>{});
  }
}

TEST(Engine, MemoryPerSessionWithinBudget) {
  // The design target: at most 64 bytes per session at 1 Mi sessions,
  // everything included (pool, four indexes, ring links, subscribers).
  EngineConfig cfg = base_config(1);
  cfg.max_sessions = 1u << 20;
  const Engine engine(cfg);
  EXPECT_LE(engine.memory_bytes(), 64u * cfg.max_sessions);
}

TEST(Engine, RejectsInvalidConfig) {
  EngineConfig cfg = base_config(1);
  cfg.inside.clear();
  EXPECT_THROW(Engine{cfg}, std::invalid_argument);
}

TEST(Engine, ListsLiveSessions) {
  Engine engine(base_config(1));
  auto a = udp(Ipv4Addr(0x0A000002u), 4000, Ipv4Addr(0xC6336401u), 53);
  run(engine, a, Side::lan, 10 * kSecond);
  std::vector<SessionView> seen;
  engine.for_each_session([&](const SessionView& s) { seen.push_back(s); }, 20 * kSecond);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].internal_port, net::Port(4000));
  EXPECT_EQ(seen[0].external_addr, kPublic);
  EXPECT_EQ(seen[0].expires_in_s, 110u);
  EXPECT_EQ(seen[0].state, "udp");
  seen.clear();
  engine.for_each_session([&](const SessionView& s) { seen.push_back(s); }, 200 * kSecond);
  EXPECT_TRUE(seen.empty());
}

TEST(Engine, WalksSessionsInSlicesFromACursor) {
  EngineConfig cfg = base_config(1);
  cfg.max_sessions = 1000;
  Engine engine(cfg);
  for (std::uint16_t p = 0; p < 300; ++p) {
    auto a =
        udp(Ipv4Addr(0x0A000002u), static_cast<std::uint16_t>(2000 + p), Ipv4Addr(0xC6336401u), 53);
    run(engine, a, Side::lan, kSecond);
  }
  std::vector<std::uint16_t> ports;
  const auto visit = [&](const SessionView& s) { ports.push_back(s.internal_port.value()); };
  std::size_t slices = 0;
  std::size_t cursor = 0;
  do {
    const std::size_t before = ports.size();
    cursor = engine.for_each_session_from(cursor, 64, visit, 2 * kSecond);
    EXPECT_LE(ports.size() - before, 64u);
    ++slices;
  } while (cursor != 0);
  EXPECT_GE(slices, 300u / 64);
  std::sort(ports.begin(), ports.end());
  ASSERT_EQ(ports.size(), 300u);
  for (std::uint16_t p = 0; p < 300; ++p) EXPECT_EQ(ports[p], 2000 + p);
}

TEST(Engine, ExpiryIsLazyAndBounded) {
  EngineConfig cfg = base_config(1);
  cfg.expiry_scan_per_batch = 8;
  Engine engine(cfg);
  for (std::uint16_t p = 0; p < 100; ++p) {
    auto a =
        udp(Ipv4Addr(0x0A000002u), static_cast<std::uint16_t>(2000 + p), Ipv4Addr(0xC6336401u), 53);
    run(engine, a, Side::lan, kSecond);
  }
  ASSERT_EQ(engine.session_count(), 100u);
  // Long after expiry, one batch frees at most the scan budget.
  auto late = udp(Ipv4Addr(0x0A000009u), 9, Ipv4Addr(0xC6336401u), 53);
  run(engine, late, Side::lan, 1000 * kSecond);
  EXPECT_GE(engine.session_count(), 100u + 1 - 8);
  for (int i = 0; i < 600; ++i) {
    auto b = udp(Ipv4Addr(0x0A000009u), 9, Ipv4Addr(0xC6336401u), 53);
    run(engine, b, Side::lan, 1000 * kSecond);
  }
  EXPECT_EQ(engine.session_count(), 1u);
  EXPECT_EQ(engine.subscriber_count(), 1u);
}

}  // namespace
}  // namespace masq::nat
