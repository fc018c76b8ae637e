#include "ip_id.hpp"

#include <gtest/gtest.h>

#include <set>

namespace masq::nat {
namespace {

constexpr std::uint32_t kSrc = 0xCB007101;  // 203.0.113.1
constexpr std::uint32_t kDst = 0xC6120001;  // 198.18.0.1
constexpr std::uint8_t kUdp = 17;

TEST(IpIds, OneWorkerRunsThroughEveryIdBeforeRepeating) {
  IpIds ids(7, WorkerSlice{0, 1});
  std::set<std::uint16_t> seen;
  for (int i = 0; i < 65536; ++i) seen.insert(ids.take(kSrc, kDst, kUdp));
  EXPECT_EQ(seen.size(), 65536u);
}

// Two workers translating for one external address to one server never
// hand out the same ID, whatever their counters' starts (RFC 7857 §11).
TEST(IpIds, WorkersNeverShareAnId) {
  for (const std::uint32_t count : {2u, 3u}) {
    std::set<std::uint16_t> first;
    IpIds a(7, WorkerSlice{0, count});
    for (int i = 0; i < 70000; ++i) first.insert(a.take(kSrc, kDst, kUdp));
    for (std::uint32_t k = 1; k < count; ++k) {
      IpIds other(7, WorkerSlice{k, count});
      for (int i = 0; i < 70000; ++i) {
        const std::uint16_t id = other.take(kSrc, kDst, kUdp);
        ASSERT_EQ(first.count(id), 0u) << "worker " << k << " of " << count;
        ASSERT_EQ(id % count, k);
      }
    }
  }
}

}  // namespace
}  // namespace masq::nat
