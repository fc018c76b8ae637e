#include "support/inet_checksum.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace masq::test {
namespace {

// RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to 2ddf0, folded ddf2.
TEST(OnesSum, Rfc1071Example) {
  const std::array<std::uint8_t, 8> data{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  OnesSum sum;
  sum.add(data);
  EXPECT_EQ(sum.folded(), 0xddf2);
  EXPECT_EQ(sum.checksum(), 0x220d);
}

// The textbook IPv4 header 192.168.0.1 -> 192.168.0.199, checksum b861.
TEST(OnesSum, KnownIpv4Header) {
  std::array<std::uint8_t, 20> header{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                      0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  OnesSum sum;
  sum.add(header);
  EXPECT_EQ(sum.checksum(), 0xb861);
  header[10] = 0xb8;
  header[11] = 0x61;
  OnesSum check;
  check.add(header);
  EXPECT_TRUE(check.verifies());
  header[15] ^= 1;
  OnesSum broken;
  broken.add(header);
  EXPECT_FALSE(broken.verifies());
}

// The byte stream continues across calls, even when a call ends mid-word.
TEST(OnesSum, StreamContinuesAcrossOddSplits) {
  const std::array<std::uint8_t, 5> data{0x12, 0x34, 0x56, 0x78, 0x9a};
  OnesSum whole;
  whole.add(data);
  OnesSum split;
  split.add(std::span(data).first(1));
  split.add(std::span(data).subspan(1, 2));
  split.add(std::span(data).subspan(3));
  EXPECT_EQ(whole.folded(), split.folded());
  // The odd final byte is the high half of a zero-padded word; the carry
  // out of 0x1234 + 0x5678 + 0x9a00 = 0x102ac comes back in at the bottom.
  EXPECT_EQ(whole.folded(), 0x02ad);
}

TEST(OnesSum, WordsEqualTheirBytes) {
  OnesSum words;
  words.add_u32(0xc0a84d02);
  words.add_u16(0x0011);
  OnesSum bytes;
  const std::array<std::uint8_t, 6> b{0xc0, 0xa8, 0x4d, 0x02, 0x00, 0x11};
  bytes.add(b);
  EXPECT_EQ(words.folded(), bytes.folded());
}

TEST(OnesSum, FoldsCarriesBackIn) {
  OnesSum sum;
  sum.add_u16(0xFFFF);
  sum.add_u16(0x0002);
  EXPECT_EQ(sum.folded(), 0x0002);  // 0x10001 -> 0x0001 + 1
}

}  // namespace
}  // namespace masq::test
