// The host interface against the real kernel, in a namespace of its own:
// the TAP comes up with the MAC, MTU and address asked for, the kernel's
// own traffic comes out of receive(), and what send() hands it the kernel
// answers like traffic from a wire (here: ICMP echo, RFC 1122 §3.2.2.6).
#include "masq/io/host_interface.hpp"

#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>

#include "kernel_sockets.hpp"
#include "masq/net/byte_order.hpp"
#include "netns.hpp"
#include "offload_frames.hpp"
#include "port_harness.hpp"
#include "support/checksum_oracle.hpp"
#include "support/packet_builder.hpp"

namespace masq::test {
namespace {

using namespace std::chrono_literals;
using Bytes = std::vector<std::uint8_t>;

constexpr const char* kTap = "mqtap0";
constexpr io::MacAddr kTapMac{0x02, 0x00, 0x00, 0x78, 0x00, 0x01};
constexpr io::MacAddr kPeerMac{0x02, 0x00, 0x00, 0x78, 0x00, 0x02};
const net::Ipv4Addr kTapIp = *net::Ipv4Addr::parse("10.78.0.1");
const net::Ipv4Addr kPeerIp = *net::Ipv4Addr::parse("10.78.0.2");
constexpr std::uint32_t kMtu = 1400;

class HostInterface : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Netns::available()) GTEST_SKIP() << "needs root and network namespaces";
    ns_ = std::make_unique<Netns>();
    ASSERT_TRUE(ns_->ok());
    inside_ = std::make_unique<EnterNetns>(*ns_);
    ASSERT_TRUE(inside_->ok());
    io::HostInterfaceSpec spec;
    spec.name = kTap;
    spec.mac = kTapMac;
    spec.mtu = kMtu;
    spec.address = kTapIp;
    spec.prefix_length = 24;
    io::OpenResult r = io::open_host_interface(spec);
    ASSERT_EQ(r.error, "");
    port_ = std::move(r.port);
    // The peer is on the wire side: the kernel reaches it without ARP.
    ASSERT_TRUE(run_command("ip netns exec " + ns_->name() + " ip neigh add 10.78.0.2 lladdr " +
                            "02:00:00:78:00:02 dev mqtap0 nud permanent"));
  }
  void TearDown() override {
    port_.reset();
    inside_.reset();
    ns_.reset();
  }

  std::unique_ptr<Netns> ns_;
  std::unique_ptr<EnterNetns> inside_;
  std::unique_ptr<io::FramePort> port_;
};

bool has_address(const char* ifname, net::Ipv4Addr want, unsigned prefix_length) {
  ifaddrs* all = nullptr;
  if (getifaddrs(&all) != 0) return false;
  bool found = false;
  for (ifaddrs* a = all; a != nullptr && !found; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET ||
        std::strcmp(a->ifa_name, ifname) != 0) {
      continue;
    }
    const auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
    const auto* mask = reinterpret_cast<const sockaddr_in*>(a->ifa_netmask);
    found = net::load_be32(reinterpret_cast<const std::uint8_t*>(&in->sin_addr)) == want.value() &&
            static_cast<unsigned>(__builtin_popcount(mask->sin_addr.s_addr)) == prefix_length;
  }
  freeifaddrs(all);
  return found;
}

TEST_F(HostInterface, ComesUpWithTheMacMtuAndAddressAskedFor) {
  const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(s, 0);
  ifreq request{};
  std::strcpy(request.ifr_name, kTap);
  ASSERT_EQ(::ioctl(s, SIOCGIFFLAGS, &request), 0);
  EXPECT_NE(request.ifr_flags & IFF_UP, 0);
  ASSERT_EQ(::ioctl(s, SIOCGIFMTU, &request), 0);
  EXPECT_EQ(request.ifr_mtu, static_cast<int>(kMtu));
  ASSERT_EQ(::ioctl(s, SIOCGIFHWADDR, &request), 0);
  EXPECT_EQ(std::memcmp(request.ifr_hwaddr.sa_data, kTapMac.data(), kTapMac.size()), 0);
  ::close(s);
  EXPECT_TRUE(has_address(kTap, kTapIp, 24));
  EXPECT_EQ(port_->info().mode, "tap");
  // Not persistent: closed, the TAP is gone from the kernel.
  port_->close();
  EXPECT_EQ(if_nametoindex(kTap), 0u);
}

TEST_F(HostInterface, TheKernelsOwnDatagramComesOutAsAFrame) {
  const Bytes payload = bulk_pattern(200);
  const Socket s = udp_socket("10.78.0.1", 6000);
  ASSERT_TRUE(udp_send(s, "10.78.0.2", 6001, payload));
  FrameAudit audit;
  audit.max_frame_bytes = kMtu + kEthernetBytes;
  EXPECT_TRUE(receive_until(*port_, 2s, audit, [&](std::span<const std::uint8_t> f) {
    return f.size() == kEthernetBytes + 20 + 8 + payload.size() &&
           std::equal(kPeerMac.begin(), kPeerMac.end(), f.begin()) &&
           std::equal(kTapMac.begin(), kTapMac.end(), f.begin() + 6) &&
           std::equal(payload.begin(), payload.end(), f.begin() + kEthernetBytes + 28);
  }));
  EXPECT_TRUE(audit.problems.empty()) << audit.problems.front();
}

TEST_F(HostInterface, AFrameSentToTheHostIsAnsweredByItsStack) {
  PacketSpec echo;
  echo.kind = L4Kind::icmp;
  echo.src = kPeerIp;
  echo.dst = kTapIp;
  echo.icmp_type = 8;
  echo.icmp_rest_high = 0x4242;
  echo.icmp_rest_low = 1;
  echo.payload = bulk_pattern(56);
  Bytes frame = ethernet_frame(echo);
  std::copy(kTapMac.begin(), kTapMac.end(), frame.begin());
  std::copy(kPeerMac.begin(), kPeerMac.end(), frame.begin() + 6);
  const net::Frame tx{frame, 0};
  ASSERT_EQ(port_->send({&tx, 1}), 1u);
  port_->flush();

  FrameAudit audit;
  audit.max_frame_bytes = kMtu + kEthernetBytes;
  EXPECT_TRUE(receive_until(*port_, 2s, audit, [&](std::span<const std::uint8_t> f) {
    return f.size() >= kEthernetBytes + 28 && f[kEthernetBytes + 9] == 1 &&
           f[kEthernetBytes + 20] == 0 &&  // echo reply
           net::load_be16(f.data() + kEthernetBytes + 24) == 0x4242 &&
           net::load_be32(f.data() + kEthernetBytes + 16) == kPeerIp.value();
  }));
  EXPECT_TRUE(audit.problems.empty()) << audit.problems.front();
  EXPECT_EQ(port_->stats().tx_frames, 1u);
}

// The router hands the host TCP super-frames as they came (keep_tcp_gso);
// the TAP cuts them, and the kernel takes each segment: it answers every
// one (a closed port: a reset), which it would not with a bad checksum.
TEST_F(HostInterface, ASuperFrameReachesTheHostAsSegments) {
  PacketSpec tcp;
  tcp.kind = L4Kind::tcp;
  tcp.src = kPeerIp;
  tcp.dst = kTapIp;
  tcp.src_port = 40000;
  tcp.dst_port = 7;
  tcp.tcp_flags = masq::test::tcp_flag::kAck;
  tcp.tcp_checksum_seed = true;
  tcp.payload = bulk_pattern(3000);
  Bytes frame = ethernet_frame(tcp);
  std::copy(kTapMac.begin(), kTapMac.end(), frame.begin());
  std::copy(kPeerMac.begin(), kPeerMac.end(), frame.begin() + 6);
  const net::Frame tx{frame, 1000};
  EXPECT_EQ(port_->send({&tx, 1}), 3u);
  const io::PortStats stats = port_->stats();
  EXPECT_EQ(stats.tx_frames, 3u);
  EXPECT_EQ(stats.tx_gso_frames, 1u);
  EXPECT_EQ(stats.tx_dropped_bad_size + stats.tx_dropped_kernel, 0u);

  int resets = 0;
  FrameAudit audit;
  audit.max_frame_bytes = kMtu + kEthernetBytes;
  receive_until(*port_, 2s, audit, [&](std::span<const std::uint8_t> f) {
    if (f.size() >= kEthernetBytes + 40 && f[kEthernetBytes + 9] == 6 &&
        (f[kEthernetBytes + 33] & masq::test::tcp_flag::kRst) != 0) {
      ++resets;
    }
    return resets == 3;
  });
  EXPECT_EQ(resets, 3);
}

TEST(HostInterfaceRoute, TheWanHostInterfaceCarriesTheDefaultRoute) {
  if (!Netns::available()) GTEST_SKIP() << "needs root and network namespaces";
  Netns ns;
  ASSERT_TRUE(ns.ok());
  EnterNetns inside(ns);
  ASSERT_TRUE(inside.ok());
  io::HostInterfaceSpec spec;
  spec.name = "mqtap1";
  spec.mac = kTapMac;
  spec.address = *net::Ipv4Addr::parse("10.79.0.1");
  spec.gateway = *net::Ipv4Addr::parse("10.79.0.254");
  const io::OpenResult r = io::open_host_interface(spec);
  ASSERT_EQ(r.error, "");
  EXPECT_TRUE(run_command("ip netns exec " + ns.name() +
                          " ip route show default | grep -q 'via 10.79.0.254 dev mqtap1'"));
}

TEST(HostInterfaceOpen, ANameTooLongIsAnErrorMessage) {
  io::HostInterfaceSpec spec;
  spec.name = "masq-a-very-long-name";
  EXPECT_EQ(io::open_host_interface(spec).error,
            "host interface masq-a-very-long-name: name must be 1..15 characters");
}

}  // namespace
}  // namespace masq::test
