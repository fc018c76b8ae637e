// Supervisor: the control plane's watch over the workers and the service.
// Every round (at most kRoundMs, shorter under a short watchdog) it asks
// every worker for its state through its Mailbox; a worker answers between
// batches, so a round every worker answered proves each one still turns
// its loop. Only then does masqd ping the systemd watchdog (WATCHDOG=1):
// a stuck worker withholds the pings and systemd restarts the service.
// The first such round sends READY=1 (masqd forwards); later rounds feed
// OperatorEvents and send STATUS= lines, and, with AF_XDP, check that the
// XDP programs are still attached. A worker silent for kStallMs is logged
// and counted once. Cold: the control plane's thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "mailbox.hpp"
#include "masq/ctl/snapshot.hpp"
#include "masq/net/names.hpp"
#include "operator_events.hpp"
#include "service_notifier.hpp"
#include "xdp_watch.hpp"

namespace masq::app {

#define MASQD_SUPERVISOR_COUNTERS(X)                                          \
  X(worker_stalls)    /* a worker left a state request unanswered kStallMs */ \
  X(xdp_program_lost) /* an XDP program found detached or replaced */

struct SupervisorCounters {
  MASQD_SUPERVISOR_COUNTERS(MASQ_COUNTER_MEMBER)
};

class Supervisor {
 public:
  static constexpr std::uint64_t kRoundMs = 1000;
  static constexpr std::uint64_t kStallMs = 3000;
  static constexpr std::uint64_t kStatusMs = 10'000;
  static constexpr std::uint64_t kXdpCheckMs = 5000;

  struct Options {
    ServiceNotifier notifier;
    OperatorEvents::Options events;
    std::vector<XdpWatch::Link> xdp_links;  // AF_XDP's interfaces (empty: none)
  };
  Supervisor(std::vector<Mailbox*> mailboxes, Options options);

  // After the control plane took what the workers published: `states`,
  // each worker's latest; `answered`, the state ticket all have reached.
  void tick(std::uint64_t now_ms, std::span<const WorkerState> states, Mailbox::Ticket answered);
  // How long the control plane may sleep before the next tick is due.
  int next_timeout_ms(std::uint64_t now_ms) const;
  // masqd is stopping (STOPPING=1).
  void stopping() const;
  // As group "supervisor" of masqctl stats --all and the metrics.
  ctl::CounterGroup counter_group() const;

 private:
  void on_round(std::uint64_t now_ms, std::span<const WorkerState> states);

  std::vector<Mailbox*> mailboxes_;
  ServiceNotifier notifier_;
  OperatorEvents events_;
  XdpWatch xdp_;
  std::uint64_t round_ms_;
  Mailbox::Ticket asked_ = 0;  // the round's ticket (0: none asked yet)
  std::uint64_t asked_ms_ = 0;
  bool answered_ = false;  // every worker answered asked_
  bool stalled_ = false;
  bool ready_ = false;
  std::uint64_t next_round_ms_ = 0;
  std::uint64_t next_ping_ms_ = 0;
  std::uint64_t next_status_ms_ = 0;
  std::uint64_t next_xdp_ms_ = 0;
  SupervisorCounters counters_;
};

}  // namespace masq::app
