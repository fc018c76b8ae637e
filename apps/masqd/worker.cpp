#include "worker.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "masq/router/arp.hpp"
#include "masq/router/ethernet.hpp"

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
               Mailbox& mailbox, WorkerOptions options, HandOffs* hand_offs)
    : lan_(std::move(lan)),
      wan_(std::move(wan)),
      engine_(engine),
      router_(router, engine_),
      mailbox_(mailbox),
      options_(options),
      rx_(router.max_batch),
      hand_offs_(hand_offs),
      self_(engine.worker.index),
      to_wake_(hand_offs != nullptr ? hand_offs->workers() : 0),
      taken_(router.max_batch),
      handed_(router.max_batch) {}

void Worker::transmit(const router::Output& out) {
  for (Side side : {Side::lan, Side::wan}) {
    if (!out.frames(side).empty()) port(side).send(out.frames(side));
  }
  for (const router::HandOff& h : out.hand_offs()) {
    push(h.worker, HandOffKind::ipv4, h.side, h.packet);
  }
}

void Worker::push(std::uint32_t to, HandOffKind kind, Side side,
                  std::span<const std::uint8_t> bytes) {
  HandOffRing& ring = hand_offs_->ring(self_, to);
  if (bytes.size() > ring.slot_bytes()) {
    ++hand_off_stats_.dropped_too_large;
  } else if (!ring.push(kind, side, bytes)) {
    ++hand_off_stats_.dropped_ring_full;
  } else {
    ++hand_off_stats_.sent;
    to_wake_[to] = true;
  }
}

void Worker::wake_peers() {
  for (std::uint32_t k = 0; k < to_wake_.size(); ++k) {
    if (to_wake_[k]) hand_offs_->wake(k);
    to_wake_[k] = false;
  }
}

void Worker::share_arp(std::span<const net::Frame> frames, Side side) {
  for (const net::Frame& f : frames) {
    if (f.bytes.size() < router::kEthernetHeader ||
        router::read_ethernet(f.bytes.data()).ether_type != router::kEtherTypeArp) {
      continue;
    }
    for (std::uint32_t k = 0; k < hand_offs_->workers(); ++k) {
      if (k != self_) push(k, HandOffKind::arp, side, f.bytes);
    }
  }
}

bool Worker::take_hand_offs(std::uint64_t now) {
  bool any = false;
  for (std::uint32_t from = 0; from < hand_offs_->workers(); ++from) {
    if (from == self_) continue;
    HandOffRing& ring = hand_offs_->ring(from, self_);
    const std::size_t n = ring.peek(taken_);
    if (n == 0) continue;
    any = true;
    hand_off_stats_.received += n;
    // Packets run through the router one side at a time; what an ARP copy
    // releases joins that side's output before it is sent.
    for (const Side side : {Side::lan, Side::wan}) {
      std::size_t packets = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (taken_[i].side == side && taken_[i].kind == HandOffKind::ipv4) {
          handed_[packets++] = {taken_[i].bytes};
        }
      }
      const router::Output& out = router_.process_handed({handed_.data(), packets}, side, now);
      for (std::size_t i = 0; i < n; ++i) {
        const HandOffMessage& m = taken_[i];
        if (m.side != side || m.kind != HandOffKind::arp) continue;
        const auto arp = router::decode_arp(m.bytes.subspan(router::kEthernetHeader));
        if (arp) router_.learn(side, arp->sender_ip, arp->sender_mac, now);
      }
      transmit(out);
    }
    ring.pop(n);
  }
  return any;
}

// One batch from `from`; true when it had frames.
bool Worker::pump(io::FramePort& from, Side side) {
  const std::size_t n = from.receive(rx_);
  if (n == 0) return false;
  if (hand_offs_ != nullptr) share_arp({rx_.data(), n}, side);
  // Output frames may point into the rx frames: release only after send()
  // has copied them.
  transmit(router_.process({rx_.data(), n}, side, now_ns()));
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
    s.hand_offs = hand_off_stats_;
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
  return pending || walk_ticket_ != 0;
}

void Worker::run(int stop_fd) {
  transmit(router_.start());
  std::uint64_t next_tick = now_ns() + kTickNs;
  bool more = false;
  for (;;) {
    pollfd fds[] = {{stop_fd, POLLIN, 0},
                    {lan_->wait_fd(), POLLIN, 0},
                    {wan_->wait_fd(), POLLIN, 0},
                    {mailbox_.wake_fd(), POLLIN, 0},
                    {hand_offs_ != nullptr ? hand_offs_->wake_fd(self_) : -1, POLLIN, 0}};
    ::poll(fds, std::size(fds), more ? kWalkPollMs : kIdlePollMs);
    if (fds[0].revents & POLLIN) break;
    if (fds[3].revents & POLLIN) mailbox_.clear_wake();
    if (fds[4].revents & POLLIN) hand_offs_->clear_wake(self_);
    for (int burst = 0; burst < kBurst; ++burst) {
      const bool lan_busy = pump(*lan_, Side::lan);
      const bool wan_busy = pump(*wan_, Side::wan);
      const bool handed = hand_offs_ != nullptr && take_hand_offs(now_ns());
      if (!lan_busy && !wan_busy && !handed) break;
    }
    if (hand_offs_ != nullptr) wake_peers();
    const std::uint64_t now = now_ns();
    if (now >= next_tick) {
      transmit(router_.tick(now));
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
