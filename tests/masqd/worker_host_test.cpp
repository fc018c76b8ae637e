// The worker serves the host interfaces it is given (HostPorts): what the
// router hands a side's host reaches that host port, and what the host
// sends there leaves on that side's wire. In-memory ports, the worker on
// its own thread.
#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>

#include "fake_port.hpp"
#include "masq/config/router_config.hpp"
#include "router/frames.hpp"
#include "support/packet_spec.hpp"
#include "worker.hpp"

namespace masq::app {
namespace {

using namespace std::chrono_literals;
using router::test::mac;
using test::Bytes;
using test::FakePort;

const net::Ipv4Addr kLanAddr = net::Ipv4Addr::from_octets(192, 168, 77, 1);
const net::Ipv4Addr kLanHost = net::Ipv4Addr::from_octets(192, 168, 77, 10);
const router::MacAddr kLanMac = mac(1, 0x01);
const router::MacAddr kWanMac = mac(2, 0x01);
const router::MacAddr kLanHostMac = mac(1, 0x10);

io::PortInfo info(const std::string& name, const router::MacAddr& m, int ifindex) {
  io::PortInfo i;
  i.ifname = name;
  i.ifindex = ifindex;
  i.mac = m.octets();
  i.mtu = 1500;
  i.mode = "fake";
  return i;
}

Bytes ssh_syn(std::uint64_t) {
  masq::test::PacketSpec spec;
  spec.kind = masq::test::L4Kind::tcp;
  spec.src = kLanHost;
  spec.dst = kLanAddr;
  spec.src_port = 40000;
  spec.dst_port = 22;
  spec.tcp_flags = masq::test::tcp_flag::kSyn;
  return router::test::ipv4_frame(kLanMac, kLanHostMac, spec);
}

Bytes ssh_syn_ack(std::uint64_t) {
  masq::test::PacketSpec spec;
  spec.kind = masq::test::L4Kind::tcp;
  spec.src = kLanAddr;
  spec.dst = kLanHost;
  spec.src_port = 22;
  spec.dst_port = 40000;
  spec.tcp_flags = masq::test::tcp_flag::kSyn | masq::test::tcp_flag::kAck;
  return router::test::ipv4_frame(kLanHostMac, kLanMac, spec);
}

bool eventually(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

TEST(WorkerHost, ServesTheHostInterfacesBothWays) {
  config::QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  flags.wan = "wan0=203.0.113.1/24";
  auto cfg = *config::load("[host]\nports = \"32768-60999\"\n", "test.toml", flags).config;
  auto lan = std::make_unique<FakePort>(info("lan0", kLanMac, 1));
  auto wan = std::make_unique<FakePort>(info("wan0", kWanMac, 2));
  HostPorts host{std::make_unique<FakePort>(info("masq-lan0", kLanMac, 3)),
                 std::make_unique<FakePort>(info("masq-wan0", kWanMac, 4))};
  FakePort& lan_wire = *lan;
  FakePort& lan_host = static_cast<FakePort&>(*host.lan);
  const router::RouterConfig rc = config::router_config(cfg, {lan->info().mac, lan->info().mtu},
                                                        {wan->info().mac, wan->info().mtu});
  ASSERT_TRUE(rc.host.enabled);
  Mailbox mailbox;
  Worker worker(cfg.engine, rc, std::move(lan), std::move(wan), mailbox, {}, nullptr, {},
                std::move(host));
  const int stop_fd = ::eventfd(0, EFD_CLOEXEC);
  std::thread thread([&] { worker.run(stop_fd); });

  lan_wire.feed(ssh_syn, 1);
  EXPECT_TRUE(eventually([&] { return lan_host.sent().size() == 1; }));
  if (lan_host.sent().size() == 1) {
    EXPECT_EQ(lan_host.sent()[0], ssh_syn(0));
  }

  lan_host.feed(ssh_syn_ack, 1);
  EXPECT_TRUE(eventually([&] {
    const auto sent = lan_wire.sent();
    return std::find(sent.begin(), sent.end(), ssh_syn_ack(0)) != sent.end();
  }));

  const std::uint64_t one = 1;
  EXPECT_EQ(::write(stop_fd, &one, sizeof one), 8);
  thread.join();
  ::close(stop_fd);
}

}  // namespace
}  // namespace masq::app
