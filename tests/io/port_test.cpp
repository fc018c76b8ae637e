// FramePort against real kernels in network namespaces, for each backend:
// receive what a kernel socket sends (default offloads: partial checksums,
// UDP GSO), send frames a kernel socket must accept, the AF_XDP life cycle
// (detach on close and on a killed process), and one owner per interface.
#include <bpf/libbpf.h>
#include <net/if.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xdp/libxdp.h>

#include <cerrno>
#include <future>
#include <ostream>
#include <thread>

#include "kernel_sockets.hpp"
#include "masq/io/frame_port.hpp"
#include "masq/net/byte_order.hpp"
#include "port_harness.hpp"
#include "port_pair.hpp"
#include "support/names_check.hpp"
#include "support/packet_builder.hpp"

namespace masq::test {
namespace {

using io::Backend;
using io::XdpMode;
using Bytes = std::vector<std::uint8_t>;
using namespace std::chrono_literals;

constexpr std::uint16_t kHostPort = 7000;
constexpr std::uint16_t kPortSidePort = 7001;

struct Variant {
  const char* name;
  Backend backend;
  XdpMode mode;
};

// Names the parameter in test listings (and so in ctest's test names).
void PrintTo(const Variant& v, std::ostream* os) {
  *os << v.name;
}

// The UDP payload of an IPv4 frame (no IP options) to `dst_port`, if it is one.
std::optional<Bytes> udp_payload_to(std::span<const std::uint8_t> f, std::uint16_t dst_port) {
  if (f.size() < 42 || f[12] != 0x08 || f[13] != 0x00 || f[14] != 0x45 || f[23] != 17) {
    return std::nullopt;
  }
  if (net::load_be16(f.data() + 36) != dst_port) return std::nullopt;
  const std::size_t end = std::min<std::size_t>(f.size(), 14 + net::load_be16(f.data() + 16));
  return Bytes(f.begin() + 42, f.begin() + static_cast<std::ptrdiff_t>(end));
}

std::uint32_t attached_xdp_program(const char* ifname) {
  std::uint32_t id = 0;
  bpf_xdp_query_id(static_cast<int>(if_nametoindex(ifname)), 0, &id);
  return id;
}

class PortVariants : public PortPair, public ::testing::WithParamInterface<Variant> {
 protected:
  void SetUp() override {
    PortPair::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_EQ(open(GetParam().backend, GetParam().mode), "");
  }

  // The host sends each payload as a datagram to the port's side.
  void host_sends(const std::vector<Bytes>& payloads, std::uint16_t segment_bytes = 0) {
    thread_in(*host_, [&] {
      const Socket s = udp_socket(kHostIp, kHostPort);
      for (const Bytes& p : payloads)
        EXPECT_TRUE(udp_send(s, kPortIp, kPortSidePort, p, segment_bytes));
    }).join();
  }
};

std::string variant_name(const ::testing::TestParamInfo<Variant>& p) {
  return p.param.name;
}

const Variant kAfPacket{"AfPacket", Backend::af_packet, XdpMode::automatic};
const Variant kAfXdpNative{"AfXdpNative", Backend::af_xdp, XdpMode::native};
const Variant kAfXdpGeneric{"AfXdpGeneric", Backend::af_xdp, XdpMode::generic};

class EveryBackend : public PortVariants {};
INSTANTIATE_TEST_SUITE_P(Io, EveryBackend,
                         ::testing::Values(kAfPacket, kAfXdpNative, kAfXdpGeneric), variant_name);

TEST_P(EveryBackend, KernelDatagramsArriveWithCompletedChecksums) {
  const std::vector<Bytes> payloads = {bulk_pattern(1), bulk_pattern(200), bulk_pattern(1472)};
  host_sends(payloads);
  FrameAudit audit;
  std::vector<Bytes> got;
  receive_until(*port_, 5s, audit, [&](std::span<const std::uint8_t> f) {
    if (auto p = udp_payload_to(f, kPortSidePort)) got.push_back(*p);
    return got.size() == payloads.size();
  });
  EXPECT_EQ(got, payloads);
  EXPECT_EQ(audit.problems, std::vector<std::string>{});
  // The host's veth leaves UDP checksums partial (CHECKSUM_PARTIAL).
  EXPECT_GE(port_->stats().rx_csum_completed, payloads.size());
  EXPECT_GE(port_->stats().rx_frames, payloads.size());
}

TEST_P(EveryBackend, SentFrameIsAcceptedByAKernelSocket) {
  std::promise<void> bound;
  std::optional<Bytes> received;
  std::thread host = thread_in(*host_, [&] {
    const Socket s = udp_socket(kHostIp, kHostPort);
    bound.set_value();
    received = udp_receive(s);
  });
  bound.get_future().wait();

  PacketSpec spec;
  spec.kind = L4Kind::udp;
  spec.src = net::Ipv4Addr::from_octets(10, 77, 0, 9);
  spec.dst = net::Ipv4Addr::from_octets(10, 77, 0, 1);
  spec.src_port = kPortSidePort;
  spec.dst_port = kHostPort;
  spec.payload = bulk_pattern(300);
  Bytes frame = {0x02, 0, 0, 0x77, 0, 0x01};  // the host's MAC
  frame.insert(frame.end(), port_->info().mac.begin(), port_->info().mac.end());
  frame.insert(frame.end(), {0x08, 0x00});
  const Bytes packet = build_packet(spec);
  frame.insert(frame.end(), packet.begin(), packet.end());

  const net::Frame tx{frame};
  EXPECT_EQ(port_->send(std::span(&tx, 1)), 1u);
  port_->flush();
  host.join();
  EXPECT_EQ(received, spec.payload);
  EXPECT_EQ(port_->stats().tx_frames, 1u);
}

TEST_P(EveryBackend, SendCountsFramesOfImpossibleSizeAsDrops) {
  Bytes runt(10, 0);
  Bytes giant(port_->info().mtu + 100, 0);
  const std::array<net::Frame, 2> frames{{{runt}, {giant}}};
  EXPECT_EQ(port_->send(frames), 0u);
  EXPECT_EQ(port_->stats().tx_dropped_bad_size, 2u);
  EXPECT_EQ(port_->stats().tx_frames, 0u);
}

// A UDP_SEGMENT send leaves the host as one GSO super-frame (veth keeps
// tx-udp-segmentation on). AF_PACKET segments it in software; with native
// XDP on our end the kernel turns GSO off on the peer, which segments it.
class GsoCapable : public PortVariants {};
INSTANTIATE_TEST_SUITE_P(Io, GsoCapable, ::testing::Values(kAfPacket, kAfXdpNative), variant_name);

TEST_P(GsoCapable, UdpSegmentSendArrivesAsMtuSizedDatagrams) {
  const Bytes payload = bulk_pattern(8000);
  host_sends({payload}, 1000);
  FrameAudit audit;
  std::vector<Bytes> got;
  receive_until(*port_, 5s, audit, [&](std::span<const std::uint8_t> f) {
    if (auto p = udp_payload_to(f, kPortSidePort)) got.push_back(*p);
    return got.size() == 8;
  });
  ASSERT_EQ(got.size(), 8u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i], Bytes(payload.begin() + static_cast<std::ptrdiff_t>(i * 1000),
                            payload.begin() + static_cast<std::ptrdiff_t>((i + 1) * 1000)));
  }
  EXPECT_EQ(audit.problems, std::vector<std::string>{});
  if (GetParam().backend == Backend::af_packet) {
    EXPECT_EQ(port_->stats().rx_gso_frames, 1u);
    EXPECT_EQ(port_->stats().rx_gso_segments, 8u);
  }
}

// Generic (skb) XDP sees the super-frame whole; it does not fit a UMEM
// chunk and the kernel drops it before AF_XDP (docs/adr/0002-offloads.md).
// If a kernel ever delivers it, this test says the ADR needs revisiting.
TEST_F(PortPair, GenericXdpLosesGsoSuperFramesInTheKernelAndCountsThem) {
  ASSERT_EQ(open(Backend::af_xdp, XdpMode::generic), "");
  thread_in(*host_, [&] {
    const Socket s = udp_socket(kHostIp, kHostPort);
    EXPECT_TRUE(udp_send(s, kPortIp, kPortSidePort, bulk_pattern(8000), 1000));
  }).join();
  FrameAudit audit;
  const bool any = receive_until(*port_, 500ms, audit, [](std::span<const std::uint8_t> f) {
    return udp_payload_to(f, kPortSidePort).has_value();
  });
  EXPECT_FALSE(any);
  EXPECT_GE(port_->stats().rx_dropped_kernel, 1u);
}

TEST_F(PortPair, XdpCloseDetachesTheProgram) {
  ASSERT_EQ(open(Backend::af_xdp, XdpMode::native), "");
  EXPECT_NE(attached_xdp_program(kPortIf), 0u);
  port_->close();
  EXPECT_EQ(attached_xdp_program(kPortIf), 0u);
}

// A masqd killed with SIGKILL cannot detach anything: its XDP program is
// attached through a link the kernel drops with the process, so nothing is
// left steering frames to a socket that no longer exists, and the process's
// claim on the interface is gone with it.
TEST_F(PortPair, KilledProcessLeavesNoProgramAndNoClaimBehind) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const io::OpenResult r = io::open_port(Backend::af_xdp, kPortIf, {});
    if (r.error.empty()) ::kill(getpid(), SIGKILL);
    _exit(1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child could not open";
  EXPECT_EQ(attached_xdp_program(kPortIf), 0u);

  ASSERT_EQ(open(Backend::af_xdp), "");
  const Bytes payload = bulk_pattern(64);
  thread_in(*host_, [&] {
    const Socket s = udp_socket(kHostIp, kHostPort);
    EXPECT_TRUE(udp_send(s, kPortIp, kPortSidePort, payload));
  }).join();
  FrameAudit audit;
  EXPECT_TRUE(receive_until(*port_, 5s, audit, [&](std::span<const std::uint8_t> f) {
    return udp_payload_to(f, kPortSidePort) == payload;
  }));
  port_->close();
  EXPECT_EQ(attached_xdp_program(kPortIf), 0u);
}

// One owner per interface: a second open, by either backend, fails before
// it touches anything, and the first owner keeps receiving.
TEST_P(EveryBackend, SecondOwnerIsRefusedAndTheFirstKeepsWorking) {
  const std::uint32_t program = attached_xdp_program(kPortIf);
  for (const Backend b : {Backend::af_packet, Backend::af_xdp}) {
    const io::OpenResult second = io::open_port(b, kPortIf);
    EXPECT_EQ(second.port, nullptr);
    EXPECT_EQ(second.error, std::string(io::to_string(b)) + " on " + kPortIf + ": " + kPortIf +
                                " is owned by " + program_invocation_short_name + " pid " +
                                std::to_string(getpid()));
  }
  EXPECT_EQ(attached_xdp_program(kPortIf), program);
  const Bytes payload = bulk_pattern(64);
  host_sends({payload});
  FrameAudit audit;
  EXPECT_TRUE(receive_until(*port_, 5s, audit, [&](std::span<const std::uint8_t> f) {
    return udp_payload_to(f, kPortSidePort) == payload;
  }));
  // Closed, the interface can be owned again.
  port_->close();
  EXPECT_EQ(io::open_port(GetParam().backend, kPortIf).error, "");
}

// An XDP program that someone else attached (here libxdp's own xsk program,
// attached the legacy way as xdp-loader would) is refused, never removed.
TEST_F(PortPair, AfXdpLeavesAForeignXdpProgramAlone) {
  xdp_program* foreign = xdp_program__find_file("xsk_def_xdp_prog.o", nullptr, nullptr);
  ASSERT_TRUE(foreign != nullptr && libxdp_get_error(foreign) == 0);
  const int ifindex = static_cast<int>(if_nametoindex(kPortIf));
  ASSERT_EQ(xdp_program__attach(foreign, ifindex, XDP_MODE_SKB, 0), 0);
  const std::uint32_t id = attached_xdp_program(kPortIf);
  ASSERT_NE(id, 0u);

  const std::string error = open(Backend::af_xdp);
  EXPECT_NE(error.find("another XDP program is attached"), std::string::npos) << error;
  EXPECT_EQ(attached_xdp_program(kPortIf), id);
  xdp_program__detach(foreign, ifindex, XDP_MODE_SKB, 0);
  xdp_program__close(foreign);
}

// AF_XDP with one port per worker: too few queues is refused before
// anything is attached, saying how to add queues.
TEST_F(PortPair, AfXdpRefusesMorePortsThanQueues) {
  const io::QueueCount queues = io::queue_count(kPortIf);
  ASSERT_EQ(queues.error, "");
  EXPECT_EQ(queues.rx, 1u);
  EXPECT_EQ(queues.tx, 1u);
  const io::OpenManyResult r = io::open_ports(Backend::af_xdp, kPortIf, {}, 2, -1);
  EXPECT_TRUE(r.ports.empty());
  EXPECT_EQ(r.error,
            "af_xdp on mqioa1: mqioa1 has 1 rx and 1 tx queues, and 2 AF_XDP sockets (one per "
            "worker) need queues 0 to 1 of each: add queues (`ethtool -L mqioa1 combined 2`, or "
            "`rx 2 tx 2` on a veth, up to the numrxqueues/numtxqueues it was made with) or run "
            "fewer workers");
  EXPECT_EQ(attached_xdp_program(kPortIf), 0u);
  EXPECT_EQ(open(Backend::af_xdp), "");  // the claim went with the refusal
}

// Port k reads queue k: flows the veth spreads over both queues reach both
// ports, through one XDP program and under one claim, which stay until the
// last port closes.
TEST_F(PortPair, AfXdpPortsShareOneProgramAndOneClaimUntilTheLastCloses) {
  ASSERT_TRUE(host_->exec("ethtool -L mqioa0 rx 2 tx 2"));
  ASSERT_TRUE(gateway_->exec(std::string("ethtool -L ") + kPortIf + " rx 2 tx 2"));
  EXPECT_EQ(io::queue_count(kPortIf).rx, 2u);
  io::OpenManyResult r = io::open_ports(Backend::af_xdp, kPortIf, {}, 2, -1);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.ports.size(), 2u);
  EXPECT_NE(r.ports[0]->info().mode.find("queue 0"), std::string::npos);
  EXPECT_NE(r.ports[1]->info().mode.find("queue 1"), std::string::npos);
  const std::uint32_t program = attached_xdp_program(kPortIf);
  EXPECT_NE(program, 0u);
  EXPECT_NE(io::open_port(Backend::af_packet, kPortIf).error, "");

  // Each flow (source port) hashes to one transmit queue of the host's end,
  // which is the receive queue here: 32 flows miss a queue with odds 2^-31.
  constexpr std::uint16_t kFlows = 32;
  const Bytes payload = bulk_pattern(64);
  thread_in(*host_, [&] {
    for (std::uint16_t i = 0; i < kFlows; ++i) {
      const Socket s = udp_socket(kHostIp, static_cast<std::uint16_t>(kHostPort + i));
      EXPECT_TRUE(udp_send(s, kPortIp, kPortSidePort, payload));
    }
  }).join();
  std::size_t received = 0;
  for (const auto& port : r.ports) {
    FrameAudit audit;
    std::size_t mine = 0;
    receive_until(*port, 1s, audit, [&](std::span<const std::uint8_t> f) {
      if (udp_payload_to(f, kPortSidePort) == payload) ++mine;
      return false;
    });
    EXPECT_GT(mine, 0u) << port->info().mode;
    EXPECT_TRUE(audit.problems.empty());
    received += mine;
  }
  EXPECT_EQ(received, kFlows);

  r.ports[0]->close();
  EXPECT_EQ(attached_xdp_program(kPortIf), program);
  EXPECT_NE(io::open_port(Backend::af_xdp, kPortIf).error, "");
  r.ports[1]->close();
  EXPECT_EQ(attached_xdp_program(kPortIf), 0u);
  EXPECT_EQ(open(Backend::af_xdp), "");
}

TEST(OpenPort, MissingInterfaceIsAnErrorMessage) {
  for (const Backend b : {Backend::af_packet, Backend::af_xdp}) {
    const io::OpenResult r = io::open_port(b, "mqio-missing");
    EXPECT_EQ(r.port, nullptr);
    EXPECT_EQ(r.error, std::string(io::to_string(b)) +
                           " on mqio-missing: interface not found: mqio-missing");
  }
}

TEST(OpenPort, AfXdpRefusesAFrameSizeTheKernelCannotUse) {
  io::PortOptions options;
  options.frame_bytes = 3000;
  const io::OpenResult r = io::open_port(Backend::af_xdp, "lo", options);
  EXPECT_EQ(r.port, nullptr);
  EXPECT_EQ(r.error, "af_xdp on lo: frame_bytes must be 2048 or 4096");
}

TEST(PortStats, EveryCounterHasItsOwnName) {
  expect_counter_fields(io::kPortStatsFields, 0);
}

}  // namespace
}  // namespace masq::test
