// PortPair: the smallest real network for a FramePort. A "host" namespace
// whose kernel owns mqioa0 (10.77.0.1/24) is wired by veth to mqioa1 in a
// "gateway" namespace, where the test thread opens the port. The host
// reaches the port's side as 10.77.0.9 through a static ARP entry, so no
// ARP has to be answered. Offloads stay at their defaults. Skips without
// root. Cold.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "masq/io/frame_port.hpp"
#include "netns.hpp"

namespace masq::test {

class PortPair : public ::testing::Test {
 protected:
  static constexpr const char* kHostIp = "10.77.0.1";
  static constexpr const char* kPortIp = "10.77.0.9";
  static constexpr const char* kHostMac = "02:00:00:77:00:01";
  static constexpr const char* kPortMac = "02:00:00:77:00:09";
  static constexpr const char* kPortIf = "mqioa1";

  void SetUp() override;
  void TearDown() override;

  // Opens the port on mqioa1; the error message when that fails.
  std::string open(io::Backend backend, io::XdpMode mode = io::XdpMode::automatic);

  std::unique_ptr<Netns> host_;
  std::unique_ptr<Netns> gateway_;
  std::unique_ptr<EnterNetns> inside_;  // the test thread, in the gateway namespace
  std::unique_ptr<io::FramePort> port_;
};

}  // namespace masq::test
