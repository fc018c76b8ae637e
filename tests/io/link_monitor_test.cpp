// LinkMonitor against the kernel, in a namespace of its own: carrier loss
// and return on a veth pair, and an address added and removed, arrive as
// events; the state queries agree.
#include "masq/io/link_monitor.hpp"

#include <gtest/gtest.h>
#include <net/if.h>
#include <poll.h>

#include <chrono>
#include <thread>

#include "netns.hpp"

namespace masq::test {
namespace {

using io::LinkEvent;
using Kind = io::LinkEvent::Kind;

class LinkMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Netns::available()) GTEST_SKIP() << "needs root and network namespaces";
    ns_ = std::make_unique<Netns>();
    ASSERT_TRUE(ns_->ok());
    inside_ = std::make_unique<EnterNetns>(*ns_);
    ASSERT_TRUE(inside_->ok());
    ASSERT_TRUE(ns("ip link add mqlm0 type veth peer name mqlm1"));
    io::LinkMonitor::Opened opened = io::LinkMonitor::open();
    ASSERT_EQ(opened.error, "");
    monitor_ = std::move(opened.monitor);
  }

  bool ns(const std::string& command) { return ns_->exec(command); }

  // Events until one matches, or a second has passed.
  bool wait_for(Kind kind, const char* ifname) {
    const int ifindex = static_cast<int>(if_nametoindex(ifname));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{monitor_->fd(), POLLIN, 0};
      ::poll(&p, 1, 100);
      for (const LinkEvent& e : monitor_->drain()) {
        seen_.push_back(e);
        if (e.kind == kind && e.ifindex == ifindex) return true;
      }
    }
    return false;
  }

  std::unique_ptr<Netns> ns_;
  std::unique_ptr<EnterNetns> inside_;
  std::unique_ptr<io::LinkMonitor> monitor_;
  std::vector<LinkEvent> seen_;
};

TEST_F(LinkMonitorTest, CarrierComesAndGoesAsEvents) {
  const int ifindex = static_cast<int>(if_nametoindex("mqlm0"));
  EXPECT_FALSE(io::LinkMonitor::link_running(ifindex));
  ASSERT_TRUE(ns("ip link set mqlm0 up && ip link set mqlm1 up"));
  EXPECT_TRUE(wait_for(Kind::link_up, "mqlm0"));
  EXPECT_TRUE(io::LinkMonitor::link_running(ifindex));
  // The peer going down takes mqlm0's carrier: a flap seen from our side.
  ASSERT_TRUE(ns("ip link set mqlm1 down"));
  EXPECT_TRUE(wait_for(Kind::link_down, "mqlm0"));
  EXPECT_FALSE(io::LinkMonitor::link_running(ifindex));
  ASSERT_TRUE(ns("ip link set mqlm1 up"));
  EXPECT_TRUE(wait_for(Kind::link_up, "mqlm0"));
  for (const LinkEvent& e : seen_) {
    if (e.ifindex == ifindex) {
      EXPECT_EQ(e.ifname, "mqlm0");
    }
  }
}

TEST_F(LinkMonitorTest, AddressesComeAndGoAsEvents) {
  const int ifindex = static_cast<int>(if_nametoindex("mqlm0"));
  ASSERT_TRUE(ns("ip addr add 10.79.0.1/24 dev mqlm0"));
  ASSERT_TRUE(wait_for(Kind::address_added, "mqlm0"));
  EXPECT_EQ(seen_.back().address, *net::Ipv4Addr::parse("10.79.0.1"));
  EXPECT_EQ(seen_.back().prefix_length, 24);
  const auto now = io::LinkMonitor::ipv4_addresses(ifindex);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].address, *net::Ipv4Addr::parse("10.79.0.1"));

  ASSERT_TRUE(ns("ip addr del 10.79.0.1/24 dev mqlm0"));
  ASSERT_TRUE(wait_for(Kind::address_removed, "mqlm0"));
  EXPECT_EQ(seen_.back().address, *net::Ipv4Addr::parse("10.79.0.1"));
  EXPECT_TRUE(io::LinkMonitor::ipv4_addresses(ifindex).empty());
}

}  // namespace
}  // namespace masq::test
