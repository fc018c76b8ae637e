#include "masq/router/drop_reason.hpp"

#include <gtest/gtest.h>

#include "masq/router/counters.hpp"
#include "support/names_check.hpp"

namespace masq::router {
namespace {

TEST(DropReason, EveryReasonHasItsOwnName) {
  test::expect_enum_names<DropReason>(
      kDropReasonCount, [](DropReason r) { return to_string(r); },
      [](std::string_view n) { return drop_reason_named(n); });
}

// The router parses first, so it counts every refusal of the parser under
// the parser's own name.
TEST(DropReason, EveryParseErrorHasItsReason) {
  for (std::size_t i = 1; i < net::kParseErrorNames.size(); ++i) {
    const auto e = static_cast<net::ParseError>(i);
    EXPECT_EQ(to_string(from_parse_error(e)), net::to_string(e));
  }
  EXPECT_EQ(from_parse_error(net::ParseError::ok), DropReason::none);
}

TEST(RouterCounters, EveryCounterHasItsOwnName) {
  test::expect_counter_fields(kRouterCounterFields, kDropReasonCount);
  RouterCounters c;
  c.rx_frames[RouterCounters::side_index(Side::wan)] = 5;
  EXPECT_EQ(net::counter_named(kRouterCounterFields, "wan_rx_frames")->read(c), 5u);
  EXPECT_EQ(net::counter_named(kRouterCounterFields, "lan_rx_frames")->read(c), 0u);
}

TEST(RouterCounters, TotalLeavesOutNone) {
  RouterCounters c;
  c.count(DropReason::none);
  c.count(DropReason::no_route);
  c.count(DropReason::no_route);
  c.count(DropReason::arp_unresolved);
  EXPECT_EQ(c.drop(DropReason::no_route), 2u);
  EXPECT_EQ(c.total_drops(), 3u);
}

}  // namespace
}  // namespace masq::router
