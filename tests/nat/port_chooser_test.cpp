// The port allocator against a reference set of used ports.
#include "port_chooser.hpp"

#include <gtest/gtest.h>

#include <set>

namespace masq::nat {
namespace {

TEST(PortChooser, KeepsFreePortWhenPreserving) {
  SplitMix64 rng(1);
  const auto p = choose_port(net::Proto::udp, 5000, {true, 64, std::nullopt}, rng,
                             [](std::uint16_t) { return true; });
  EXPECT_EQ(p, 5000);
}

TEST(PortChooser, RandomisesWhenNotPreserving) {
  SplitMix64 rng(1);
  std::set<std::uint16_t> seen;
  for (int i = 0; i < 50; ++i) {
    seen.insert(*choose_port(net::Proto::udp, 5000, {false, 64, std::nullopt}, rng,
                             [](std::uint16_t) { return true; }));
  }
  EXPECT_GT(seen.size(), 45u);
}

TEST(PortChooser, StartsFromAStartDrawnAhead) {
  // The engine draws the first random start while it prefetches: the same
  // draw from the same generator as choose_port() would have made.
  SplitMix64 ahead(3);
  SplitMix64 here(3);
  const std::uint32_t start = random_start(ahead, 65535 - 1024 + 1);
  const auto taken = [](std::uint16_t p) { return p != 5000; };
  PortChoice how{true, 64, start};
  EXPECT_EQ(choose_port(net::Proto::udp, 5000, how, ahead, taken), 1024 + start);
  EXPECT_EQ(choose_port(net::Proto::udp, 5000, {true, 64, std::nullopt}, here, taken),
            1024 + start);
  // A start outside the class (a stale hint) is drawn afresh instead.
  how.first_start = 70000;
  const auto p = choose_port(net::Proto::udp, 5000, how, ahead, taken);
  ASSERT_TRUE(p);
  EXPECT_GE(*p, 1024);
}

TEST(PortChooser, KeepsParityWhenAsked) {
  // RFC 4787 REQ-4: every port tried has the internal port's parity, in
  // both classes, and each half-class runs to its class's ends.
  SplitMix64 rng(11);
  const auto taken = [](std::uint16_t p) { return p == 5000 || p == 5001 || p == 80 || p == 81; };
  for (const int internal_port : {5000, 5001, 80, 81}) {
    const auto internal = static_cast<std::uint16_t>(internal_port);
    for (int i = 0; i < 200; ++i) {
      const auto port = choose_port(net::Proto::udp, internal, {true, 64, std::nullopt, true}, rng,
                                    [&](std::uint16_t p) {
                                      EXPECT_EQ(p % 2, internal % 2) << p;
                                      return !taken(p);
                                    });
      ASSERT_TRUE(port);
      EXPECT_EQ(*port % 2, internal % 2);
      EXPECT_EQ(*port < 1024, internal < 1024);
      EXPECT_GE(*port, 1);
    }
  }
  const PortSeries odd_low = port_series(net::Proto::udp, 81, true);
  EXPECT_EQ(odd_low.first, 1);
  EXPECT_EQ(odd_low.at(odd_low.count - 1), 1023);
  const PortSeries even_low = port_series(net::Proto::udp, 80, true);
  EXPECT_EQ(even_low.first, 2);
  EXPECT_EQ(even_low.at(even_low.count - 1), 1022);
  const PortSeries odd_high = port_series(net::Proto::tcp, 5001, true);
  EXPECT_EQ(odd_high.first, 1025);
  EXPECT_EQ(odd_high.at(odd_high.count - 1), 65535);
  // ICMP identifiers have no parity to keep.
  EXPECT_EQ(port_series(net::Proto::icmp, 7, true).shift, 0u);
}

TEST(PortChooser, ParityExhaustsItsHalfOnly) {
  // An exhaustive probe of the odd half of 1-1023 finds the one free odd
  // port and never an even one.
  SplitMix64 rng(5);
  const auto port = choose_port(net::Proto::udp, 81, {true, 5000, std::nullopt, true}, rng,
                                [](std::uint16_t p) { return p == 999 || p % 2 == 0; });
  EXPECT_EQ(port, 999);
  const auto none = choose_port(net::Proto::udp, 81, {true, 5000, std::nullopt, true}, rng,
                                [](std::uint16_t p) { return p % 2 == 0; });
  EXPECT_FALSE(none);
}

TEST(PortChooser, StaysInClass) {
  SplitMix64 rng(7);
  const auto busy = [](std::uint16_t p) { return p != 80 && p != 5000; };
  for (int i = 0; i < 200; ++i) {
    const auto low = choose_port(net::Proto::tcp, 80, {true, 2000, std::nullopt}, rng, busy);
    ASSERT_TRUE(low);
    EXPECT_GE(*low, 1);
    EXPECT_LE(*low, 1023);  // RFC 4787 REQ-3a
    const auto high = choose_port(net::Proto::tcp, 5000, {true, 2000, std::nullopt}, rng, busy);
    ASSERT_TRUE(high);
    EXPECT_GE(*high, 1024);
  }
}

// Model: allocate until exhaustion in a tiny class (1-1023); every answer is
// free at the time, no answer repeats, and nullopt comes only when the
// whole class is used (probe limit >= class size).
TEST(PortChooser, ExhaustsExactlyWhenClassIsFull) {
  SplitMix64 rng(42);
  std::set<std::uint16_t> used;
  const auto is_free = [&](std::uint16_t p) { return used.count(p) == 0; };
  for (int i = 0; i < 1023; ++i) {
    const auto p = choose_port(net::Proto::udp, 53, {false, 1023, std::nullopt}, rng, is_free);
    ASSERT_TRUE(p) << "after " << i;
    ASSERT_TRUE(used.insert(*p).second);
  }
  EXPECT_FALSE(choose_port(net::Proto::udp, 53, {true, 1023, std::nullopt}, rng, is_free));
}

TEST(PortChooser, ProbeIsBounded) {
  SplitMix64 rng(3);
  int asked = 0;
  const auto never = [&](std::uint16_t) {
    ++asked;
    return false;
  };
  EXPECT_FALSE(choose_port(net::Proto::udp, 40000, {true, 16, std::nullopt}, rng, never));
  EXPECT_EQ(asked, 1 + 16);  // the preserved port, then the bounded probe
}

// A long run of used ports after the random start does not hide the free
// ones: the probe jumps to a new random start every kProbeRun ports.
TEST(PortChooser, CrossesLongRunsOfUsedPorts) {
  // 1024-39999 are taken, 40000-65535 free: a single linear probe of 512
  // from a random start would fail whenever it started low in the block
  // (about 60 % of the time); 16 random runs all miss with p = 0.6^16.
  const auto is_free = [](std::uint16_t p) { return p >= 40000; };
  int found = 0;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    SplitMix64 rng(seed);
    if (choose_port(net::Proto::udp, 2000, {false, 512, std::nullopt}, rng, is_free)) ++found;
  }
  EXPECT_GE(found, 199);
}

TEST(PortChooser, IcmpIdentifiersUseWholeSpace) {
  EXPECT_EQ(port_class(net::Proto::icmp, 7).first, 0);
  EXPECT_EQ(port_class(net::Proto::icmp, 7).last, 65535);
}

}  // namespace
}  // namespace masq::nat
