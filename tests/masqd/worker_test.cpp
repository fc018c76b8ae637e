// masqd's worker and control plane on their own threads, as Gateway wires
// them, with in-memory ports: the session table copied in slices while
// frames keep flowing, answers that come from what the worker published,
// and an error when it publishes nothing.
#include "worker.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "control_plane.hpp"
#include "fake_port.hpp"
#include "gateway.hpp"
#include "masq/config/router_config.hpp"
#include "masq/ctl/client.hpp"
#include "masq/nat/port_slice.hpp"
#include "router/frames.hpp"
#include "support/checksum_oracle.hpp"
#include "support/packet_spec.hpp"

namespace masq::app {
namespace {

using namespace std::chrono_literals;
using router::test::mac;
using test::Bytes;
using test::FakePort;

constexpr std::uint32_t kMaxSessions = 4096;
constexpr std::uint16_t kFlows = 3000;
constexpr std::uint16_t kFirstPort = 1024;
const net::Ipv4Addr kHost = net::Ipv4Addr::from_octets(192, 168, 77, 10);
const net::Ipv4Addr kServer = net::Ipv4Addr::from_octets(198, 51, 100, 1);
const net::Ipv4Addr kWanAddr = net::Ipv4Addr::from_octets(203, 0, 113, 1);
const net::Ipv4Addr kNextHop = net::Ipv4Addr::from_octets(203, 0, 113, 254);
const router::MacAddr kLanMac = mac(1, 0x01);
const router::MacAddr kWanMac = mac(2, 0x01);
const router::MacAddr kHostMac = mac(1, 0x10);
const router::MacAddr kNextHopMac = mac(2, 0xFE);

config::Config gateway_config() {
  config::QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  flags.wan = "wan0=203.0.113.1/24";
  flags.gateway = kNextHop.to_string();
  // One host makes every flow: the per-subscriber defaults are off.
  const auto loaded = config::load("[nat]\nmax_sessions = " + std::to_string(kMaxSessions) +
                                       "\nsessions_per_subscriber = 0\nports_per_subscriber = 0"
                                       "\nnew_sessions_per_s = 0\n",
                                   "test.toml", flags);
  EXPECT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  return *loaded.config;
}

io::PortInfo port_info(const std::string& name, const router::MacAddr& m) {
  io::PortInfo info;
  info.ifname = name;
  info.ifindex = name == "lan0" ? 1 : 2;
  info.mac = m.octets();
  info.mtu = 1500;
  info.mode = "fake";
  return info;
}

// Flow i % kFlows of the LAN host: UDP to the server, one session each.
Bytes lan_frame(std::uint64_t i) {
  masq::test::PacketSpec spec;
  spec.kind = masq::test::L4Kind::udp;
  spec.src = kHost;
  spec.dst = kServer;
  spec.src_port = static_cast<std::uint16_t>(kFirstPort + i % kFlows);
  spec.dst_port = 53;
  spec.payload = {1, 2, 3, 4};
  return router::test::ipv4_frame(kLanMac, kHostMac, spec);
}

// The next hop asks for our WAN address, and so tells us its own.
Bytes next_hop_arp(std::uint64_t) {
  return router::test::arp_frame(kWanMac, kNextHopMac,
                                 router::ArpPacket::request(kNextHopMac, kNextHop, kWanAddr));
}

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

// Waits up to `limit` for `done`.
// Generous: sanitizer builds run many times slower.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// A worker fed with a LAN host opening kFlows flows and then repeating
// them without end, on its own thread; the test stands in for the control
// plane unless it starts one.
class Running {
 public:
  explicit Running(WorkerOptions options = {})
      : cfg_(gateway_config()), stop_fd_(::eventfd(0, EFD_CLOEXEC)) {
    auto lan = std::make_unique<FakePort>(port_info("lan0", kLanMac), /*max_per_receive=*/4);
    auto wan = std::make_unique<FakePort>(port_info("wan0", kWanMac));
    lan_ = lan.get();
    wan_ = wan.get();
    worker_.emplace(cfg_.engine,
                    config::router_config(cfg_, {lan->info().mac, lan->info().mtu},
                                          {wan->info().mac, wan->info().mtu}),
                    std::move(lan), std::move(wan), mailbox_, options);
    worker_thread_ = std::thread([this] { worker_->run(stop_fd_); });
    wan_->feed(next_hop_arp, 1);
    EXPECT_TRUE(eventually([this] { return wan_->received() == 1; }));
    lan_->feed(lan_frame, std::uint64_t{1} << 40);
  }

  void start_control_plane(const std::string& path,
                           std::unique_ptr<MetricsServer> metrics = nullptr) {
    auto opened = ctl::Server::open(path);
    ASSERT_TRUE(opened.server) << opened.error;
    control_.emplace(std::move(opened.server), std::move(metrics), std::vector<Mailbox*>{&mailbox_},
                     StaticStatus{"test", "lan0", "wan0", kMaxSessions},
                     ControlPlane::kWorkerTimeoutMs);
    control_thread_ = std::thread([this] { control_->run(stop_fd_); });
  }

  ~Running() {
    const std::uint64_t one = 1;
    EXPECT_EQ(::write(stop_fd_, &one, sizeof one), 8);
    worker_thread_.join();
    if (control_thread_.joinable()) control_thread_.join();
    ::close(stop_fd_);
  }

  Mailbox& mailbox() { return mailbox_; }
  FakePort& lan() { return *lan_; }
  FakePort& wan() { return *wan_; }

 private:
  config::Config cfg_;
  int stop_fd_;
  Mailbox mailbox_;
  FakePort* lan_;
  FakePort* wan_;
  std::optional<Worker> worker_;
  std::optional<ControlPlane> control_;
  std::thread worker_thread_;
  std::thread control_thread_;
};

// What the worker publishes for `ticket`, waited for on the ready eventfd.
WorkerState state_for(Mailbox& mailbox, Mailbox::Ticket ticket) {
  WorkerState s;
  EXPECT_TRUE(eventually([&] { return mailbox.latest_state(s) >= ticket; }));
  return s;
}

TEST(Worker, CopiesTheSessionTableInSlicesWhileFramesKeepFlowing) {
  constexpr std::size_t kPerTurn = 16;
  Running r(WorkerOptions{kPerTurn});
  ASSERT_TRUE(eventually(
      [&] { return state_for(r.mailbox(), r.mailbox().ask_state()).sessions == kFlows; }));

  const std::uint64_t calls_before = r.lan().receive_calls();
  const Mailbox::Ticket ticket = r.mailbox().ask_sessions();
  std::vector<nat::SessionView> sessions;
  Mailbox::Ticket got = 0;
  pollfd ready{r.mailbox().ready_fd(), POLLIN, 0};
  const std::uint64_t deadline = now_ms() + 20'000;
  while (got == 0 && now_ms() < deadline) {
    ::poll(&ready, 1, 100);
    r.mailbox().clear_ready();
    got = r.mailbox().take_sessions(sessions);
  }
  const std::uint64_t calls_during = r.lan().receive_calls() - calls_before;
  ASSERT_EQ(got, ticket);

  // One slice per loop turn, and frames received in every turn: a copy in
  // one go would have left the LAN port alone for the whole walk.
  EXPECT_GE(calls_during, kMaxSessions / kPerTurn);
  ASSERT_EQ(sessions.size(), kFlows);
  std::vector<std::uint16_t> ports;
  for (const auto& s : sessions) {
    EXPECT_EQ(s.internal_addr, kHost);
    EXPECT_EQ(s.external_addr, kWanAddr);
    EXPECT_EQ(s.remote_addr, kServer);
    ports.push_back(s.internal_port.value());
  }
  std::sort(ports.begin(), ports.end());
  for (std::uint16_t i = 0; i < kFlows; ++i) EXPECT_EQ(ports[i], kFirstPort + i);
}

TEST(Worker, PublishesCountersWhenAsked) {
  Running r;
  const WorkerState first = state_for(r.mailbox(), r.mailbox().ask_state());
  ASSERT_TRUE(eventually([&] {
    return state_for(r.mailbox(), r.mailbox().ask_state()).nat.in2out > first.nat.in2out;
  }));
  const WorkerState later = state_for(r.mailbox(), r.mailbox().ask_state());
  EXPECT_GT(later.lan.rx_frames, 0u);
  EXPECT_GT(later.router.rx_frames[0], 0u);
}

TEST(ControlPlane, AnswersFromWhatTheWorkerPublishes) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("masqd-test-" + std::to_string(::getpid())))
          .string();
  Running r;
  r.start_control_plane(path);
  ASSERT_TRUE(eventually([&] {
    const ctl::Reply status = ctl::request(path, ctl::Command::status);
    return status.error.empty() && status.body.at("sessions") == kFlows;
  }));
  const ctl::Reply status = ctl::request(path, ctl::Command::status);
  ASSERT_TRUE(status.error.empty()) << status.error;
  EXPECT_EQ(status.body.at("max_sessions"), kMaxSessions);
  EXPECT_EQ(status.body.at("lan"), "lan0");

  const ctl::Reply sessions = ctl::request(path, ctl::Command::sessions);
  ASSERT_TRUE(sessions.error.empty()) << sessions.error;
  EXPECT_EQ(sessions.body.at("sessions").size(), kFlows);

  const ctl::Reply stats = ctl::request(path, ctl::Command::stats);
  ASSERT_TRUE(stats.error.empty()) << stats.error;
  EXPECT_GT(stats.body.at("counters").at("nat").at("in2out").get<std::uint64_t>(), 0u);
  EXPECT_EQ(stats.body.at("stats").at("sessions.udp").at("udp"), kFlows);

  // What the worker forwarded meanwhile left with sound checksums.
  std::size_t ipv4 = 0;
  for (const Bytes& f : r.wan().sent()) {
    ASSERT_GE(f.size(), 14u);
    if (f[12] != 0x08 || f[13] != 0x00) continue;  // ARP
    ++ipv4;
    EXPECT_EQ(masq::test::checksum_problems(std::span(f).subspan(14)), std::vector<std::string>{});
  }
  EXPECT_GT(ipv4, 0u);
}

TEST(ControlPlane, DeletesSessionsThroughTheWorker) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("masqd-test-d-" + std::to_string(::getpid())))
          .string();
  Running r;
  r.start_control_plane(path);
  ctl::Request count{ctl::Command::sessions, {}, true};
  ASSERT_TRUE(eventually([&] {
    const ctl::Reply reply = ctl::request(path, count);
    return reply.error.empty() && reply.body.at("count") == kFlows;
  }));
  ctl::Request del{ctl::Command::delete_sessions, {}, false};
  ASSERT_EQ(del.filter.set("inside_port", std::to_string(kFirstPort + 7)), "");
  const ctl::Reply deleted = ctl::request(path, del);
  ASSERT_TRUE(deleted.error.empty()) << deleted.error;
  EXPECT_EQ(deleted.body.at("deleted"), 1);
  const ctl::Reply stats = ctl::request(path, ctl::Command::stats);
  ASSERT_TRUE(stats.error.empty()) << stats.error;
  EXPECT_EQ(stats.body.at("counters").at("nat").at("sessions_deleted"), 1);
  // A filter that selects nothing deletes nothing.
  ASSERT_EQ(del.filter.set("proto", "tcp"), "");
  EXPECT_EQ(ctl::request(path, del).body.at("deleted"), 0);
}

// GET `path` from 127.0.0.1:port; the whole response.
std::string http_get(std::uint16_t port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sin), sizeof sin), 0);
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::string got;
  char buf[65536];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) got.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return got;
}

TEST(ControlPlane, ServesMetricsFromWhatTheWorkerPublishes) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("masqd-test-m-" + std::to_string(::getpid())))
          .string();
  auto metrics = MetricsServer::open(net::Ipv4Addr::from_octets(127, 0, 0, 1), 0);
  ASSERT_TRUE(metrics.server) << metrics.error;
  const std::uint16_t port = metrics.server->port();
  Running r;
  r.start_control_plane(path, std::move(metrics.server));
  const std::string sessions =
      "masq_sessions{proto=\"udp\",state=\"udp\"} " + std::to_string(kFlows);
  std::string got;
  EXPECT_TRUE(eventually([&] {
    got = http_get(port, "/metrics");
    return got.find(sessions) != std::string::npos;
  })) << got;
  EXPECT_EQ(got.rfind("HTTP/1.0 200 OK\r\n", 0), 0u);
  EXPECT_NE(got.find("# TYPE masq_nat_in2out_total counter\n"), std::string::npos);
  EXPECT_NE(got.find("masq_io_rx_frames_total{interface=\"lan\"}"), std::string::npos);
  EXPECT_NE(got.find("masq_nat_drops_total{reason=\"table_full\"} 0\n"), std::string::npos);
  EXPECT_EQ(http_get(port, "/").rfind("HTTP/1.0 404", 0), 0u);
  // masqctl still answers beside it.
  EXPECT_TRUE(ctl::request(path, ctl::Command::status).error.empty());
}

TEST(ControlPlane, AnswersAnErrorWhenTheWorkerDoesNotDeliver) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("masqd-test-nw-" + std::to_string(::getpid())))
          .string();
  auto opened = ctl::Server::open(path);
  ASSERT_TRUE(opened.server) << opened.error;
  Mailbox mailbox;  // no worker behind it
  ControlPlane control(std::move(opened.server), nullptr, {&mailbox},
                       StaticStatus{"test", "", "", 1},
                       /*worker_timeout_ms=*/200);
  const int stop_fd = ::eventfd(0, EFD_CLOEXEC);
  std::thread thread([&] { control.run(stop_fd); });
  const ctl::Reply r = ctl::request(path, ctl::Command::sessions);
  EXPECT_EQ(r.error, "masqd: a worker did not answer within 200 ms");
  const std::uint64_t one = 1;
  EXPECT_EQ(::write(stop_fd, &one, sizeof one), 8);
  thread.join();
  ::close(stop_fd);
}

// Two workers as Gateway wires them, all frames arriving at worker 0 (the
// kernel steering nothing): the host that belongs to worker 1 is handed
// to it, the ARP worker 0 hears reaches worker 1, each worker translates
// its host's flows on its own WAN port, and the control plane merges both.
TEST(Workers, HandOffAndMergedSnapshots) {
  const net::Ipv4Addr other = [] {
    for (std::uint8_t i = 11;; ++i) {
      const auto a = net::Ipv4Addr::from_octets(192, 168, 77, i);
      if (nat::address_owner(a, 2) != nat::address_owner(kHost, 2)) return a;
    }
  }();
  constexpr std::uint64_t kEach = 500;
  const config::Config cfg = gateway_config();
  const router::RouterConfig router_cfg =
      config::router_config(cfg, {kLanMac.octets(), 1500}, {kWanMac.octets(), 1500});
  HandOffs hand_offs(2, kHandOffSlots, 1518);
  std::vector<std::unique_ptr<Mailbox>> boxes;
  std::vector<FakePort*> lans, wans;
  std::vector<std::unique_ptr<Worker>> workers;
  for (std::uint32_t k = 0; k < 2; ++k) {
    auto lan = std::make_unique<FakePort>(port_info("lan0", kLanMac), 4);
    auto wan = std::make_unique<FakePort>(port_info("wan0", kWanMac));
    lans.push_back(lan.get());
    wans.push_back(wan.get());
    nat::EngineConfig engine = cfg.engine;
    engine.worker = {k, 2};
    boxes.push_back(std::make_unique<Mailbox>());
    workers.push_back(std::make_unique<Worker>(engine, router_cfg, std::move(lan), std::move(wan),
                                               *boxes.back(), WorkerOptions{}, &hand_offs));
  }
  const std::string path =
      (std::filesystem::temp_directory_path() / ("masqd-test-w-" + std::to_string(::getpid())))
          .string();
  auto opened = ctl::Server::open(path);
  ASSERT_TRUE(opened.server) << opened.error;
  ControlPlane control(std::move(opened.server), nullptr, {boxes[0].get(), boxes[1].get()},
                       StaticStatus{"test", "lan0", "wan0", kMaxSessions},
                       ControlPlane::kWorkerTimeoutMs);
  // spdlog makes its default logger on first use: made here, before the
  // threads that log, as masqd's main() does.
  spdlog::default_logger();
  const int stop_fd = ::eventfd(0, EFD_CLOEXEC);
  std::vector<std::thread> threads;
  for (auto& w : workers) threads.emplace_back([&w, stop_fd] { w->run(stop_fd); });
  threads.emplace_back([&] { control.run(stop_fd); });

  // The next hop's ARP reaches worker 0, which copies it to worker 1.
  wans[0]->feed(next_hop_arp, 1);
  ASSERT_TRUE(eventually([&] {
    const ctl::Reply c = ctl::request(path, ctl::Command::stats);
    return c.error.empty() &&
           c.body.at("counters").at("hand_off").at("received").get<std::uint64_t>() == 1;
  }));
  lans[0]->feed(
      [&](std::uint64_t i) {
        masq::test::PacketSpec spec;
        spec.src = i % 2 == 1 ? other : kHost;
        spec.dst = kServer;
        spec.src_port = static_cast<std::uint16_t>(kFirstPort + i / 2);
        spec.dst_port = 53;
        spec.payload = {1, 2, 3, 4};
        return router::test::ipv4_frame(kLanMac, kHostMac, spec);
      },
      2 * kEach);
  // Each worker sends its own host's flows, to the next hop it learnt.
  const auto ipv4_to_next_hop = [](const FakePort& port) {
    std::size_t n = 0;
    for (const Bytes& f : port.sent()) {
      if (f.size() > 14 && f[12] == 0x08 && f[13] == 0x00 &&
          std::equal(f.begin(), f.begin() + 6, kNextHopMac.octets().begin())) {
        ++n;
      }
    }
    return n;
  };
  EXPECT_TRUE(eventually([&] {
    return ipv4_to_next_hop(*wans[0]) == kEach && ipv4_to_next_hop(*wans[1]) == kEach;
  })) << ipv4_to_next_hop(*wans[0])
      << " " << ipv4_to_next_hop(*wans[1]);
  for (const FakePort* wan : wans) {
    for (const Bytes& f : wan->sent()) {
      if (f[12] != 0x08 || f[13] != 0x00) continue;
      EXPECT_EQ(masq::test::checksum_problems(std::span(f).subspan(14)),
                std::vector<std::string>{});
      // From a port of the sending worker's slice.
      const std::uint16_t port = static_cast<std::uint16_t>(f[14 + 20] << 8 | f[14 + 21]);
      const std::uint32_t sender = wan == wans[0] ? 0 : 1;
      EXPECT_EQ(nat::port_owner(net::Proto::udp, port, 2), sender);
    }
  }

  const ctl::Reply status = ctl::request(path, ctl::Command::status);
  ASSERT_TRUE(status.error.empty()) << status.error;
  EXPECT_EQ(status.body.at("sessions"), 2 * kEach);
  const ctl::Reply sessions = ctl::request(path, ctl::Command::sessions);
  ASSERT_TRUE(sessions.error.empty()) << sessions.error;
  EXPECT_EQ(sessions.body.at("sessions").size(), 2 * kEach);
  const ctl::Reply counters = ctl::request(path, ctl::Command::stats);
  ASSERT_TRUE(counters.error.empty()) << counters.error;
  const auto& c = counters.body.at("counters");
  EXPECT_EQ(c.at("nat").at("in2out").get<std::uint64_t>(), 2 * kEach);
  EXPECT_EQ(c.at("router").at("lan_handed_off").get<std::uint64_t>(), kEach);
  EXPECT_EQ(c.at("router").at("lan_handed_in").get<std::uint64_t>(), kEach);

  const std::uint64_t one = 1;
  EXPECT_EQ(::write(stop_fd, &one, sizeof one), 8);
  for (std::thread& t : threads) t.join();
  ::close(stop_fd);
}

}  // namespace
}  // namespace masq::app
