#include "masq/router/arp_cache.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace masq::router {
namespace {

constexpr std::uint64_t kMs = 1'000'000;
const ArpTimings kTimings{/*reachable_ms=*/30000, /*retry_ms=*/1000, /*max_retries=*/3};
const MacAddr kMacA({0x02, 0, 0, 0, 0, 0x0A});
const MacAddr kMacB({0x02, 0, 0, 0, 0, 0x0B});

net::Ipv4Addr ip(std::uint32_t host) {
  return net::Ipv4Addr(0x0A000000u + host);
}

std::vector<ArpEvent> tick(ArpCache& cache, std::uint64_t now_ns) {
  const auto events = cache.tick(now_ns);
  return {events.begin(), events.end()};
}

TEST(ArpCache, LearnsOnlyWhenAskedToCreate) {
  ArpCache cache(8, kTimings);
  EXPECT_EQ(cache.learn(ip(1), kMacA, /*create=*/false, 0), ArpCache::Learned::ignored);
  EXPECT_EQ(cache.lookup(ip(1)), nullptr);
  EXPECT_EQ(cache.learn(ip(1), kMacA, /*create=*/true, 0), ArpCache::Learned::added);
  ASSERT_NE(cache.lookup(ip(1)), nullptr);
  EXPECT_EQ(*cache.lookup(ip(1)), kMacA);
  // RFC 826 merge: a known address takes the new MAC even when not asked to create.
  EXPECT_EQ(cache.learn(ip(1), kMacB, /*create=*/false, 0), ArpCache::Learned::refreshed);
  EXPECT_EQ(*cache.lookup(ip(1)), kMacB);
}

TEST(ArpCache, ResolutionRequestsOnceThenWaits) {
  ArpCache cache(8, kTimings);
  EXPECT_EQ(cache.resolve(ip(2), 0), ArpCache::Resolve::request);
  EXPECT_EQ(cache.resolve(ip(2), 0), ArpCache::Resolve::waiting);
  EXPECT_EQ(cache.lookup(ip(2)), nullptr);  // incomplete entries are not usable
  EXPECT_EQ(cache.learn(ip(2), kMacA, /*create=*/false, 5 * kMs), ArpCache::Learned::resolved);
  EXPECT_EQ(*cache.lookup(ip(2)), kMacA);
}

TEST(ArpCache, RetriesThenFails) {
  ArpCache cache(8, kTimings);
  ASSERT_EQ(cache.resolve(ip(3), 0), ArpCache::Resolve::request);  // request 1
  EXPECT_TRUE(tick(cache, 999 * kMs).empty());
  const ArpEvent retry{ArpEvent::Kind::request, ip(3), MacAddr::broadcast()};
  EXPECT_EQ(tick(cache, 1000 * kMs), std::vector<ArpEvent>{retry});  // request 2
  EXPECT_TRUE(tick(cache, 1500 * kMs).empty());
  EXPECT_EQ(tick(cache, 2000 * kMs), std::vector<ArpEvent>{retry});  // request 3
  const ArpEvent failed{ArpEvent::Kind::failed, ip(3), MacAddr()};
  EXPECT_EQ(tick(cache, 3000 * kMs), std::vector<ArpEvent>{failed});
  EXPECT_EQ(cache.size(), 0u);
  // A later packet starts a new resolution.
  EXPECT_EQ(cache.resolve(ip(3), 3001 * kMs), ArpCache::Resolve::request);
}

TEST(ArpCache, StaleEntryIsPolledByUnicastAndStaysUsable) {
  ArpCache cache(8, kTimings);
  cache.learn(ip(4), kMacA, true, 0);
  EXPECT_TRUE(tick(cache, 29999 * kMs).empty());
  const ArpEvent poll{ArpEvent::Kind::request, ip(4), kMacA};
  EXPECT_EQ(tick(cache, 30000 * kMs), std::vector<ArpEvent>{poll});
  EXPECT_NE(cache.lookup(ip(4)), nullptr);
  // An answer makes it reachable again for a full period.
  EXPECT_EQ(cache.learn(ip(4), kMacA, false, 30500 * kMs), ArpCache::Learned::refreshed);
  EXPECT_TRUE(tick(cache, 60000 * kMs).empty());
  EXPECT_EQ(tick(cache, 60500 * kMs), std::vector<ArpEvent>{poll});
}

TEST(ArpCache, UnansweredPollsRemoveTheEntrySilently) {
  ArpCache cache(8, kTimings);
  cache.learn(ip(5), kMacA, true, 0);
  std::size_t polls = 0;
  for (std::uint64_t t = 30000; t <= 40000; t += 500) {
    for (const ArpEvent& e : tick(cache, t * kMs)) {
      EXPECT_EQ(e.kind, ArpEvent::Kind::request);
      ++polls;
    }
  }
  EXPECT_EQ(polls, kTimings.max_retries);
  EXPECT_EQ(cache.lookup(ip(5)), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ArpCache, FullTableRefusesNewEntries) {
  ArpCache cache(2, kTimings);
  EXPECT_EQ(cache.learn(ip(1), kMacA, true, 0), ArpCache::Learned::added);
  EXPECT_EQ(cache.resolve(ip(2), 0), ArpCache::Resolve::request);
  EXPECT_EQ(cache.learn(ip(3), kMacA, true, 0), ArpCache::Learned::full);
  EXPECT_EQ(cache.resolve(ip(3), 0), ArpCache::Resolve::full);
  // Known entries are still updated.
  EXPECT_EQ(cache.learn(ip(1), kMacB, true, 0), ArpCache::Learned::refreshed);
  EXPECT_EQ(cache.capacity(), 2u);
}

// Many entries failing at once out of long probe runs: every survivor must
// still be found (backward-shift deletion, including wrap-around), and every
// failure reported exactly once.
TEST(ArpCache, DeletionKeepsSurvivorsReachable) {
  constexpr std::uint32_t kCapacity = 64;
  ArpCache cache(kCapacity, kTimings);
  std::vector<net::Ipv4Addr> kept;
  std::vector<net::Ipv4Addr> failing;
  for (std::uint32_t i = 0; i < kCapacity; ++i) {
    // Addresses 256 apart share low bits: a stress for the hash.
    const net::Ipv4Addr a(0x0A000000u + i * 256);
    if (i % 3 == 0) {
      ASSERT_EQ(cache.learn(a, kMacA, true, 0), ArpCache::Learned::added);
      kept.push_back(a);
    } else {
      ASSERT_EQ(cache.resolve(a, 0), ArpCache::Resolve::request);
      failing.push_back(a);
    }
  }
  std::vector<net::Ipv4Addr> failed;
  for (std::uint64_t t = 1; t <= 3; ++t) {
    for (const ArpEvent& e : tick(cache, t * 1000 * kMs)) {
      if (e.kind == ArpEvent::Kind::failed) failed.push_back(e.ip);
    }
  }
  std::sort(failed.begin(), failed.end());
  EXPECT_EQ(failed, failing);
  EXPECT_EQ(cache.size(), kept.size());
  for (const net::Ipv4Addr a : kept) EXPECT_NE(cache.lookup(a), nullptr) << a.to_string();
  for (const net::Ipv4Addr a : failing) EXPECT_EQ(cache.lookup(a), nullptr) << a.to_string();
}

}  // namespace
}  // namespace masq::router
