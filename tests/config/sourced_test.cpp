#include "config/sourced.hpp"

#include <gtest/gtest.h>

namespace masq::config {
namespace {

TEST(Sourced, FileLocationIsFileLineKey) {
  EXPECT_EQ(file_location("masq.toml", 12, "nat.timeouts.udp_s"),
            "masq.toml:12: nat.timeouts.udp_s");
}

TEST(Sourced, FlagLocationIsFlagAndValue) {
  EXPECT_EQ(flag_location("--forward", "tcp/80x=10.0.0.2:80"), "--forward tcp/80x=10.0.0.2:80");
}

TEST(Sourced, ErrorAtJoinsWhereAndMessage) {
  EXPECT_EQ(error_at(file_location("m.toml", 3, "lan.name"), "missing"),
            "m.toml:3: lan.name: missing");
}

}  // namespace
}  // namespace masq::config
