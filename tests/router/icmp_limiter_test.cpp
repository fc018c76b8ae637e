#include "masq/router/icmp_limiter.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

namespace masq::router {
namespace {

constexpr std::uint64_t kMs = 1'000'000;
const net::Ipv4Addr kA = net::Ipv4Addr::from_octets(192, 168, 1, 10);
const net::Ipv4Addr kB = net::Ipv4Addr::from_octets(192, 168, 1, 11);

// How many of `count` errors to `host`, evenly spread from `from_ns` to
// `from_ns + span_ns`, the limiter lets through.
std::uint32_t allowed(IcmpLimiter& limiter, net::Ipv4Addr host, bool per_host, std::uint32_t count,
                      std::uint64_t from_ns, std::uint64_t span_ns) {
  std::uint32_t n = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (limiter.allow(host, per_host, from_ns + span_ns * i / count)) ++n;
  }
  return n;
}

TEST(IcmpLimiter, GlobalBucketAllowsTheBurstThenTheRate) {
  IcmpLimiter limiter({.rate_per_s = 100, .burst = 10, .per_host_rate_per_s = 0});
  // All at once: the burst.
  EXPECT_EQ(allowed(limiter, kA, true, 1000, 0, 0), 10u);
  // A steady flood for 2 s more: one every 10 ms, nothing saved up.
  EXPECT_EQ(allowed(limiter, kA, true, 10000, 1 * kMs, 2000 * kMs), 200u);
  // Idle for a second: the burst is back, no more.
  EXPECT_EQ(allowed(limiter, kA, true, 1000, 3000 * kMs, 0), 10u);
}

TEST(IcmpLimiter, OneHostsFloodLeavesTheOthersTheirShare) {
  IcmpLimiter limiter(
      {.rate_per_s = 1000, .burst = 50, .per_host_rate_per_s = 1, .per_host_burst = 6});
  EXPECT_EQ(allowed(limiter, kA, true, 1000, 0, 0), 6u);
  EXPECT_EQ(allowed(limiter, kB, true, 3, 0, 0), 3u);
  // Flooding on, the host gets one a second, from a second after its burst.
  EXPECT_EQ(allowed(limiter, kA, true, 10000, 1, 10'000 * kMs), 9u);
}

TEST(IcmpLimiter, FragNeededIsHeldByTheGlobalBucketOnly) {
  IcmpLimiter limiter(
      {.rate_per_s = 1000, .burst = 50, .per_host_rate_per_s = 1, .per_host_burst = 6});
  EXPECT_EQ(allowed(limiter, kA, false, 100, 0, 0), 50u);
  // The global bucket is empty: per-host errors wait for it too.
  EXPECT_FALSE(limiter.allow(kB, true, 0));
  EXPECT_TRUE(limiter.allow(kB, true, 1 * kMs));
}

TEST(IcmpLimiter, RateZeroMeansNoLimit) {
  IcmpLimiter limiter({.rate_per_s = 0, .burst = 1, .per_host_rate_per_s = 0, .per_host_burst = 1});
  EXPECT_EQ(allowed(limiter, kA, true, 100000, 0, 0), 100000u);
}

// Hosts that share a slot of the table: an idle one gives it up whole, a
// busy one shares it (no more errors than one host's limit between them).
TEST(IcmpLimiter, HostsSharingASlot) {
  const IcmpRateLimit limit{
      .rate_per_s = 0, .burst = 1, .per_host_rate_per_s = 1, .per_host_burst = 2};
  // An address that shares kA's slot is refused right after kA's burst.
  std::optional<net::Ipv4Addr> other;
  for (std::uint32_t v = kA.value() + 1; !other && v < kA.value() + (1u << 20); ++v) {
    IcmpLimiter probe(limit);
    allowed(probe, kA, true, 2, 0, 0);
    if (!probe.allow(net::Ipv4Addr(v), true, 0)) other = net::Ipv4Addr(v);
  }
  ASSERT_TRUE(other.has_value());
  IcmpLimiter limiter(limit);
  EXPECT_EQ(allowed(limiter, kA, true, 10, 0, 0), 2u);
  EXPECT_EQ(allowed(limiter, *other, true, 10, 0, 0), 0u);
  // Once kA's bucket is full again, `other` takes the slot, burst and all.
  EXPECT_EQ(allowed(limiter, *other, true, 10, 2000 * kMs, 0), 2u);
}

}  // namespace
}  // namespace masq::router
