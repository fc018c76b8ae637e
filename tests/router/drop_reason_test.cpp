#include "masq/router/drop_reason.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "masq/router/counters.hpp"

namespace masq::router {
namespace {

TEST(DropReason, EveryReasonHasItsOwnName) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < kDropReasonCount; ++i) {
    const std::string name(to_string(static_cast<DropReason>(i)));
    EXPECT_NE(name, "unknown") << i;
    EXPECT_TRUE(names.insert(name).second) << name << " twice";
  }
  EXPECT_EQ(to_string(DropReason::count_), "unknown");
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
