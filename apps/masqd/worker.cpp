#include "worker.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>

namespace masq::app {
namespace {

// ARP retries are counted in hundreds of milliseconds; ticking every 10 ms
// keeps them on time without costing anything measurable.
constexpr std::uint64_t kTickNs = 10'000'000;
// Poll timeout when idle: bounds the latency of ticks.
constexpr int kIdlePollMs = 10;
// Batches pulled from one port before the other gets its turn.
constexpr int kBurst = 8;

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

Worker::Worker(const nat::EngineConfig& engine, const router::RouterConfig& router,
               std::unique_ptr<io::FramePort> lan, std::unique_ptr<io::FramePort> wan,
               Mailbox& mailbox, WorkerOptions options, const pcp::ServerConfig& pcp,
               HostPorts host, std::unique_ptr<Watch> watch)
    : lan_(std::move(lan)),
      wan_(std::move(wan)),
      host_(std::move(host)),
      watch_(std::move(watch)),
      engine_(engine),
      router_(router, engine_),
      mailbox_(mailbox),
      options_(options),
      rx_(router.max_batch) {
  if (pcp.enabled) {
    const net::Ipv4Addr external =
        engine.pool.empty() ? router.wan.address : engine.pool.front().first;
    pcp_.emplace(pcp, engine_, router, external, now_ns());
  }
}

void Worker::transmit(const router::Output& out) {
  for (Side side : {Side::lan, Side::wan}) {
    if (!out.frames(side).empty()) port(side).send(out.frames(side));
    if (io::FramePort* host = host_.port(side); host != nullptr && !out.host(side).empty())
      host->send(out.host(side));
  }
}

// One batch the host sent on `side`'s host interface, out on the wire.
bool Worker::pump_host(Side side) {
  io::FramePort* host = host_.port(side);
  if (host == nullptr) return false;
  const std::size_t n = host->receive(rx_);
  if (n == 0) return false;
  transmit(router_.from_host({rx_.data(), n}, side));
  host->release_rx();
  return true;
}

// One batch from `from`; true when it had frames.
bool Worker::pump(io::FramePort& from, Side side) {
  const std::size_t n = from.receive(rx_);
  if (n == 0) return false;
  // Output frames may point into the rx frames: release only after send()
  // has copied them.
  const std::uint64_t now = now_ns();
  const router::Output& out = router_.process({rx_.data(), n}, side, now);
  transmit(out);
  if (pcp_) pcp_->serve(out.local(), *lan_, now);
  from.release_rx();
  return true;
}

bool Worker::serve_mailbox(std::uint64_t now) {
  bool pending = false;
  if (const Mailbox::Ticket asked = mailbox_.state_asked(); asked > state_published_) {
    WorkerState s;
    s.nat = engine_.counters();
    s.router = router_.counters();
    s.lan = lan_->stats();
    s.wan = wan_->stats();
    if (host_.lan) s.host_lan = host_.lan->stats();
    if (host_.wan) s.host_wan = host_.wan->stats();
    if (watch_) s.watch = watch_->counters();
    s.sessions = engine_.session_count();
    if (pcp_) s.pcp = pcp_->counters();
    if (mailbox_.try_publish_state(s, asked)) {
      state_published_ = asked;
    } else {
      pending = true;
    }
  }
  if (walk_ticket_ == 0) {
    const Mailbox::Ticket asked = mailbox_.sessions_asked();
    // A walk answers every request made before it starts.
    if (asked > sessions_published_) {
      walk_ticket_ = asked;
      walk_cursor_ = 0;
      walk_.clear();
      // Growing the vector mid-walk would copy it all in one turn.
      walk_.reserve(engine_.session_count() + options_.sessions_per_turn);
    }
  }
  if (walk_ticket_ != 0 && !walk_done_) {
    walk_cursor_ = engine_.for_each_session_from(
        walk_cursor_, options_.sessions_per_turn,
        [this](const nat::SessionView& v) { walk_.push_back(v); }, now);
    walk_done_ = walk_cursor_ == 0;
  }
  if (walk_done_) {
    if (mailbox_.try_publish_sessions(walk_, walk_ticket_)) {
      sessions_published_ = walk_ticket_;
      walk_ticket_ = 0;
      walk_done_ = false;
    }
  }
  pending |= commands_.serve(engine_, mailbox_, now, options_.sessions_per_turn);
  return pending || walk_ticket_ != 0;
}

bool Worker::pump_all() {
  bool moved = false;
  for (int burst = 0; burst < kBurst; ++burst) {
    const bool lan_busy = pump(*lan_, Side::lan);
    const bool wan_busy = pump(*wan_, Side::wan);
    const bool host_busy = pump_host(Side::lan) | pump_host(Side::wan);
    if (!lan_busy && !wan_busy && !host_busy) break;
    moved = true;
  }
  return moved;
}

void Worker::run(int stop_fd) {
  transmit(router_.start());
  std::uint64_t now = now_ns();
  std::uint64_t next_tick = now + kTickNs;
  // Far enough back that the worker starts asleep.
  std::uint64_t last_moved_ns = now - options_.busy_poll_ns - 1;
  bool more = false;
  for (;;) {
    // Inside the busy-poll window poll() only looks (timeout 0): the rings
    // are read again at once, and the answer to what just left finds the
    // worker awake.
    const bool spinning = now - last_moved_ns <= options_.busy_poll_ns;
    // Absent host ports and watch: negative descriptors, which poll skips.
    const auto host_fd = [](const io::FramePort* p) { return p != nullptr ? p->wait_fd() : -1; };
    const auto watched =
        watch_ ? watch_->poll_fds() : std::array<pollfd, 2>{{{-1, 0, 0}, {-1, 0, 0}}};
    pollfd fds[] = {{stop_fd, POLLIN, 0},
                    {lan_->wait_fd(), POLLIN, 0},
                    {wan_->wait_fd(), POLLIN, 0},
                    {mailbox_.wake_fd(), POLLIN, 0},
                    {host_fd(host_.lan.get()), POLLIN, 0},
                    {host_fd(host_.wan.get()), POLLIN, 0},
                    watched[0],
                    watched[1]};
    ::poll(fds, std::size(fds), spinning ? 0 : more ? kWalkPollMs : kIdlePollMs);
    if (fds[0].revents & POLLIN) break;
    if (fds[3].revents & POLLIN) mailbox_.clear_wake();
    // A link that went down leaves its error on a packet socket, which
    // poll would report at once for ever: reading it clears it.
    for (const pollfd& p : {fds[1], fds[2]}) {
      if (p.revents & POLLERR) {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &length);
      }
    }
    if (watch_ && ((fds[6].revents | fds[7].revents) & POLLIN)) watch_->service();
    const bool moved = pump_all();
    now = now_ns();
    if (moved) last_moved_ns = now;
    if (now >= next_tick) {
      transmit(router_.tick(now));
      if (pcp_) pcp_->tick(*lan_, now);
      next_tick = now + kTickNs;
    }
    lan_->flush();
    wan_->flush();
    more = serve_mailbox(now);
  }
  const nat::Counters& c = engine_.counters();
  spdlog::info("stopping: {} in2out, {} out2in, {} hairpinned, {} dropped, {} sessions live",
               c.in2out, c.out2in, c.hairpinned, c.total_drops(), engine_.session_count());
  lan_->close();
  wan_->close();
  for (io::FramePort* host : {host_.lan.get(), host_.wan.get()}) {
    if (host != nullptr) host->close();
  }
}

}  // namespace masq::app
