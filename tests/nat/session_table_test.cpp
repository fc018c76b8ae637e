#include "session_table.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace masq::nat {
namespace {

using net::Proto;
constexpr std::uint32_t kNone = SessionTable::kNone;
constexpr std::uint32_t kHost = 0xC0A84D02;  // 192.168.77.2
constexpr std::uint32_t kExt = 0xCB007101;   // 203.0.113.1

EngineConfig table_config(std::uint32_t max_sessions = 16) {
  EngineConfig cfg;
  cfg.max_sessions = max_sessions;
  cfg.timeouts.udp_s = 30;
  cfg.timeouts.icmp_s = 10;
  cfg.timeouts.tcp_established_s = 1000;
  cfg.timeouts.tcp_opening_s = 20;
  cfg.seed = 7;
  return cfg;
}

// Writes a session (UDP, or TCP closed by FINs) from kHost:port to remote into a taken slot and
// links it, onto `ring` when given; returns its slot.
std::uint32_t add(SessionTable& t, std::uint16_t port, std::uint32_t remote,
                  std::uint32_t ring = kNone, std::uint32_t expires_s = 100,
                  Proto proto = Proto::udp) {
  const std::uint32_t idx = t.take_slot();
  EXPECT_NE(idx, kNone);
  Session& s = t[idx];
  s = Session{};
  s.int_addr = kHost;
  s.int_port = port;
  s.rem_addr = remote;
  s.rem_port = 53;
  s.ext_addr = kExt;
  s.ext_port = static_cast<std::uint16_t>(port + 1);
  s.proto = static_cast<std::uint8_t>(proto);
  if (proto == Proto::tcp) s.set_tcp_state(TcpState::fin_both);
  s.expires_s = expires_s;
  SessionTable::LinkHashes h;
  h.in2out = t.in2out().hash(s.in2out_key());
  h.out2in = t.out2in().hash(s.out2in_key());
  h.mapping = t.by_internal().hash(s.internal_endpoint_key());
  h.external = t.by_external().hash(s.external_endpoint_key());
  t.link(idx, ring, h);
  return idx;
}

std::uint32_t find_in2out(const SessionTable& t, const Session& like) {
  return t.in2out().find(like.in2out_key(), t.in2out().hash(like.in2out_key()));
}
std::uint32_t find_mapping(const SessionTable& t, const Session& like) {
  return t.by_internal().find(like.internal_endpoint_key(),
                              t.by_internal().hash(like.internal_endpoint_key()));
}
std::uint32_t find_external(const SessionTable& t, const Session& like) {
  return t.by_external().find(like.external_endpoint_key(),
                              t.by_external().hash(like.external_endpoint_key()));
}

TEST(SessionTable, SlotsLowestFirstUntilFull) {
  SessionTable t(table_config(3));
  EXPECT_EQ(t.take_slot(), 0u);
  EXPECT_EQ(t.take_slot(), 1u);
  EXPECT_EQ(t.take_slot(), 2u);
  EXPECT_EQ(t.take_slot(), kNone);
  t.return_slot(1);
  EXPECT_EQ(t.take_slot(), 1u);
  EXPECT_EQ(t.live(), 0u);  // slots taken, nothing linked
}

TEST(SessionTable, LinkedSessionIsFoundFromBothSides) {
  SessionTable t(table_config());
  const std::uint32_t a = add(t, 5000, 0x0A000001);
  const Session s = t[a];
  EXPECT_EQ(find_in2out(t, s), a);
  EXPECT_EQ(t.out2in().find(s.out2in_key(), t.out2in().hash(s.out2in_key())), a);
  EXPECT_EQ(find_mapping(t, s), a);
  EXPECT_EQ(find_external(t, s), a);
  EXPECT_EQ(t.live(), 1u);
}

TEST(SessionTable, MappingOutlivesTheSessionThatMadeIt) {
  SessionTable t(table_config());
  const std::uint32_t a = add(t, 5000, 0x0A000001);
  const std::uint32_t b = add(t, 5000, 0x0A000002, a);
  const std::uint32_t c = add(t, 5000, 0x0A000003, a);
  const Session first = t[a];
  EXPECT_EQ(t[a].ring_next, c);  // joined right after the ring's session
  const SessionTable::Removed ra = t.remove(a);
  EXPECT_FALSE(ra.mapping_gone);
  EXPECT_EQ(ra.session.rem_addr, 0x0A000001u);
  EXPECT_FALSE(t[a].in_use());
  EXPECT_EQ(find_in2out(t, first), kNone);
  // The mapping is now held by another session of its ring.
  const std::uint32_t holder = find_mapping(t, first);
  EXPECT_TRUE(holder == b || holder == c);
  EXPECT_EQ(find_external(t, first), holder);
  EXPECT_FALSE(t.remove(b).mapping_gone);
  EXPECT_EQ(find_mapping(t, first), c);
  EXPECT_EQ(t[c].ring_next, c);
  EXPECT_TRUE(t.remove(c).mapping_gone);
  EXPECT_EQ(find_mapping(t, first), kNone);
  EXPECT_EQ(find_external(t, first), kNone);
  EXPECT_EQ(t.live(), 0u);
}

TEST(SessionTable, RemovedSlotIsReusedFirst) {
  SessionTable t(table_config());
  add(t, 5000, 1);
  const std::uint32_t b = add(t, 5001, 1);
  add(t, 5002, 1);
  t.remove(b);
  EXPECT_EQ(t.take_slot(), b);
}

TEST(SessionTable, TimeoutsFollowProtocolAndTcpState) {
  SessionTable t(table_config());
  Session s;
  s.proto = static_cast<std::uint8_t>(Proto::udp);
  EXPECT_EQ(t.timeout_s(s), 30u);
  s.proto = static_cast<std::uint8_t>(Proto::icmp);
  EXPECT_EQ(t.timeout_s(s), 10u);
  s.proto = static_cast<std::uint8_t>(Proto::tcp);
  s.set_tcp_state(TcpState::established);
  EXPECT_EQ(t.timeout_s(s), 1000u);
  s.set_tcp_state(TcpState::syn_out);
  EXPECT_EQ(t.timeout_s(s), 20u);
  s.expires_s = 50;
  t.set_now(50);
  EXPECT_TRUE(t.alive(s));
  t.set_now(51);
  EXPECT_FALSE(t.alive(s));
}

TEST(SessionTable, ExpirySweepsWithinItsBudget) {
  SessionTable t(table_config(32));
  std::vector<std::uint32_t> expiring;
  for (std::uint16_t i = 0; i < 20; ++i) {
    const std::uint32_t idx =
        add(t, static_cast<std::uint16_t>(6000 + 2 * i), 1, kNone, i % 2 == 0 ? 10 : 1000);
    if (i % 2 == 0) expiring.push_back(idx);
  }
  t.set_now(11);
  std::vector<std::uint32_t> removed;
  // The first call looks at 8 of the 20 used slots only.
  t.expire_some(8, [&](const SessionTable::Removed& r) { removed.push_back(r.session.int_port); });
  EXPECT_EQ(removed.size(), 4u);
  t.expire_some(64, [&](const SessionTable::Removed& r) { removed.push_back(r.session.int_port); });
  EXPECT_EQ(removed.size(), expiring.size());
  EXPECT_EQ(t.live(), 10u);
  // Each was the last of its mapping: the mapping rests for the reuse
  // delay (RFC 6888 REQ-8), counted once, when its session expired.
  for (const std::uint32_t idx : expiring) EXPECT_TRUE(t[idx].resting());
  EXPECT_EQ(t.resting(), expiring.size());
  t.set_now(10 + 120);
  t.expire_some(64, [&](const SessionTable::Removed& r) { removed.push_back(r.session.int_port); });
  EXPECT_EQ(t.resting(), expiring.size());
  t.set_now(10 + 120 + 1);
  t.expire_some(64, [&](const SessionTable::Removed& r) { removed.push_back(r.session.int_port); });
  EXPECT_EQ(removed.size(), expiring.size());
  EXPECT_EQ(t.resting(), 0u);
  for (const std::uint32_t idx : expiring) EXPECT_FALSE(t[idx].in_use());
}

TEST(SessionTable, ARestingMappingHoldsOnlyItsExternalEndpoint) {
  SessionTable t(table_config(8));
  const std::uint32_t idx = add(t, 6000, 1, kNone, 10);
  const Session like = t[idx];
  t.set_now(11);
  t.expire_some(64, [](const SessionTable::Removed& r) { EXPECT_TRUE(r.mapping_gone); });
  EXPECT_EQ(t.live(), 0u);
  EXPECT_EQ(find_external(t, like), idx);
  EXPECT_EQ(find_in2out(t, like), kNone);
  EXPECT_EQ(find_mapping(t, like), kNone);
  // Under pressure a new flow outranks a resting port.
  EXPECT_EQ(t.reclaim_expired(1024, [](const SessionTable::Removed&) { FAIL(); }), 1u);
  EXPECT_EQ(find_external(t, like), kNone);
  EXPECT_EQ(t.resting(), 0u);
}

TEST(SessionTable, NoRestWithoutADelayOrAfterATcpClose) {
  EngineConfig cfg = table_config(8);
  cfg.port_reuse_delay_s = 0;
  SessionTable off(cfg);
  add(off, 6000, 1, kNone, 10);
  off.set_now(11);
  off.expire_some(64, [](const SessionTable::Removed&) {});
  EXPECT_EQ(off.resting(), 0u);
  // RFC 6888 REQ-8's first exception: a TCP connection that closed.
  SessionTable t(table_config(8));
  const std::uint32_t idx = add(t, 6000, 1, kNone, 10, Proto::tcp);
  t.set_now(11);
  t.expire_some(64, [](const SessionTable::Removed&) {});
  EXPECT_EQ(t.resting(), 0u);
  EXPECT_FALSE(t[idx].in_use());
}

TEST(SessionTable, ReclaimFreesExpiredAheadOfTheSweep) {
  SessionTable t(table_config(4));
  for (std::uint16_t i = 0; i < 4; ++i)
    add(t, static_cast<std::uint16_t>(7000 + 2 * i), 1, kNone, 10 + i);
  EXPECT_EQ(t.take_slot(), kNone);
  t.set_now(12);  // the first two have expired
  std::uint32_t seen = 0;
  EXPECT_EQ(t.reclaim_expired(1024, [&](const SessionTable::Removed&) { ++seen; }), 2u);
  EXPECT_EQ(seen, 2u);
  EXPECT_EQ(t.live(), 2u);
  EXPECT_NE(t.take_slot(), kNone);
}

TEST(SessionTable, ReclaimLooksAtMostLimitSlots) {
  SessionTable t(table_config(4));
  for (std::uint16_t i = 0; i < 4; ++i)
    add(t, static_cast<std::uint16_t>(7000 + 2 * i), 1, kNone, 10);
  t.set_now(11);
  EXPECT_EQ(t.reclaim_expired(1, [](const SessionTable::Removed&) {}), 1u);
  EXPECT_EQ(t.live(), 3u);
}

}  // namespace
}  // namespace masq::nat
