#include "link_type.hpp"

#include <gtest/gtest.h>
#include <pcap/pcap.h>

namespace masq::replay {
namespace {

TEST(LinkTypeTest, AcceptsEthernetRawAndIpv4AndMapsBack) {
  for (const int dlt : {DLT_EN10MB, DLT_RAW, DLT_IPV4}) {
    const auto type = link_type_from_dlt(dlt);
    ASSERT_TRUE(type) << dlt;
    EXPECT_EQ(to_dlt(*type), dlt);
  }
  EXPECT_EQ(link_type_from_dlt(DLT_EN10MB), LinkType::ethernet);
  EXPECT_EQ(link_type_from_dlt(DLT_IPV4), LinkType::raw_ipv4);
}

TEST(LinkTypeTest, RejectsOtherLinkTypes) {
  EXPECT_FALSE(link_type_from_dlt(DLT_NULL));
  EXPECT_FALSE(link_type_from_dlt(DLT_LINUX_SLL));
  EXPECT_FALSE(link_type_from_dlt(DLT_IPV6));
}

}  // namespace
}  // namespace masq::replay
