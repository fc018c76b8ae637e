// Checks shared by the tests of every names table (net/names.hpp): an
// enum's names are unique, every value has one and each name finds its
// value again; a counter table reads every counter of its struct, each
// under its own name. GoogleTest assertions; tests only.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstdint>
#include <numeric>
#include <set>
#include <string>
#include <type_traits>

#include "masq/net/names.hpp"

namespace masq::test {

// Values 0 .. count-1 of E; to_string and named are E's two lookups.
template <typename E, typename ToString, typename Named>
void expect_enum_names(std::size_t count, ToString to_string, Named named) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < count; ++i) {
    const auto value = static_cast<E>(i);
    const std::string name(to_string(value));
    EXPECT_NE(name, "unknown") << i;
    EXPECT_FALSE(name.empty()) << i;
    EXPECT_TRUE(names.insert(name).second) << name << " twice";
    EXPECT_EQ(named(name), value) << name;
  }
  EXPECT_EQ(to_string(static_cast<E>(count)), "unknown");
  EXPECT_FALSE(named("unknown").has_value());
  EXPECT_FALSE(named("").has_value());
}

// S is nothing but 64-bit counters, the first `skipped` of them (the drop
// array) named elsewhere. Each is given its own value; the table must read
// every other one exactly once, under unique names.
template <typename S, std::size_t N>
void expect_counter_fields(const std::array<net::CounterField<S>, N>& fields, std::size_t skipped) {
  static_assert(std::is_trivially_copyable_v<S> && sizeof(S) % sizeof(std::uint64_t) == 0);
  std::array<std::uint64_t, sizeof(S) / sizeof(std::uint64_t)> words{};
  std::iota(words.begin(), words.end(), std::uint64_t{1});
  const S s = std::bit_cast<S>(words);
  std::set<std::string_view> names;
  std::set<std::uint64_t> read;
  net::for_each_counter(fields, s, [&](std::string_view name, std::uint64_t value) {
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << name << " twice";
    EXPECT_GT(value, skipped) << name << " reads a skipped counter";
    EXPECT_TRUE(read.insert(value).second) << name << " reads a counter another name reads";
    const auto* found = net::counter_named(fields, name);
    ASSERT_NE(found, nullptr) << name;
    EXPECT_EQ(found->read(s), value) << name;
  });
  EXPECT_EQ(read.size(), words.size() - skipped) << "a counter has no name";
  EXPECT_EQ(net::counter_named(fields, "no_such_counter"), nullptr);
}

}  // namespace masq::test
