#include "address_pool.hpp"

#include <gtest/gtest.h>

#include <set>

namespace masq::nat {
namespace {

using net::Ipv4Addr;

std::vector<AddressRange> two_ranges() {
  // Non-contiguous (RFC 6888 REQ-3): 198.51.100.10-12 and 203.0.113.5.
  return {{Ipv4Addr::from_octets(198, 51, 100, 10), Ipv4Addr::from_octets(198, 51, 100, 12)},
          {Ipv4Addr::from_octets(203, 0, 113, 5), Ipv4Addr::from_octets(203, 0, 113, 5)}};
}

TEST(AddressPool, FlattensRanges) {
  const AddressPool pool(two_ranges(), PoolMode::overload, 1);
  EXPECT_EQ(pool.size(), 4u);
  EXPECT_TRUE(pool.contains(Ipv4Addr::from_octets(198, 51, 100, 11).value()));
  EXPECT_TRUE(pool.contains(Ipv4Addr::from_octets(203, 0, 113, 5).value()));
  EXPECT_FALSE(pool.contains(Ipv4Addr::from_octets(198, 51, 100, 13).value()));
  EXPECT_EQ(count_addresses(two_ranges()), 4u);
}

TEST(AddressPool, OverloadIsStablePerHostAndSpreads) {
  AddressPool pool(two_ranges(), PoolMode::overload, 9);
  std::set<std::uint32_t> used;
  for (std::uint32_t host = 1; host <= 64; ++host) {
    const auto a = pool.acquire(0x0A000000u + host);
    const auto b = pool.acquire(0x0A000000u + host);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a, *b);  // paired: the same host lands on the same address
    used.insert(*a);
  }
  EXPECT_EQ(used.size(), 4u);
}

// home() is what the engine prefetches a new subscriber's ports by: the
// address acquire() gives in overload mode, and in exclusive mode while
// no one holds it.
TEST(AddressPool, HomeIsWhatAcquireTriesFirst) {
  AddressPool overload(two_ranges(), PoolMode::overload, 9);
  for (std::uint32_t host = 1; host <= 64; ++host) {
    const std::uint32_t home = overload.home(0x0A000000u + host);
    EXPECT_EQ(overload.acquire(0x0A000000u + host), home);
  }
  AddressPool exclusive(two_ranges(), PoolMode::exclusive, 9);
  const std::uint32_t first = exclusive.home(0x0A000001u);
  EXPECT_EQ(exclusive.acquire(0x0A000001u), first);
  EXPECT_NE(exclusive.acquire(0x0A000002u), first);
}

TEST(AddressPool, ExclusiveHandsOutEachAddressOnce) {
  AddressPool pool(two_ranges(), PoolMode::exclusive, 3);
  std::set<std::uint32_t> given;
  for (std::uint32_t host = 1; host <= 4; ++host) {
    const auto idx = pool.acquire(0x0A000000u + host);
    ASSERT_TRUE(idx);
    EXPECT_TRUE(given.insert(*idx).second);
  }
  EXPECT_FALSE(pool.acquire(0x0A0000FFu));
  pool.release(*given.begin());
  const auto again = pool.acquire(0x0A0000FFu);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *given.begin());
}

}  // namespace
}  // namespace masq::nat
