#include "port_pair.hpp"

namespace masq::test {

void PortPair::SetUp() {
  if (!Netns::available()) GTEST_SKIP() << "needs root and network namespaces";
  host_ = std::make_unique<Netns>();
  gateway_ = std::make_unique<Netns>();
  ASSERT_TRUE(host_->ok() && gateway_->ok());
  ASSERT_TRUE(add_veth(*host_, "mqioa0", kHostMac, *gateway_, kPortIf, kPortMac));
  ASSERT_TRUE(host_->exec(std::string("ip addr add ") + kHostIp + "/24 dev mqioa0"));
  ASSERT_TRUE(host_->exec(std::string("ip neigh replace ") + kPortIp + " lladdr " + kPortMac +
                          " dev mqioa0"));
  inside_ = std::make_unique<EnterNetns>(*gateway_);
  ASSERT_TRUE(inside_->ok());
}

void PortPair::TearDown() {
  port_.reset();  // before the namespaces go: close() detaches from a live interface
  inside_.reset();
  gateway_.reset();
  host_.reset();
}

std::string PortPair::open(io::Backend backend, io::XdpMode mode) {
  io::PortOptions options;
  options.xdp_mode = mode;
  io::OpenResult r = io::open_port(backend, kPortIf, options);
  port_ = std::move(r.port);
  return r.error;
}

}  // namespace masq::test
