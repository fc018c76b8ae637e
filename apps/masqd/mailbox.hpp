// Mailbox: the hand-off between a worker and the control plane, which run
// on two threads. The control plane asks (for the worker's state, or for
// its session table) by taking a ticket; the worker, between batches,
// publishes what was asked with the newest ticket it saw, and the control
// plane answers every request whose ticket is at most that one.
//
// Why a mutex the worker only try_locks: the published data (counters, a
// vector of sessions) is larger than an atomic, and the control plane holds
// the lock only to copy counters or swap a vector's pointers. The worker
// never waits for it: when try_lock fails it keeps what it has and tries
// again after its next batch. Requests are tickets in atomics, read with
// one load per loop turn. Two eventfds wake the other side's poll: wake_fd
// the worker's (something was asked), ready_fd the control plane's
// (something was published). Cold: touched between batches only.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "event_queue.hpp"
#include "hand_offs.hpp"
#include "masq/io/frame_port.hpp"
#include "masq/nat/counters.hpp"
#include "masq/nat/session_view.hpp"
#include "masq/nat/usage.hpp"
#include "masq/pcp/counters.hpp"
#include "masq/router/counters.hpp"
#include "masq/state/snapshot.hpp"
#include "watch.hpp"
#include "worker_command.hpp"

namespace masq::app {

// A worker's counters, copied between batches.
struct WorkerState {
  nat::Counters nat;
  router::RouterCounters router;
  io::PortStats lan;
  io::PortStats wan;
  io::PortStats host_lan;  // the host interfaces (zero without them)
  io::PortStats host_wan;
  WatchCounters watch;
  std::uint64_t sessions = 0;
  // Mappings against usable ports of each pool address and protocol, and
  // the subscribers holding the most mappings, as of the last quota hit
  // (operator_events.hpp).
  std::vector<nat::AddressUse> address_use;
  std::vector<nat::SubscriberUse> busiest;
  std::optional<pcp::Counters> pcp;  // with the PCP server on
  // The PCP server's mappings and epoch, for the periodic state snapshot
  // (state_saver.hpp): a few hundred at most.
  std::vector<state::SavedMapping> pcp_mappings;
  std::uint32_t pcp_epoch_s = 0;
  // Part of the state snapshot waits for the first DHCP lease (worker.hpp).
  bool restore_waiting = false;
  HandOffStats hand_offs;
};

class Mailbox {
 public:
  using Ticket = std::uint64_t;  // 0: nothing asked or published yet

  // Throws std::system_error when the eventfds cannot be made.
  Mailbox();
  ~Mailbox();
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  // Control plane side.
  Ticket ask_state();
  Ticket ask_sessions();
  int ready_fd() const { return ready_fd_; }
  void clear_ready() const;
  // The latest published state and the ticket it answers (0: none yet).
  Ticket latest_state(WorkerState& out);
  // Session tables published since the last call are moved into `out`;
  // returns their ticket, or 0 when nothing new came.
  Ticket take_sessions(std::vector<nat::SessionView>& out);
  // Queues a command for the worker (waits for the lock only as long as
  // the worker holds it to hand over); returns the ticket its result bears.
  Ticket post(WorkerCommand command);
  // Appends the results published since the last call.
  void take_results(std::vector<CommandResult>& out);

  // Worker side: never blocks.
  int wake_fd() const { return wake_fd_; }
  void clear_wake() const;
  Ticket state_asked() const { return state_asked_.load(std::memory_order_acquire); }
  Ticket sessions_asked() const { return sessions_asked_.load(std::memory_order_acquire); }
  // False when the control plane holds the lock: try again later.
  bool try_publish_state(const WorkerState& state, Ticket ticket);
  // Swaps `sessions` into the mailbox (the caller gets a spare vector back).
  bool try_publish_sessions(std::vector<nat::SessionView>& sessions, Ticket ticket);
  Ticket commands_posted() const { return commands_posted_.load(std::memory_order_acquire); }
  // Moves the queued commands to the end of `out`; false when the lock was busy.
  bool try_take_commands(std::vector<WorkerCommand>& out);
  bool try_publish_result(const CommandResult& result);

  // Both sides: the worker pushes its engine's events, the control plane drains.
  EventQueue& events() { return events_; }
  const EventQueue& events() const { return events_; }
  static constexpr std::size_t kEventQueueSlots = 16384;

 private:
  static void signal(int fd);

  std::atomic<Ticket> state_asked_{0};
  std::atomic<Ticket> sessions_asked_{0};
  std::atomic<Ticket> commands_posted_{0};
  int wake_fd_;
  int ready_fd_;
  EventQueue events_{kEventQueueSlots};

  std::mutex mutex_;  // guards what follows
  WorkerState state_;
  Ticket state_ticket_ = 0;
  std::vector<nat::SessionView> sessions_;
  Ticket sessions_ticket_ = 0;
  bool sessions_fresh_ = false;
  std::vector<WorkerCommand> commands_;
  std::vector<CommandResult> results_;
};

}  // namespace masq::app
