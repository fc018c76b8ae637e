// Model test: SessionIndex against std::unordered_map, driven by seeded
// random inserts, erases, replaces and lookups, with a small table so that
// clusters, wrap-around and backward shifts all happen.
#include "session_index.hpp"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>
#include <vector>

namespace masq::nat {
namespace {

struct KeyHash {
  std::size_t operator()(const net::FlowKey& k) const { return k.hash(99); }
};

Session session_for(std::uint32_t n) {
  Session s;
  s.int_addr = 0x0A000000u | (n % 7);
  s.rem_addr = 0xCB000000u | (n % 5);
  s.int_port = static_cast<std::uint16_t>(n);
  s.rem_port = static_cast<std::uint16_t>(n >> 3);
  s.proto = 17;
  return s;
}

class SessionIndexModel : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(SessionIndexModel, AgreesWithReference) {
  // 1000 slots round up to one page of 1024, 900 sessions fill it to 88 %:
  // far fuller than the engine runs it, so clusters run across the
  // eight-slot groups candidate() reads at once and around the end.
  constexpr std::uint32_t kSessions = 900;
  std::vector<Session> sessions(kSessions);
  SessionIndex<&Session::in2out_key> index(1000, sessions.data(), GetParam());
  ASSERT_EQ(index.capacity(), 1024u);
  std::unordered_map<net::FlowKey, std::uint32_t, KeyHash> model;
  std::vector<std::uint32_t> free_slots;
  for (std::uint32_t i = 0; i < kSessions; ++i) free_slots.push_back(i);
  std::mt19937_64 rng(GetParam());
  std::uint32_t next_key = 0;

  for (int step = 0; step < 20000; ++step) {
    // 0 insert, 1 erase, 2 replace, 3 look up; inserts twice as likely as
    // each of the others, so the table fills up and then churns near full.
    const std::uint64_t roll = rng() % 5;
    const std::uint64_t op = roll == 0 ? 0 : roll - 1;
    if (op == 0 && !free_slots.empty()) {
      const std::uint32_t idx = free_slots.back();
      free_slots.pop_back();
      sessions[idx] = session_for(next_key++);
      const net::FlowKey k = sessions[idx].in2out_key();
      index.insert(index.hash(k), idx);
      model[k] = idx;
    } else if (op == 1 && !model.empty()) {
      auto it = model.begin();
      std::advance(it, static_cast<long>(rng() % model.size()));
      ASSERT_TRUE(index.erase(index.hash(it->first), it->second));
      free_slots.push_back(it->second);
      model.erase(it);
    } else if (op == 2 && !model.empty() && !free_slots.empty()) {
      // Move a key to another slot, as the mapping ring does.
      auto it = model.begin();
      std::advance(it, static_cast<long>(rng() % model.size()));
      const std::uint32_t to = free_slots.back();
      free_slots.pop_back();
      sessions[to] = sessions[it->second];
      ASSERT_TRUE(index.replace(index.hash(it->first), it->second, to));
      free_slots.push_back(it->second);
      it->second = to;
    } else {
      // Look up a present key or a never-inserted one.
      const bool present = !model.empty() && rng() % 2 == 0;
      net::FlowKey k =
          session_for(next_key + 1000 + static_cast<std::uint32_t>(rng() % 50)).in2out_key();
      if (present) {
        auto it = model.begin();
        std::advance(it, static_cast<long>(rng() % model.size()));
        k = it->first;
      }
      const std::uint64_t h = index.hash(k);
      const auto found = index.find(k, h);
      const auto expect = model.find(k);
      ASSERT_EQ(found,
                expect == model.end() ? SessionIndex<&Session::in2out_key>::kNone : expect->second);
      // The candidate is the session found, unless an earlier one of the
      // cluster has the same 8-bit tag; no candidate means no session.
      const auto candidate = index.candidate(h);
      if (candidate == SessionIndex<&Session::in2out_key>::kNone) {
        ASSERT_EQ(found, SessionIndex<&Session::in2out_key>::kNone);
      } else if (candidate != found) {
        ASSERT_EQ(index.hash(sessions[candidate].in2out_key()) & 0xFF, h & 0xFF);
      }
    }
  }
  for (const auto& [k, idx] : model) EXPECT_EQ(index.find(k, index.hash(k)), idx);
}

INSTANTIATE_TEST_SUITE_P(Seeds, SessionIndexModel, ::testing::Values(1u, 2u, 3u, 42u, 1624u));

TEST(SessionIndex, CandidateIsFirstTagMatch) {
  std::vector<Session> sessions(4);
  sessions[2] = session_for(7);
  SessionIndex<&Session::in2out_key> index(64, sessions.data(), 5);
  const std::uint64_t h = index.hash(sessions[2].in2out_key());
  EXPECT_EQ(index.candidate(h), SessionIndex<&Session::in2out_key>::kNone);
  index.insert(h, 2);
  EXPECT_EQ(index.candidate(h), 2u);
  EXPECT_EQ(index.memory_bytes(), index.capacity() * 4);
}

}  // namespace
}  // namespace masq::nat
