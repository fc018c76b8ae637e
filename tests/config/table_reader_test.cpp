#include "config/table_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace masq::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class TableReaderTest : public ::testing::Test {
 protected:
  TableReader reader(std::string_view text) {
    document_ = toml::parse(text, std::string_view{"t.toml"});
    return TableReader(document_, "", "t.toml", errors_);
  }

  toml::table document_;
  std::vector<std::string> errors_;
};

TEST_F(TableReaderTest, ReadsEachTypeAndIgnoresAbsentKeys) {
  auto r = reader("s = \"x\"\nb = true\ni = 42\n");
  EXPECT_EQ(r.string("s"), "x");
  EXPECT_EQ(r.boolean("b"), true);
  EXPECT_EQ(r.integer<std::uint32_t>("i"), 42u);
  EXPECT_EQ(r.string("absent"), std::nullopt);
  EXPECT_EQ(r.boolean("absent"), std::nullopt);
  EXPECT_EQ(r.integer<std::uint32_t>("absent"), std::nullopt);
  r.reject_unknown_keys();
  EXPECT_THAT(errors_, IsEmpty());
}

TEST_F(TableReaderTest, WrongTypesNameBothTypesAtTheKeysLine) {
  auto r = reader("s = 1\n\nb = \"yes\"\ni = 1.5\nt = 3\na = {}\n");
  EXPECT_EQ(r.string("s"), std::nullopt);
  EXPECT_EQ(r.boolean("b"), std::nullopt);
  EXPECT_EQ(r.integer<std::uint32_t>("i"), std::nullopt);
  EXPECT_FALSE(r.table("t"));
  EXPECT_THAT(r.strings("a"), IsEmpty());
  EXPECT_THAT(errors_, ElementsAre("t.toml:1: s: expected a string, got integer",
                                   "t.toml:3: b: expected a boolean, got string",
                                   "t.toml:4: i: expected an integer, got floating-point number",
                                   "t.toml:5: t: expected a table, got integer",
                                   "t.toml:6: a: expected an array of strings, got table"));
}

TEST_F(TableReaderTest, IntegersMustFitTheirFieldAndBounds) {
  auto r = reader("small = 65536\nneg = -1\nlow = 0\nhigh = 11\nbig = 9223372036854775807\n");
  EXPECT_EQ(r.integer<std::uint16_t>("small"), std::nullopt);
  EXPECT_EQ(r.integer<std::uint32_t>("neg"), std::nullopt);
  EXPECT_EQ(r.integer<std::uint32_t>("low", 1), std::nullopt);
  EXPECT_EQ(r.integer<std::uint32_t>("high", 1, 10), std::nullopt);
  EXPECT_EQ(r.integer<std::uint64_t>("big"), std::uint64_t{9223372036854775807u});
  EXPECT_THAT(
      errors_,
      ElementsAre("t.toml:1: small: must be at most 65535", "t.toml:2: neg: must be at least 0",
                  "t.toml:3: low: must be at least 1", "t.toml:4: high: must be at most 10"));
}

TEST_F(TableReaderTest, RequiredKeysAreReportedAtTheTablesLine) {
  auto root = reader("\n[sub]\nother = 1\n");
  auto sub = root.table("sub");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->required_string("name"), std::nullopt);
  EXPECT_EQ(sub->integer<int>("other"), 1);
  EXPECT_THAT(errors_, ElementsAre("t.toml:2: sub.name: missing"));
}

TEST_F(TableReaderTest, ParseRunsTheParserAndReportsItsError) {
  auto r = reader("good = \"10.0.0.1\"\nbad = \"10.0.0\"\n");
  EXPECT_EQ(r.parse("good", parse_address), net::Ipv4Addr::parse("10.0.0.1"));
  EXPECT_EQ(r.parse("bad", parse_address), std::nullopt);
  EXPECT_EQ(r.parse("absent", parse_address), std::nullopt);
  EXPECT_EQ(r.parse("needed", parse_address, Presence::required), std::nullopt);
  EXPECT_THAT(errors_,
              ElementsAre("t.toml:2: bad: bad address '10.0.0'", "t.toml:1: needed: missing"));
}

TEST_F(TableReaderTest, StringArraysLocateEachElement) {
  auto r = reader("[nat]\npool = [\n  \"a\",\n  7,\n  \"b\",\n]\n");
  auto nat = r.table("nat");
  ASSERT_TRUE(nat);
  const auto pool = nat->strings("pool");
  ASSERT_EQ(pool.size(), 2u);
  EXPECT_EQ(pool[0].value, "a");
  EXPECT_EQ(pool[0].where, "t.toml:3: nat.pool[0]");
  EXPECT_EQ(pool[1].value, "b");
  EXPECT_EQ(pool[1].where, "t.toml:5: nat.pool[2]");
  EXPECT_THAT(errors_, ElementsAre("t.toml:4: nat.pool[1]: expected a string, got integer"));
}

TEST_F(TableReaderTest, ArraysOfTablesGiveOneReaderEach) {
  auto r = reader("[[f]]\nx = 1\n[[f]]\ny = 2\n");
  auto tables = r.tables("f");
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].integer<int>("x"), 1);
  EXPECT_EQ(tables[1].integer<int>("x"), std::nullopt);
  EXPECT_EQ(tables[1].where("x"), "t.toml:3: f[1].x");
  tables[0].reject_unknown_keys();
  tables[1].reject_unknown_keys();
  EXPECT_THAT(errors_, ElementsAre("t.toml:4: f[1].y: unknown key (known here: x)"));
}

TEST_F(TableReaderTest, ArraysOfTablesRejectOtherElements) {
  auto r = reader("f = [1]\ng = \"x\"\n");
  EXPECT_THAT(r.tables("f"), IsEmpty());
  EXPECT_THAT(r.tables("g"), IsEmpty());
  EXPECT_THAT(errors_, ElementsAre("t.toml:1: f[0]: expected a table, got integer",
                                   "t.toml:2: g: expected an array of tables, got string"));
}

TEST_F(TableReaderTest, UnknownKeysAreErrorsWithTheirLine) {
  auto root = reader("[lan]\nname = \"lan0\"\nadress = \"x\"\n");
  auto lan = root.table("lan");
  ASSERT_TRUE(lan);
  lan->string("name");
  lan->string("address");
  lan->reject_unknown_keys();
  root.reject_unknown_keys();
  EXPECT_THAT(errors_,
              ElementsAre("t.toml:3: lan.adress: unknown key (known here: name, address)"));
}

TEST_F(TableReaderTest, UnknownKeysOfATableNobodyReadHaveNoKnownList) {
  auto r = reader("x = 1\n");
  r.reject_unknown_keys();
  EXPECT_THAT(errors_, ElementsAre("t.toml:1: x: unknown key"));
}

TEST(TypeName, NamesEveryTomlType) {
  EXPECT_EQ(type_name(toml::node_type::table), "table");
  EXPECT_EQ(type_name(toml::node_type::array), "array");
  EXPECT_EQ(type_name(toml::node_type::string), "string");
  EXPECT_EQ(type_name(toml::node_type::integer), "integer");
  EXPECT_EQ(type_name(toml::node_type::floating_point), "floating-point number");
  EXPECT_EQ(type_name(toml::node_type::boolean), "boolean");
  EXPECT_EQ(type_name(toml::node_type::date), "date");
  EXPECT_EQ(type_name(toml::node_type::time), "time");
  EXPECT_EQ(type_name(toml::node_type::date_time), "date-time");
}

}  // namespace
}  // namespace masq::config
