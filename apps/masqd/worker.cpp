#include "worker.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>

#include "masq/nat/port_slice.hpp"
#include "masq/pcp/pcp_wire.hpp"
#include "masq/router/arp.hpp"
#include "masq/router/ethernet.hpp"
#include "pcp_hand_off.hpp"

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

// The subscribers named when quotas are hit (operator_events.hpp).
constexpr std::size_t kBusiest = 3;

std::uint64_t quota_hits(const nat::Counters& c) {
  std::uint64_t hits = 0;
#define MASQD_QUOTA_HIT(name) hits += c.drop(nat::DropReason::name);
  MASQ_NAT_QUOTA_HITS(MASQD_QUOTA_HIT)
#undef MASQD_QUOTA_HIT
  return hits;
}

}  // namespace

Worker::Worker(const nat::EngineConfig& engine, const router::RouterConfig& router,
               std::unique_ptr<io::FramePort> lan, std::unique_ptr<io::FramePort> wan,
               Mailbox& mailbox, WorkerOptions options, HandOffs* hand_offs,
               const pcp::ServerConfig& pcp, HostPorts host, std::unique_ptr<Watch> watch)
    : lan_(std::move(lan)),
      wan_(std::move(wan)),
      host_(std::move(host)),
      watch_(std::move(watch)),
      engine_(engine),
      router_(router, engine_),
      mailbox_(mailbox),
      options_(options),
      rx_(router.max_batch),
      hand_offs_(hand_offs),
      self_(engine.worker.index),
      to_wake_(hand_offs != nullptr ? hand_offs->workers() : 0),
      taken_(router.max_batch),
      handed_(router.max_batch),
      pcp_local_(router.max_batch),
      // A PCP request is at most 1100 octets (RFC 6887 §7).
      pcp_packed_(kPackedDatagramHeader + pcp::kMaxMessage),
      configured_wan_(router.wan.address),
      wan_address_(router.wan.address) {
  if (pcp.enabled) {
    const net::Ipv4Addr external =
        engine.pool.empty() ? router.wan.address : engine.pool.front().first;
    pcp_.emplace(pcp, engine_, router, external, now_ns(), self_ == 0);
  }
}

std::size_t Worker::readdress(const WanLease& lease, std::uint64_t now) {
  std::size_t removed = 0;
  // A new gateway alone keeps the sessions.
  if (lease.address != wan_address_) {
    engine_.readdress(wan_address_, lease.address, now, removed);
    wan_address_ = lease.address;
    if (pcp_) pcp_->readdressed(lease.address, now);
  }
  transmit(router_.readdress_wan(lease.address, lease.prefix, lease.gateway));
  if (waiting_ && !lease.address.is_unspecified()) restore_waiting();
  return removed;
}

CommandResult Worker::reconfigure(const nat::EngineConfig& config, std::uint64_t now) {
  nat::EngineConfig next = config;
  next.worker = engine_.worker();
  // The config names the address the WAN had at start (0.0.0.0 for DHCP);
  // the engine has the lease's.
  if (wan_address_ != configured_wan_) nat::move_address(next, configured_wan_, wan_address_);
  CommandResult result;
  std::size_t removed = 0;
  if (!engine_.reconfigure(next, now, removed)) {
    result.refused = 1;
    return result;
  }
  result.deleted = removed;
  transmit(router_.set_externals(router::external_addresses(next)));
  return result;
}

void Worker::transmit(const router::Output& out) {
  for (Side side : {Side::lan, Side::wan}) {
    if (!out.frames(side).empty()) port(side).send(out.frames(side));
    if (out.host(side).empty()) continue;
    if (io::FramePort* host = host_.port(side)) {
      host->send(out.host(side));
    } else if (hand_offs_ != nullptr) {
      // The host interfaces are worker 0's.
      for (const net::Frame& f : out.host(side)) push(0, HandOffKind::host, side, f.bytes);
    }
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
      if (pcp_ && side == Side::lan) {
        // PCP requests among the handed packets (their datagrams point into
        // the ring's slots, popped below), and those handed as requests.
        serve_pcp(out.local(), now);
        for (std::size_t i = 0; i < n; ++i) {
          if (taken_[i].kind != HandOffKind::pcp) continue;
          if (const auto d = unpack(taken_[i].bytes)) pcp_->serve({&*d, 1}, *lan_, now);
        }
      }
      if (io::FramePort* host = host_.port(side)) {
        std::size_t frames = 0;
        for (std::size_t i = 0; i < n; ++i) {
          if (taken_[i].side == side && taken_[i].kind == HandOffKind::host) {
            handed_[frames++] = {taken_[i].bytes};
          }
        }
        if (frames != 0) host->send({handed_.data(), frames});
      }
    }
    ring.pop(n);
  }
  return any;
}

void Worker::serve_pcp(std::span<const router::LocalDatagram> datagrams, std::uint64_t now) {
  if (hand_offs_ == nullptr) return pcp_->serve(datagrams, *lan_, now);
  std::size_t mine = 0;
  for (const router::LocalDatagram& d : datagrams) {
    const auto host = third_party_host(d);
    const std::uint32_t owner = host ? nat::address_owner(*host, hand_offs_->workers()) : self_;
    if (owner == self_) {
      pcp_local_[mine++] = d;
    } else if (const std::size_t length = pack(d, pcp_packed_); length != 0) {
      push(owner, HandOffKind::pcp, Side::lan, {pcp_packed_.data(), length});
    }
  }
  pcp_->serve({pcp_local_.data(), mine}, *lan_, now);
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
  if (hand_offs_ != nullptr) share_arp({rx_.data(), n}, side);
  // Output frames may point into the rx frames: release only after send()
  // has copied them.
  const std::uint64_t now = now_ns();
  const router::Output& out = router_.process({rx_.data(), n}, side, now);
  transmit(out);
  if (pcp_) serve_pcp(out.local(), now);
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
    s.restore_waiting = waiting_.has_value();
    s.address_use = engine_.address_use();
    // The subscriber table is walked only while quotas are being hit.
    if (const std::uint64_t hits = quota_hits(s.nat); hits != quota_hits_seen_) {
      quota_hits_seen_ = hits;
      busiest_ = engine_.busiest_subscribers(kBusiest);
    }
    s.busiest = busiest_;
    if (pcp_) {
      s.pcp = pcp_->counters();
      s.pcp_epoch_s = pcp_->save(s.pcp_mappings, now);
    }
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
  pending |= commands_.serve(engine_, mailbox_, now, options_.sessions_per_turn,
                             [this, now](const WorkerCommand& c) {
                               if (c.lease) return CommandResult{0, readdress(*c.lease, now)};
                               return reconfigure(*c.config, now);
                             });
  return pending || walk_ticket_ != 0;
}

void Worker::pass_events() {
  EventQueue& queue = mailbox_.events();
  engine_.drain_events([&queue](const nat::SessionEvent& e) { queue.push(e); });
}

bool Worker::pump_all() {
  bool moved = false;
  for (int burst = 0; burst < kBurst; ++burst) {
    // What other workers passed first: an ARP copy may bind the source of
    // a LAN packet waiting in this worker's ring (source guard).
    const bool handed = hand_offs_ != nullptr && take_hand_offs(now_ns());
    const bool lan_busy = pump(*lan_, Side::lan);
    const bool wan_busy = pump(*wan_, Side::wan);
    const bool host_busy = pump_host(Side::lan) | pump_host(Side::wan);
    if (!lan_busy && !wan_busy && !host_busy && !handed) break;
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
    const pollfd watched = watch_ ? watch_->poll_fd() : pollfd{-1, 0, 0};
    pollfd fds[] = {{stop_fd, POLLIN, 0},
                    {lan_->wait_fd(), POLLIN, 0},
                    {wan_->wait_fd(), POLLIN, 0},
                    {mailbox_.wake_fd(), POLLIN, 0},
                    {host_fd(host_.lan.get()), POLLIN, 0},
                    {host_fd(host_.wan.get()), POLLIN, 0},
                    watched,
                    {hand_offs_ != nullptr ? hand_offs_->wake_fd(self_) : -1, POLLIN, 0}};
    ::poll(fds, std::size(fds), spinning ? 0 : more ? kWalkPollMs : kIdlePollMs);
    if (fds[0].revents & POLLIN) break;
    if (fds[3].revents & POLLIN) mailbox_.clear_wake();
    if (fds[7].revents & POLLIN) hand_offs_->clear_wake(self_);
    // A link that went down leaves its error on a packet socket, which
    // poll would report at once for ever: reading it clears it.
    for (const pollfd& p : {fds[1], fds[2]}) {
      if (p.revents & POLLERR) {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &length);
      }
    }
    if (watch_ && (fds[6].revents & POLLIN)) watch_->service();
    const bool moved = pump_all();
    if (hand_offs_ != nullptr) wake_peers();
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
    pass_events();
  }
  pass_events();
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
