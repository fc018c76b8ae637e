#include "masq/nat/port_slice.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace masq::nat {
namespace {

using net::Proto;

const PortRange kClasses[] = {{1, 1023}, {1024, 65535}};

// Every port of a class is in exactly one worker's slice, that worker is
// the one port_owner() names, and the slices follow one another.
TEST(PortSlice, SlicesPartitionEveryClass) {
  for (const std::uint32_t count : {1u, 2u, 3u, 7u, 16u, 255u, kMaxWorkers}) {
    for (const Proto proto : {Proto::udp, Proto::icmp}) {
      const std::vector<PortRange> classes =
          proto == Proto::icmp ? std::vector<PortRange>{{0, 65535}}
                               : std::vector<PortRange>(std::begin(kClasses), std::end(kClasses));
      for (const PortRange cls : classes) {
        std::uint32_t next = cls.first;
        for (std::uint32_t k = 0; k < count; ++k) {
          const PortRange r = slice_range(cls, {k, count});
          ASSERT_EQ(r.first, next) << count << " workers, slice " << k;
          ASSERT_LE(r.first, r.last);
          for (std::uint32_t p = r.first; p <= r.last; ++p) {
            ASSERT_EQ(port_owner(proto, static_cast<std::uint16_t>(p), count), k) << p;
          }
          next = std::uint32_t{r.last} + 1;
        }
        EXPECT_EQ(next, std::uint32_t{cls.last} + 1);
      }
    }
  }
}

TEST(PortSlice, SlicesDifferInSizeByOneAtMost) {
  const std::uint32_t count = 7;
  for (const PortRange cls : kClasses) {
    std::uint32_t smallest = 65536, largest = 0;
    for (std::uint32_t k = 0; k < count; ++k) {
      const PortRange r = slice_range(cls, {k, count});
      const std::uint32_t size = std::uint32_t{r.last} - r.first + 1;
      smallest = std::min(smallest, size);
      largest = std::max(largest, size);
    }
    EXPECT_LE(largest - smallest, 1u);
  }
}

TEST(PortSlice, OneWorkerOwnsEverything) {
  EXPECT_EQ(slice_range({1024, 65535}, {}), (PortRange{1024, 65535}));
  EXPECT_EQ(port_owner(Proto::tcp, 0, 1), 0u);
  EXPECT_EQ(port_owner(Proto::tcp, 65535, 1), 0u);
  EXPECT_EQ(address_owner(net::Ipv4Addr::from_octets(10, 0, 0, 1), 1), 0u);
}

// Neighbouring addresses (a LAN's hosts) spread over the workers.
TEST(PortSlice, AddressesSpreadOverWorkers) {
  const std::uint32_t count = 4;
  std::vector<int> hosts(count);
  for (std::uint32_t i = 1; i < 255; ++i) {
    const std::uint32_t k = address_owner(
        net::Ipv4Addr::from_octets(192, 168, 77, static_cast<std::uint8_t>(i)), count);
    ASSERT_LT(k, count);
    ++hosts[k];
  }
  for (const int n : hosts) EXPECT_GT(n, 40);
}

}  // namespace
}  // namespace masq::nat
