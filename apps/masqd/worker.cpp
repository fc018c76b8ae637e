#include "worker.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>

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
               Mailbox& mailbox, WorkerOptions options, const pcp::ServerConfig& pcp)
    : lan_(std::move(lan)),
      wan_(std::move(wan)),
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
  }
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

bool Worker::pump_both() {
  bool moved = false;
  for (int burst = 0; burst < kBurst; ++burst) {
    const bool lan_busy = pump(*lan_, Side::lan);
    const bool wan_busy = pump(*wan_, Side::wan);
    if (!lan_busy && !wan_busy) break;
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
    pollfd fds[] = {{stop_fd, POLLIN, 0},
                    {lan_->wait_fd(), POLLIN, 0},
                    {wan_->wait_fd(), POLLIN, 0},
                    {mailbox_.wake_fd(), POLLIN, 0}};
    ::poll(fds, std::size(fds), spinning ? 0 : more ? kWalkPollMs : kIdlePollMs);
    if (fds[0].revents & POLLIN) break;
    if (fds[3].revents & POLLIN) mailbox_.clear_wake();
    const bool moved = pump_both();
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
}

}  // namespace masq::app
