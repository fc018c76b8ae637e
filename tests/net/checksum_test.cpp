#include "masq/net/checksum.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "masq/net/byte_order.hpp"

namespace masq::net {
namespace {

// RFC 1071 §3 worked example: the sum of 0001 f203 f4f5 f6f7 is 0xddf2.
TEST(Checksum, Rfc1071Example) {
  const std::vector<std::uint8_t> bytes{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(checksum_fold(checksum_add(bytes)), 0xddf2);
  EXPECT_EQ(internet_checksum(bytes), static_cast<std::uint16_t>(~0xddf2));
}

TEST(Checksum, OddLengthPadsWithZero) {
  const std::vector<std::uint8_t> odd{0x12, 0x34, 0x56};
  EXPECT_EQ(checksum_fold(checksum_add(odd)), 0x1234 + 0x5600);
}

TEST(Checksum, VerifiesToZeroWhenStored) {
  std::vector<std::uint8_t> hdr{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  store_be16(hdr.data() + 10, internet_checksum(hdr));
  EXPECT_EQ(load_be16(hdr.data() + 10), 0xb861);  // the well-known Wikipedia example header
  EXPECT_EQ(internet_checksum(hdr), 0);
}

// RFC 1624: incremental update equals recomputation, for random data and
// random replacements, including the cases that produce 0x0000/0xFFFF.
TEST(ChecksumDelta, MatchesFullRecomputation) {
  std::mt19937 rng(1624);
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::uint8_t> data(2 * (4 + rng() % 40));
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    const std::uint16_t before = internet_checksum(data);
    ChecksumDelta delta;
    for (int change = 0; change < 3; ++change) {
      const std::size_t off = 2 * (rng() % (data.size() / 2));
      const std::uint16_t old_word = load_be16(data.data() + off);
      const std::uint16_t new_word = (round % 7 == 0) ? 0 : static_cast<std::uint16_t>(rng());
      store_be16(data.data() + off, new_word);
      delta.replace16(old_word, new_word);
    }
    // 0x0000 and 0xFFFF are the same one's complement number.
    const auto norm = [](std::uint16_t c) { return c == 0xFFFF ? std::uint16_t{0} : c; };
    EXPECT_EQ(norm(delta.apply(before)), norm(internet_checksum(data)));
  }
}

// A plain sum (an offload's pseudo-header seed) moves with the words it
// covers: the updated sum equals the sum of the changed data.
TEST(ChecksumDelta, UpdatesAPlainSumLikeRecomputation) {
  std::mt19937 rng(1071);
  const auto norm = [](std::uint16_t c) { return c == 0xFFFF ? std::uint16_t{0} : c; };
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::uint8_t> data(12);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    const std::uint16_t before = checksum_fold(checksum_add(data));
    const std::size_t off = 4 * (rng() % 3);
    const std::uint32_t old_word = load_be32(data.data() + off);
    const auto new_word = static_cast<std::uint32_t>(rng());
    store_be32(data.data() + off, new_word);
    ChecksumDelta d;
    d.replace32(old_word, new_word);
    EXPECT_EQ(norm(d.apply_to_sum(before)), norm(checksum_fold(checksum_add(data))));
  }
}

TEST(ChecksumDelta, NegationUndoes) {
  ChecksumDelta d;
  d.replace32(0xC0A84D02u, 0xCB007101u).replace16(5000, 61000);
  const std::uint16_t c = 0x1234;
  EXPECT_EQ(d.negated().apply(d.apply(c)), c);
}

TEST(ChecksumDelta, UdpZeroStaysZeroAndComputedZeroBecomesFfff) {
  ChecksumDelta d;
  d.replace16(0x1111, 0x2222);
  EXPECT_EQ(d.apply_udp(0), 0);
  // Find a checksum whose update computes to zero: ~(~c + d) == 0 <=> ~c + d == 0xFFFF.
  const std::uint16_t c = static_cast<std::uint16_t>(~(0xFFFF - d.raw()));
  EXPECT_EQ(d.apply(c), 0);
  EXPECT_EQ(d.apply_udp(c), 0xFFFF);
}

TEST(PseudoHeader, MatchesBytes) {
  const Ipv4Addr src = Ipv4Addr::from_octets(192, 168, 77, 2);
  const Ipv4Addr dst = Ipv4Addr::from_octets(203, 0, 113, 9);
  std::vector<std::uint8_t> ph(12, 0);
  store_be32(ph.data(), src.value());
  store_be32(ph.data() + 4, dst.value());
  ph[9] = 17;
  store_be16(ph.data() + 10, 28);
  EXPECT_EQ(checksum_fold(pseudo_header_sum(src, dst, Proto::udp, 28)),
            checksum_fold(checksum_add(ph)));
}

// The byte-order-free sum against the textbook one (RFC 1071 §4.1: big-endian
// 16-bit words, an odd last byte padded), for every length up to a few
// words past the 4-byte loads and for long random buffers.
TEST(Checksum, SumMatchesBigEndianWordLoop) {
  const auto reference = [](const std::vector<std::uint8_t>& b, std::uint64_t initial) {
    std::uint64_t sum = initial;
    for (std::size_t i = 0; i < b.size(); i += 2) {
      sum += std::uint64_t{b[i]} << 8 | (i + 1 < b.size() ? b[i + 1] : 0);
    }
    return checksum_fold(sum);
  };
  std::mt19937_64 rng(7);
  for (std::size_t length = 0; length < 4000; length += length < 40 ? 1 : 997) {
    std::vector<std::uint8_t> bytes(length);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    const std::uint64_t initial = rng() >> 40;
    ASSERT_EQ(checksum_fold(checksum_add(bytes, initial)), reference(bytes, initial)) << length;
  }
  const std::vector<std::uint8_t> ones(65535, 0xFF);
  EXPECT_EQ(checksum_fold(checksum_add(ones)), reference(ones, 0));
}

// The branch-free fold against the textbook loop (RFC 1071 §4.1), on the
// edges of each carry and on random sums.
TEST(Checksum, FoldMatchesCarryLoop) {
  const auto reference = [](std::uint64_t sum) {
    while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
    return static_cast<std::uint16_t>(sum);
  };
  std::vector<std::uint64_t> sums = {0,
                                     0xFFFF,
                                     0x10000,
                                     0x1FFFE,
                                     0xFFFFFFFF,
                                     0x100000000,
                                     0x1FFFFFFFE,
                                     0xFFFF0001,
                                     0xFFFFFFFFFFFFFFFFull,
                                     0x8000000080000000ull};
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100000; ++i) sums.push_back(rng() >> (rng() % 64));
  for (const std::uint64_t sum : sums) ASSERT_EQ(checksum_fold(sum), reference(sum)) << sum;
}

}  // namespace
}  // namespace masq::net
