// Worker: one thread that forwards. Owns the two frame ports, the engine
// and the router, and runs the loop: receive a batch from a port, let the
// router (and through it the engine) decide, transmit what comes out, tick
// the ARP timers, flush. Between batches it serves the Mailbox: it
// publishes its counters when asked, and copies the session table when
// asked in slices of sessions_per_turn slots, one slice per loop turn, so
// that a dump of any size never holds up forwarding for long; and it moves
// its engine's session events to the Mailbox's queue for the translation
// log. It never waits for the control plane.
// With several workers (HandOffs), it also passes what its router says is
// another worker's to that worker's ring, copies every ARP frame to every
// other worker (each router learns its neighbours), and takes what the
// others passed it (docs/architecture.md, "Workers and steering").
// Single-threaded: the engine and router are never touched from another
// thread. Hot: run().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "command_runner.hpp"
#include "hand_offs.hpp"
#include "host_ports.hpp"
#include "mailbox.hpp"
#include "masq/io/frame_port.hpp"
#include "masq/nat/engine.hpp"
#include "masq/router/router.hpp"
#include "pcp_service.hpp"
#include "restore_tallies.hpp"
#include "watch.hpp"

namespace masq::app {

// Poll timeout while a session walk is under way: short, so that the walk
// goes on soon, but not zero, because a worker spinning through it would
// keep the kernel's own packet processing (softirqs, ksoftirqd) off its
// CPU and so delay the very frames it waits for.
inline constexpr int kWalkPollMs = 1;

struct WorkerOptions {
  // Session slots copied per loop turn: at under 80 ns a slot (a full
  // table, page faults of the copy included), at most about 0.15 ms
  // between two batches.
  std::size_t sessions_per_turn = 2048;
  // How long the worker keeps polling its rings without sleeping after the
  // last frame it moved ([io] busy_poll_us). A lone packet that finds the
  // worker asleep pays a thread wake-up; its answer, arriving within this
  // window, does not. 0: always sleep in poll() when idle.
  std::uint64_t busy_poll_ns = 0;
};

// The longest a walk of `slots` session slots takes on an idle worker:
// one slice per poll timeout.
constexpr int walk_bound_ms(std::size_t slots, const WorkerOptions& options) {
  return static_cast<int>((slots + options.sessions_per_turn - 1) / options.sessions_per_turn) *
         kWalkPollMs;
}

class Worker {
 public:
  // Throws std::invalid_argument when the engine or router config is invalid.
  // `hand_offs`: shared with the other workers (engine.worker says which
  // this one is), null when it is the only one; `pcp`: this worker's
  // PCP/NAT-PMP server, when pcp.enabled; `host`: the host interfaces this
  // worker serves (none: empty; then what is the host's goes to worker 0);
  // `watch`: link and signal events to log and count (null: none).
  Worker(const nat::EngineConfig& engine, const router::RouterConfig& router,
         std::unique_ptr<io::FramePort> lan, std::unique_ptr<io::FramePort> wan, Mailbox& mailbox,
         WorkerOptions options = {}, HandOffs* hand_offs = nullptr,
         const pcp::ServerConfig& pcp = {}, HostPorts host = {},
         std::unique_ptr<Watch> watch = nullptr);

  // Runs until `stop_fd` becomes readable (it is polled, never read), then
  // closes the ports.
  void run(int stop_fd);

  // State across a restart (worker_state.cpp), while the worker does not
  // run: its sessions and PCP state added to `out`; and what of a
  // snapshot is this worker's, put back. now_unix_s: the wall clock.
  void save(state::Snapshot& out, std::uint64_t now_unix_s) const;
  // With the WAN's address by DHCP and no lease yet, the part is kept, and
  // counted as waiting, until the first lease (readdress()) puts back what
  // was on the leased address.
  RestoreTallies restore(const state::Snapshot& snapshot, std::uint64_t now_unix_s);

 private:
  bool pump(io::FramePort& port, Side side);
  bool pump_host(Side side);
  void transmit(const router::Output& out);
  // The WAN's DHCP lease changed: the engine, the router and the PCP server
  // follow it. Returns how many sessions the old address took with it.
  std::size_t readdress(const WanLease& lease, std::uint64_t now);
  // A new engine config (WorkerCommand::config): the engine and the
  // router's external addresses follow it.
  CommandResult reconfigure(const nat::EngineConfig& config, std::uint64_t now);
  // worker_state.cpp: whether a saved session or PCP mapping is this
  // worker's; what of `snapshot` is, put back; and what waited for the
  // first lease, put back and logged.
  bool mine(const nat::SessionView& saved) const;
  bool mine(const state::SavedMapping& saved) const;
  RestoreTallies put_back(const state::Snapshot& snapshot, std::uint64_t now_unix_s);
  void restore_waiting();
  // Copies of the ARP frames among `frames` to every other worker.
  void share_arp(std::span<const net::Frame> frames, Side side);
  // Runs what the other workers passed this one; true when there was any.
  bool take_hand_offs(std::uint64_t now_ns);
  void push(std::uint32_t to, HandOffKind kind, Side side, std::span<const std::uint8_t> bytes);
  void wake_peers();
  // Publishes what the control plane asked for; true while work remains
  // (a session walk under way, or a publication the lock put off).
  bool serve_mailbox(std::uint64_t now_ns);
  // Answers the PCP requests among `datagrams`, or hands them to the
  // worker of the host they name (pcp_hand_off.hpp).
  void serve_pcp(std::span<const router::LocalDatagram> datagrams, std::uint64_t now);
  // Moves the engine's session events to the control plane's queue.
  void pass_events();
  io::FramePort& port(Side side) { return side == Side::lan ? *lan_ : *wan_; }
  // Moves up to kBurst batches from each port (host interfaces included)
  // in turn; true when any frame moved.
  bool pump_all();

  std::unique_ptr<io::FramePort> lan_;
  std::unique_ptr<io::FramePort> wan_;
  HostPorts host_;
  std::unique_ptr<Watch> watch_;
  nat::Engine engine_;
  router::Router router_;
  std::optional<PcpService> pcp_;
  Mailbox& mailbox_;
  WorkerOptions options_;
  std::vector<net::Frame> rx_;
  HandOffs* hand_offs_;
  std::uint32_t self_;
  HandOffStats hand_off_stats_;
  std::vector<bool> to_wake_;  // peers pushed to since they were last woken
  std::vector<HandOffMessage> taken_;
  std::vector<net::Frame> handed_;
  std::vector<router::LocalDatagram> pcp_local_;
  std::vector<std::uint8_t> pcp_packed_;

  Mailbox::Ticket state_published_ = 0;
  // Quota hits when busiest_ was last taken.
  std::uint64_t quota_hits_seen_ = 0;
  std::vector<nat::SubscriberUse> busiest_;
  Mailbox::Ticket sessions_published_ = 0;
  // The session walk: the ticket it answers (0: none under way), where it
  // stands, what it copied, and whether that waits to be published.
  Mailbox::Ticket walk_ticket_ = 0;
  std::size_t walk_cursor_ = 0;
  bool walk_done_ = false;
  std::vector<nat::SessionView> walk_;
  CommandRunner commands_;
  net::Ipv4Addr configured_wan_;  // as the config names it
  net::Ipv4Addr wan_address_;     // as the engine and router have it
  // This worker's part of the state snapshot, until the first DHCP lease.
  std::optional<state::Snapshot> waiting_;
};

}  // namespace masq::app
