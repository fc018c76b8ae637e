#include "masq/nat/drop_reason.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace masq::nat {
namespace {

// The names are the counter schema: each must be unique and known.
TEST(DropReason, NamesAreUnique) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < kDropReasonCount; ++i) {
    const auto name = std::string(to_string(static_cast<DropReason>(i)));
    EXPECT_NE(name, "unknown") << i;
    EXPECT_TRUE(names.insert(name).second) << name;
  }
}

TEST(DropReason, EveryParseErrorHasItsReason) {
  for (auto e : {net::ParseError::truncated, net::ParseError::bad_version, net::ParseError::bad_ihl,
                 net::ParseError::bad_total_length, net::ParseError::bad_ip_checksum,
                 net::ParseError::bad_ip_options, net::ParseError::truncated_l4,
                 net::ParseError::bad_tcp_offset, net::ParseError::bad_udp_length}) {
    EXPECT_EQ(to_string(from_parse_error(e)), net::to_string(e));
  }
  EXPECT_EQ(from_parse_error(net::ParseError::ok), DropReason::none);
}

}  // namespace
}  // namespace masq::nat
