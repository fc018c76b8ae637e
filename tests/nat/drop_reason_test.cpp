#include "masq/nat/drop_reason.hpp"

#include <gtest/gtest.h>

#include "masq/nat/counters.hpp"
#include "support/names_check.hpp"

namespace masq::nat {
namespace {

// The names are the counter schema: each must be unique and known.
TEST(DropReason, EveryReasonHasItsOwnName) {
  test::expect_enum_names<DropReason>(
      kDropReasonCount, [](DropReason r) { return to_string(r); },
      [](std::string_view n) { return drop_reason_named(n); });
  EXPECT_EQ(to_string(DropReason::icmp_error_about_error), "icmp_error_about_error");
}

TEST(DropReason, EveryParseErrorHasItsReason) {
  for (std::size_t i = 1; i < net::kParseErrorNames.size(); ++i) {
    const auto e = static_cast<net::ParseError>(i);
    EXPECT_EQ(to_string(from_parse_error(e)), net::to_string(e));
  }
  EXPECT_EQ(from_parse_error(net::ParseError::ok), DropReason::none);
  EXPECT_EQ(from_parse_error(net::ParseError::bad_udp_length), DropReason::bad_udp_length);
}

TEST(Counters, EveryCounterHasItsOwnName) {
  test::expect_counter_fields(kCounterFields, kDropReasonCount);
  EXPECT_NE(net::counter_named(kCounterFields, "in2out"), nullptr);
}

}  // namespace
}  // namespace masq::nat
