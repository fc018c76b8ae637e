// Two FramePorts bridged by the test thread carry real kernel traffic:
//   left ns (kernel, mqioa0 10.77.0.1) -- mqioa1 [port] ~ test ~ [port] mqiob1 -- right ns (kernel,
//   mqiob0 10.77.0.2)
// The left kernel sends with default offloads (TSO/GSO, partial
// checksums). Every frame the ports hand over must fit the MTU (a kept
// TCP super-frame: each segment it becomes) and carry valid checksums, and
// the right kernel must get the byte stream intact.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <ostream>
#include <thread>

#include "kernel_sockets.hpp"
#include "masq/io/frame_port.hpp"
#include "netns.hpp"
#include "port_harness.hpp"

namespace masq::test {
namespace {

using io::Backend;
using Bytes = std::vector<std::uint8_t>;
using namespace std::chrono_literals;

constexpr const char* kLeftIp = "10.77.0.1";
constexpr const char* kRightIp = "10.77.0.2";

struct BridgeVariant {
  const char* name;
  Backend backend;
  bool keep_tcp_gso;
};

// Names the parameter in test listings (and so in ctest's test names).
void PrintTo(const BridgeVariant& v, std::ostream* os) {
  *os << v.name;
}

class Bridge : public ::testing::TestWithParam<BridgeVariant> {
 protected:
  void SetUp() override {
    if (!Netns::available()) GTEST_SKIP() << "needs root and network namespaces";
    left_ = std::make_unique<Netns>();
    gateway_ = std::make_unique<Netns>();
    right_ = std::make_unique<Netns>();
    ASSERT_TRUE(left_->ok() && gateway_->ok() && right_->ok());
    ASSERT_TRUE(
        add_veth(*left_, "mqioa0", "02:00:00:77:00:01", *gateway_, "mqioa1", "02:00:00:77:00:0a"));
    ASSERT_TRUE(
        add_veth(*right_, "mqiob0", "02:00:00:77:00:02", *gateway_, "mqiob1", "02:00:00:77:00:0b"));
    ASSERT_TRUE(left_->exec(std::string("ip addr add ") + kLeftIp + "/24 dev mqioa0"));
    ASSERT_TRUE(right_->exec(std::string("ip addr add ") + kRightIp + "/24 dev mqiob0"));
    inside_ = std::make_unique<EnterNetns>(*gateway_);
    ASSERT_TRUE(inside_->ok());
    // The bridge forwards frames for other stations: receive promiscuously.
    io::PortOptions options;
    options.promiscuous = true;
    options.keep_tcp_gso = GetParam().keep_tcp_gso;
    for (const char* ifname : {"mqioa1", "mqiob1"}) {
      io::OpenResult r = io::open_port(GetParam().backend, ifname, options);
      ASSERT_EQ(r.error, "");
      ports_.push_back(std::move(r.port));
    }
  }

  void TearDown() override {
    ports_.clear();
    inside_.reset();
    right_.reset();
    gateway_.reset();
    left_.reset();
  }

  // Bridges until `done`, then checks what went through the ports.
  void bridge_until(const std::atomic<bool>& done) {
    bridge(*ports_[0], *ports_[1], done, 60s, audit_);
    EXPECT_EQ(audit_.problems, std::vector<std::string>{});
    EXPECT_LE(audit_.largest, 1514u);
    EXPECT_GT(audit_.ipv4_frames, 0u);
  }

  std::unique_ptr<Netns> left_, gateway_, right_;
  std::unique_ptr<EnterNetns> inside_;
  std::vector<std::unique_ptr<io::FramePort>> ports_;
  FrameAudit audit_;
};

INSTANTIATE_TEST_SUITE_P(Io, Bridge,
                         ::testing::Values(BridgeVariant{"af_packet", Backend::af_packet, false},
                                           BridgeVariant{"af_xdp", Backend::af_xdp, false},
                                           BridgeVariant{"af_packet_tcp_gso", Backend::af_packet,
                                                         true}),
                         [](const auto& p) { return std::string(p.param.name); });

TEST_P(Bridge, TcpBulkTransferArrivesIntactInMtuSizedFrames) {
  const Bytes data = bulk_pattern(4 << 20);
  std::atomic<bool> done{false};
  std::promise<void> listening;
  std::optional<Bytes> received;
  std::thread server = thread_in(*right_, [&] {
    const Socket listener = tcp_listen(kRightIp, 5001);
    listening.set_value();
    if (listener.ok()) received = tcp_accept_and_read_all(listener);
    done = true;
  });
  listening.get_future().wait();
  bool sent = false;
  std::thread client =
      thread_in(*left_, [&] { sent = tcp_connect_and_write(kRightIp, 5001, data); });

  bridge_until(done);
  client.join();
  server.join();
  EXPECT_TRUE(sent);
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->size(), data.size());
  EXPECT_TRUE(*received == data) << "the byte stream differs";

  const io::PortStats left = ports_[0]->stats();
  const io::PortStats right = ports_[1]->stats();
  // Super-frames are larger than a ring slot: each must have arrived whole.
  EXPECT_EQ(left.rx_dropped_truncated, 0u);
  if (GetParam().keep_tcp_gso) {
    // Whole on both ports: received whole on the left, and the right
    // kernel cut them into segments on the way out.
    EXPECT_GT(left.rx_gso_kept, 0u) << "no TSO super-frame was kept whole";
    EXPECT_EQ(left.rx_gso_frames, 0u);
    EXPECT_EQ(right.tx_gso_frames, left.rx_gso_kept);
    EXPECT_EQ(audit_.super_frames, left.rx_gso_kept);
    EXPECT_EQ(right.tx_dropped_bad_size + right.tx_dropped_kernel, 0u);
  } else {
    EXPECT_GT(left.rx_csum_completed, 0u);
    if (GetParam().backend == Backend::af_packet) {
      EXPECT_GT(left.rx_gso_frames, 0u) << "the left kernel's TSO super-frames were segmented";
    }
  }
}

TEST_P(Bridge, UdpSegmentSendsArriveAsSeparateDatagrams) {
  constexpr int kSends = 5;
  constexpr std::size_t kSegment = 1000;
  constexpr std::size_t kPerSend = 8;
  const Bytes chunk = bulk_pattern(kSegment * kPerSend);
  std::atomic<bool> done{false};
  std::promise<void> bound;
  std::vector<Bytes> received;
  std::thread server = thread_in(*right_, [&] {
    const Socket s = udp_socket(kRightIp, 6001);
    bound.set_value();
    while (received.size() < kSends * kPerSend) {
      auto d = udp_receive(s);
      if (!d) break;
      received.push_back(std::move(*d));
    }
    done = true;
  });
  bound.get_future().wait();
  std::thread client = thread_in(*left_, [&] {
    const Socket s = udp_socket(kLeftIp, 6000);
    for (int i = 0; i < kSends; ++i) EXPECT_TRUE(udp_send(s, kRightIp, 6001, chunk, kSegment));
  });

  bridge_until(done);
  client.join();
  server.join();
  ASSERT_EQ(received.size(), kSends * kPerSend);
  for (std::size_t i = 0; i < received.size(); ++i) {
    const auto from = static_cast<std::ptrdiff_t>((i % kPerSend) * kSegment);
    EXPECT_EQ(received[i], Bytes(chunk.begin() + from, chunk.begin() + from + kSegment)) << i;
  }
}

}  // namespace
}  // namespace masq::test
