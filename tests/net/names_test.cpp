#include "masq/net/names.hpp"

#include <gtest/gtest.h>

#include "masq/net/parse.hpp"
#include "support/names_check.hpp"

namespace masq::net {
namespace {

#define MASQ_TEST_COLOURS(X) \
  X(red)                     \
  X(green)                   \
  X(blue)
enum class Colour : std::uint8_t { MASQ_TEST_COLOURS(MASQ_ENUMERATOR) count_ };
constexpr std::array kColourNames{MASQ_TEST_COLOURS(MASQ_NAME)};

TEST(Names, LookUpBothWays) {
  static_assert(name_of(kColourNames, Colour::green) == "green");
  static_assert(value_named<Colour>(kColourNames, "blue") == Colour::blue);
  EXPECT_EQ(name_of(kColourNames, Colour::count_), "unknown");
  EXPECT_FALSE(value_named<Colour>(kColourNames, "Blue").has_value());
}

struct Tally {
  MASQ_TEST_COLOURS(MASQ_COUNTER_MEMBER)
};
#define MASQ_TEST_TALLY_FIELD(name) \
  CounterField<Tally>{#name, [](const Tally& t) { return t.name; }},
constexpr std::array kTallyFields{MASQ_TEST_COLOURS(MASQ_TEST_TALLY_FIELD)};
#undef MASQ_TEST_TALLY_FIELD

TEST(Names, CounterFieldsReadTheirOwnMember) {
  const Tally t{.red = 3, .green = 0, .blue = 7};
  std::vector<std::pair<std::string_view, std::uint64_t>> seen;
  for_each_counter(kTallyFields, t,
                   [&](std::string_view n, std::uint64_t v) { seen.emplace_back(n, v); });
  const std::vector<std::pair<std::string_view, std::uint64_t>> want{
      {"red", 3}, {"green", 0}, {"blue", 7}};
  EXPECT_EQ(seen, want);
  test::expect_counter_fields(kTallyFields, 0);
}

TEST(ParseError, EveryValueHasItsOwnName) {
  test::expect_enum_names<ParseError>(
      kParseErrorNames.size(), [](ParseError e) { return to_string(e); },
      [](std::string_view n) { return parse_error_named(n); });
  EXPECT_EQ(to_string(ParseError::ok), "ok");
  EXPECT_EQ(to_string(ParseError::bad_ihl), "bad_ihl");
}

}  // namespace
}  // namespace masq::net
