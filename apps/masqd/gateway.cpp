#include "gateway.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>

#include "snapshot.hpp"

namespace masq::app {
namespace {

constexpr std::size_t kBatch = 256;
// ARP retries are counted in hundreds of milliseconds; ticking every 10 ms
// keeps them on time without costing anything measurable.
constexpr std::uint64_t kTickNs = 10'000'000;
// Poll timeout when idle: bounds the latency of ticks and control requests.
constexpr int kIdlePollMs = 10;
// Batches pulled from one port before the other gets its turn.
constexpr int kBurst = 8;

router::InterfaceConfig side_config(const config::Interface& i, const io::PortInfo& port) {
  router::InterfaceConfig c;
  c.mac = router::MacAddr(port.mac);
  c.address = i.address;
  c.prefix = i.prefix;
  c.mtu = static_cast<std::uint16_t>(port.mtu);
  return c;
}

std::string describe(const config::Interface& i, const io::PortInfo& port) {
  return i.name + " " + i.address.to_string() + "/" + std::to_string(i.prefix.length()) + " mtu " +
         std::to_string(port.mtu) + " " + port.mode;
}

}  // namespace

router::RouterConfig router_config(const config::Config& cfg, const io::PortInfo& lan,
                                   const io::PortInfo& wan) {
  router::RouterConfig rc;
  rc.lan = side_config(cfg.lan, lan);
  rc.wan = side_config(cfg.wan, wan);
  rc.wan_gateway = cfg.gateway;
  rc.externals = router::external_addresses(cfg.engine);
  rc.max_batch = kBatch;
  rc.allow_source_route = cfg.router.allow_source_route;
  rc.icmp_rate_limit = cfg.router.icmp;
  return rc;
}

Gateway::Gateway(const config::Config& cfg, std::unique_ptr<io::FramePort> lan,
                 std::unique_ptr<io::FramePort> wan, std::unique_ptr<ctl::Server> control)
    : cfg_(cfg),
      lan_(std::move(lan)),
      wan_(std::move(wan)),
      control_(std::move(control)),
      engine_(cfg_.engine),
      router_(router_config(cfg_, lan_->info(), wan_->info()), engine_),
      started_(Clock::now()),
      rx_(kBatch),
      frames_(kBatch) {
  tx_.reserve(kBatch * 4);
}

std::uint64_t Gateway::now_ns() const {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
          .count());
}

void Gateway::transmit(const router::Output& out) {
  for (Side side : {Side::lan, Side::wan}) {
    tx_.clear();
    for (const auto& f : out.frames(side)) tx_.push_back({{f.data, f.length}, f.gso_size});
    if (!tx_.empty()) port(side).send(tx_);
  }
}

// One batch from `port`; true when it had frames.
bool Gateway::pump(io::FramePort& from, Side side) {
  const std::size_t n = from.receive(rx_);
  if (n == 0) return false;
  for (std::size_t i = 0; i < n; ++i) {
    frames_[i] = {rx_[i].bytes.data(), static_cast<std::uint32_t>(rx_[i].bytes.size()),
                  rx_[i].gso_size};
  }
  // Output frames may point into the rx frames: release only after send()
  // has copied them.
  transmit(router_.process({frames_.data(), n}, side, now_ns()));
  from.release_rx();
  return true;
}

void Gateway::run(int stop_fd) {
  spdlog::info("lan {}", describe(cfg_.lan, lan_->info()));
  spdlog::info("wan {}", describe(cfg_.wan, wan_->info()));
  transmit(router_.start());
  std::uint64_t next_tick = now_ns() + kTickNs;
  std::vector<pollfd> fds;
  for (;;) {
    fds.clear();
    fds.push_back({stop_fd, POLLIN, 0});
    fds.push_back({lan_->wait_fd(), POLLIN, 0});
    fds.push_back({wan_->wait_fd(), POLLIN, 0});
    if (control_) {
      for (int fd : control_->fds()) fds.push_back({fd, POLLIN, 0});
    }
    ::poll(fds.data(), fds.size(), kIdlePollMs);
    if (fds[0].revents & POLLIN) break;
    for (int burst = 0; burst < kBurst; ++burst) {
      const bool lan_busy = pump(*lan_, Side::lan);
      const bool wan_busy = pump(*wan_, Side::wan);
      if (!lan_busy && !wan_busy) break;
    }
    if (const std::uint64_t now = now_ns(); now >= next_tick) {
      transmit(router_.tick(now));
      next_tick = now + kTickNs;
    }
    lan_->flush();
    wan_->flush();
    if (control_) control_->serve([this](ctl::Command c) { return answer(c); });
  }
  const nat::Counters& c = engine_.counters();
  spdlog::info("stopping: {} in2out, {} out2in, {} hairpinned, {} dropped, {} sessions live",
               c.in2out, c.out2in, c.hairpinned, c.total_drops(), engine_.session_count());
  lan_->close();
  wan_->close();
}

nlohmann::json Gateway::answer(ctl::Command command) {
  const std::uint64_t now = now_ns();
  switch (command) {
    case ctl::Command::status: {
      ctl::Status s;
      s.version = MASQ_VERSION;
      s.lan = describe(cfg_.lan, lan_->info());
      s.wan = describe(cfg_.wan, wan_->info());
      s.uptime_s = static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started_).count());
      s.sessions = engine_.session_count();
      s.max_sessions = cfg_.engine.max_sessions;
      return ctl::status_json(s);
    }
    case ctl::Command::sessions: {
      std::vector<nat::SessionView> sessions;
      engine_.for_each_session([&](const nat::SessionView& v) { sessions.push_back(v); }, now);
      return ctl::sessions_json(sessions);
    }
    case ctl::Command::counters:
      return ctl::counters_json(
          counter_groups(engine_.counters(), router_.counters(), lan_->stats(), wan_->stats()));
  }
  return ctl::error_json("unknown command");
}

}  // namespace masq::app
