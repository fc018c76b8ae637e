#include "policy.hpp"

#include <gtest/gtest.h>

namespace masq::nat {
namespace {

using net::Ipv4Addr;
using net::Proto;
using Out = OutboundMiss::Kind;
using In = InboundMiss::Kind;

const std::uint32_t kHost = Ipv4Addr::from_octets(192, 168, 77, 2).value();
const std::uint32_t kOtherHost = Ipv4Addr::from_octets(192, 168, 77, 9).value();
const std::uint32_t kStaticHost = Ipv4Addr::from_octets(192, 168, 77, 5).value();
const std::uint32_t kServer = Ipv4Addr::from_octets(192, 168, 77, 3).value();
const std::uint32_t kPool = Ipv4Addr::from_octets(203, 0, 113, 1).value();
const std::uint32_t kStatic = Ipv4Addr::from_octets(203, 0, 113, 5).value();
const std::uint32_t kRemote = Ipv4Addr::from_octets(198, 51, 100, 7).value();
const std::uint32_t kExcluded = Ipv4Addr::from_octets(10, 99, 0, 1).value();

EngineConfig policy_config() {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("192.168.77.0/24")};
  cfg.exclude = {*net::Ipv4Prefix::parse("10.99.0.0/16")};
  cfg.pool = {{Ipv4Addr(kPool), Ipv4Addr(kPool)}};
  cfg.static_nat = {{Ipv4Addr(kStaticHost), Ipv4Addr(kStatic)}};
  cfg.forwards = {{Proto::tcp, Ipv4Addr(kPool), {8000, 8010}, Ipv4Addr(kServer), 9000}};
  return cfg;
}

net::FlowKey key(std::uint32_t src, std::uint16_t sport, std::uint32_t dst, std::uint16_t dport,
                 Proto proto = Proto::udp) {
  return net::FlowKey::of(src, dst, sport, dport, proto);
}

// Holds the parts a Policy reads, in one place for each test.
struct World {
  explicit World(const EngineConfig& c = policy_config())
      : cfg(c),
        table(cfg),
        rules(cfg),
        pool(cfg.pool, cfg.pool_mode, cfg.seed),
        explicit_mappings(cfg.max_explicit_mappings),
        policy(cfg, rules, pool, table, explicit_mappings) {}
  // A live session of `proto` from kHost:int_port to `remote`, on the
  // ring of session `ring` or as a mapping of its own at kPool:ext_port.
  std::uint32_t add(std::uint16_t int_port, Endpoint remote, std::uint16_t ext_port,
                    Proto proto = Proto::udp, std::uint32_t ring = SessionTable::kNone) {
    const std::uint32_t idx = table.take_slot();
    Session& s = table[idx];
    s = Session{};
    s.int_addr = kHost;
    s.int_port = int_port;
    s.rem_addr = remote.addr;
    s.rem_port = remote.port;
    s.ext_addr = kPool;
    s.ext_port = ext_port;
    s.proto = static_cast<std::uint8_t>(proto);
    s.set_mapping(policy.mapping(proto));
    s.expires_s = 100;
    SessionTable::LinkHashes h;
    h.in2out = table.in2out().hash(s.in2out_key());
    h.out2in = table.out2in().hash(s.out2in_key());
    h.mapping = table.by_internal().hash(s.internal_endpoint_key());
    h.external = table.by_external().hash(s.external_endpoint_key());
    table.link(idx, ring, h);
    return idx;
  }
  EngineConfig cfg;
  SessionTable table;
  StaticRules rules;
  AddressPool pool;
  ExplicitMappings explicit_mappings;
  Policy policy;
};

EngineConfig with_udp(Dependence mapping, Dependence filtering) {
  EngineConfig cfg = policy_config();
  cfg.behaviour.udp = {mapping, filtering};
  return cfg;
}

TEST(Policy, MappingKeyIsTheSessionsInternalEndpointKey) {
  Session s;
  s.int_addr = kHost;
  s.int_port = 5000;
  s.rem_addr = kRemote;
  s.rem_port = 53;
  s.proto = static_cast<std::uint8_t>(Proto::udp);
  const Endpoint remote{kRemote, 53};
  for (const Dependence d :
       {Dependence::independent, Dependence::address, Dependence::address_and_port}) {
    const World w(with_udp(d, Dependence::address_and_port));
    s.set_mapping(d);
    EXPECT_EQ(s.mapping(), d);
    EXPECT_EQ(w.policy.mapping_key({kHost, 5000}, remote, Proto::udp), s.internal_endpoint_key());
    EXPECT_NE(w.policy.mapping_key({kHost, 5000}, remote, Proto::tcp), s.internal_endpoint_key());
    EXPECT_NE(w.policy.mapping_key({kHost, 5001}, remote, Proto::udp), s.internal_endpoint_key());
  }
}

TEST(Policy, MappingKeyDependsOnWhatTheModeNames) {
  const Endpoint host{kHost, 5000};
  const Endpoint other_port{kRemote, 54};
  const Endpoint other_addr{kServer, 53};
  const Endpoint remote{kRemote, 53};
  // RFC 4787 REQ-1: endpoint-independent, the remote is no part of it.
  const World eim(with_udp(Dependence::independent, Dependence::independent));
  EXPECT_EQ(eim.policy.mapping_key(host, remote, Proto::udp),
            eim.policy.mapping_key(host, other_addr, Proto::udp));
  const World adm(with_udp(Dependence::address, Dependence::address));
  EXPECT_EQ(adm.policy.mapping_key(host, remote, Proto::udp),
            adm.policy.mapping_key(host, other_port, Proto::udp));
  EXPECT_NE(adm.policy.mapping_key(host, remote, Proto::udp),
            adm.policy.mapping_key(host, other_addr, Proto::udp));
  const World apdm(with_udp(Dependence::address_and_port, Dependence::address_and_port));
  EXPECT_NE(apdm.policy.mapping_key(host, remote, Proto::udp),
            apdm.policy.mapping_key(host, other_port, Proto::udp));
  // Each protocol has its own: TCP stays EIM.
  EXPECT_EQ(apdm.policy.mapping_key(host, remote, Proto::tcp),
            apdm.policy.mapping_key(host, other_addr, Proto::tcp));
}

TEST(Policy, DefaultsAreUdpEimEifTcpEimAdf) {
  const Behaviours b;
  EXPECT_EQ(b.udp, (Behaviour{Dependence::independent, Dependence::independent}));
  EXPECT_EQ(b.tcp, (Behaviour{Dependence::independent, Dependence::address}));
  EXPECT_EQ(b.icmp.mapping, Dependence::independent);
}

TEST(Policy, EndpointIndependentFilteringAdmitsAnyRemote) {
  World w(with_udp(Dependence::independent, Dependence::independent));
  const std::uint32_t idx = w.add(5000, {kRemote, 53}, 6000);
  const InboundMiss m = w.policy.inbound_miss(key(kRemote + 100, 999, kPool, 6000), true);
  EXPECT_EQ(m.kind, In::admitted);
  EXPECT_EQ(m.internal, (Endpoint{kHost, 5000}));
  EXPECT_EQ(m.session, idx);
  // Only the mapping's own external endpoint, and only its protocol
  // (RFC 7857 §3 REQ-6/7: a UDP mapping opens no TCP port).
  EXPECT_EQ(w.policy.inbound_miss(key(kRemote, 53, kPool, 6001), true).kind, In::drop);
  EXPECT_EQ(w.policy.inbound_miss(key(kRemote, 53, kPool, 6000, Proto::tcp), true).kind, In::drop);
  // A packet that may not open a session is not admitted.
  EXPECT_EQ(w.policy.inbound_miss(key(kRemote, 53, kPool, 6000), false).kind, In::drop);
}

TEST(Policy, AddressDependentFilteringAdmitsKnownAddressesOnly) {
  World w(with_udp(Dependence::independent, Dependence::address));
  const std::uint32_t first = w.add(5000, {kRemote, 53}, 6000);
  w.add(5000, {kRemote + 1, 80}, 6000, Proto::udp, first);
  EXPECT_EQ(w.policy.inbound_miss(key(kRemote, 999, kPool, 6000), true).kind, In::admitted);
  // Found on the ring, not only at its head.
  EXPECT_EQ(w.policy.inbound_miss(key(kRemote + 1, 7, kPool, 6000), true).kind, In::admitted);
  const InboundMiss stranger = w.policy.inbound_miss(key(kRemote + 2, 53, kPool, 6000), true);
  EXPECT_EQ(stranger.kind, In::drop);
  EXPECT_EQ(stranger.reason, DropReason::no_session);
}

TEST(Policy, AddressAndPortDependentFilteringAdmitsNoMiss) {
  World w(with_udp(Dependence::independent, Dependence::address_and_port));
  w.add(5000, {kRemote, 53}, 6000);
  EXPECT_EQ(w.policy.inbound_miss(key(kRemote, 54, kPool, 6000), true).kind, In::drop);
}

TEST(Policy, ExpiredSessionsAdmitNothing) {
  World w(with_udp(Dependence::independent, Dependence::independent));
  w.add(5000, {kRemote, 53}, 6000);
  w.table.set_now(101);
  EXPECT_EQ(w.policy.inbound_miss(key(kRemote + 3, 1, kPool, 6000), true).kind, In::drop);
}

TEST(Policy, TcpDefaultAdmitsSynsFromKnownAddresses) {
  World w;
  w.add(40000, {kRemote, 443}, 40000, Proto::tcp);
  EXPECT_EQ(w.policy.inbound_miss(key(kRemote, 80, kPool, 40000, Proto::tcp), true).kind,
            In::admitted);
  EXPECT_EQ(w.policy.inbound_miss(key(kRemote + 1, 80, kPool, 40000, Proto::tcp), true).kind,
            In::drop);
}

TEST(Policy, OutboundOpensFromInsideOnly) {
  const World w;
  const OutboundMiss open = w.policy.outbound_miss(key(kHost, 5000, kRemote, 53), true);
  EXPECT_EQ(open.kind, Out::open);
  EXPECT_FALSE(open.hairpin);
  const OutboundMiss foreign = w.policy.outbound_miss(
      key(Ipv4Addr::from_octets(192, 168, 78, 1).value(), 5000, kRemote, 53), true);
  EXPECT_EQ(foreign.kind, Out::drop);
  EXPECT_EQ(foreign.reason, DropReason::source_not_inside);
}

TEST(Policy, OutboundOnlyOpeningPacketsOpen) {
  const World w;
  const OutboundMiss ack =
      w.policy.outbound_miss(key(kHost, 40000, kRemote, 80, Proto::tcp), false);
  EXPECT_EQ(ack.kind, Out::drop);
  EXPECT_EQ(ack.reason, DropReason::tcp_not_syn);
  const OutboundMiss reply = w.policy.outbound_miss(key(kHost, 7, kRemote, 0, Proto::icmp), false);
  EXPECT_EQ(reply.kind, Out::drop);
  EXPECT_EQ(reply.reason, DropReason::no_session);
}

TEST(Policy, OutboundUntranslatedBetweenInsideAndToExcluded) {
  const World w;
  const OutboundMiss inside = w.policy.outbound_miss(key(kHost, 5000, kOtherHost, 53), true);
  EXPECT_EQ(inside.kind, Out::untranslated);
  EXPECT_EQ(inside.action, Action::hairpin);
  const OutboundMiss excluded = w.policy.outbound_miss(key(kHost, 5000, kExcluded, 53), true);
  EXPECT_EQ(excluded.kind, Out::untranslated);
  EXPECT_EQ(excluded.action, Action::forward_wan);
}

TEST(Policy, OutboundStaticNatBeforeSessions) {
  const World w;
  // Even a packet that could not open a session: static NAT keeps no state.
  const OutboundMiss m =
      w.policy.outbound_miss(key(kStaticHost, 40000, kRemote, 80, Proto::tcp), false);
  EXPECT_EQ(m.kind, Out::static_nat);
  EXPECT_EQ(m.external, kStatic);
  EXPECT_FALSE(m.hairpin);
}

TEST(Policy, OutboundToOurAddressHairpinsOrDrops) {
  const World on;
  const OutboundMiss m = on.policy.outbound_miss(key(kHost, 5000, kPool, 8000), true);
  EXPECT_EQ(m.kind, Out::open);
  EXPECT_TRUE(m.hairpin);
  EngineConfig cfg = policy_config();
  cfg.hairpinning = false;
  const World off(cfg);
  const OutboundMiss d = off.policy.outbound_miss(key(kHost, 5000, kPool, 8000), true);
  EXPECT_EQ(d.kind, Out::drop);
  EXPECT_EQ(d.reason, DropReason::no_session);
}

TEST(Policy, InboundForgedSourcesAreMartians) {
  const World w;
  for (const std::uint32_t src : {kHost, kPool, kStatic}) {
    const InboundMiss m = w.policy.inbound_miss(key(src, 53, kPool, 5000), true);
    EXPECT_EQ(m.kind, In::drop);
    EXPECT_EQ(m.reason, DropReason::martian_source);
  }
}

TEST(Policy, InboundFiltersWhatNoRuleTakes) {
  // Without a mapping or a rule, a packet to our address is refused
  // silently (RFC 5382 REQ-4), one to another address is not ours to take.
  const World w;
  const InboundMiss ours = w.policy.inbound_miss(key(kRemote, 53, kPool, 5000), true);
  EXPECT_EQ(ours.kind, In::drop);
  EXPECT_EQ(ours.reason, DropReason::no_session);
  const InboundMiss other = w.policy.inbound_miss(
      key(kRemote, 53, Ipv4Addr::from_octets(203, 0, 113, 99).value(), 5000), true);
  EXPECT_EQ(other.kind, In::drop);
  EXPECT_EQ(other.reason, DropReason::not_for_us);
}

TEST(Policy, InboundStaticNatAndForwards) {
  const World w;
  const InboundMiss st = w.policy.inbound_miss(key(kRemote, 53, kStatic, 5000), false);
  EXPECT_EQ(st.kind, In::static_nat);
  EXPECT_EQ(st.internal.addr, kStaticHost);
  const InboundMiss fwd = w.policy.inbound_miss(key(kRemote, 40000, kPool, 8004, Proto::tcp), true);
  EXPECT_EQ(fwd.kind, In::forward);
  EXPECT_EQ(fwd.internal, (Endpoint{kServer, 9004}));
  // Only a SYN opens a forwarded TCP session.
  const InboundMiss ack =
      w.policy.inbound_miss(key(kRemote, 40000, kPool, 8004, Proto::tcp), false);
  EXPECT_EQ(ack.kind, In::drop);
  EXPECT_EQ(ack.reason, DropReason::no_session);
  // The forward is TCP only, and ICMP echo identifiers are no ports.
  EXPECT_EQ(w.policy.inbound_miss(key(kRemote, 40000, kPool, 8004, Proto::udp), true).kind,
            In::drop);
  EXPECT_EQ(w.policy.inbound_miss(key(kRemote, 0, kPool, 8004, Proto::icmp), true).kind, In::drop);
}

TEST(Policy, InboundFromExcludedToInsideUntranslated) {
  const World w;
  EXPECT_EQ(w.policy.inbound_miss(key(kExcluded, 53, kHost, 5000), true).kind, In::untranslated);
  EXPECT_EQ(w.policy.inbound_miss(key(kRemote, 53, kHost, 5000), true).reason,
            DropReason::not_for_us);
}

TEST(Policy, BehindExternalIsStaticOrForwardWithoutMappings) {
  const World w;
  EXPECT_FALSE(w.policy.behind_external(key(kPool, 5000, kPool, 5001), true));
  const auto fwd = w.policy.behind_external(key(kPool, 5000, kPool, 8000, Proto::tcp), true);
  ASSERT_TRUE(fwd);
  EXPECT_EQ(fwd->kind, In::forward);
  const auto st = w.policy.behind_external(key(kPool, 5000, kStatic, 80), true);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->kind, In::static_nat);
}

TEST(Policy, OursIsPoolStaticAndForwardAddresses) {
  EngineConfig cfg = policy_config();
  cfg.forwards[0].external_addr = Ipv4Addr::from_octets(203, 0, 113, 9);
  const World w(cfg);
  EXPECT_TRUE(w.policy.is_ours(kPool));
  EXPECT_TRUE(w.policy.is_ours(kStatic));
  EXPECT_TRUE(w.policy.is_ours(Ipv4Addr::from_octets(203, 0, 113, 9).value()));
  EXPECT_FALSE(w.policy.is_ours(Ipv4Addr::from_octets(203, 0, 113, 7).value()));
  EXPECT_FALSE(w.policy.is_ours(kRemote));
}

}  // namespace
}  // namespace masq::nat
