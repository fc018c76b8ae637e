// TranslationEvents: the control plane's side of the session events. On
// each turn of the control plane's loop (at least every kPumpMs) it drains
// every worker's EventQueue, turns each event into its line
// (masq/ctl/event_line.hpp, wall-clock time from the workers' monotonic
// clock plus an offset taken once), writes it to the translation log
// (when configured), sends it as an IPFIX NAT event record to a collector
// (when configured) and pushes it to every `masqctl events` follower. It
// answers `masqctl lookup` from the log files. A follower that cannot keep
// up loses lines (counted; it is told how many); nothing here ever waits
// for a worker, and a worker never waits for it. Runs on the control
// plane's thread only. Cold.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mailbox.hpp"
#include "masq/ctl/ipfix.hpp"
#include "masq/ctl/server.hpp"
#include "masq/ctl/snapshot.hpp"
#include "masq/ctl/translation_log.hpp"
#include "masq/net/names.hpp"

namespace masq::app {

// The counters of group "session_events", named once.
#define MASQ_EVENT_COUNTERS(X)                                            \
  X(taken)                 /* events taken from the workers' queues */    \
  X(dropped_queue_full)    /* refused by a full worker queue */           \
  X(dropped_slow_follower) /* not sent to a masqctl events that lagged */ \
  X(log_lines_written)                                                    \
  X(log_lines_lost) /* a write to the log failed */                       \
  X(log_rotations)                                                        \
  X(ipfix_messages_sent)                                                  \
  X(ipfix_send_errors) /* the collector refused or was not there */

struct EventCounters {
  MASQ_EVENT_COUNTERS(MASQ_COUNTER_MEMBER)
};

class TranslationEvents {
 public:
  static constexpr int kPumpMs = 100;

  // `log`: null without a translation log; `ipfix`: null without a collector.
  TranslationEvents(std::vector<Mailbox*> mailboxes, std::unique_ptr<ctl::TranslationLog> log,
                    std::unique_ptr<ctl::IpfixExporter> ipfix = nullptr);

  // Takes what the workers queued; writes it and streams it to followers.
  void pump(ctl::Server* server);
  // Serves Command::lookup and Command::events.
  void serve(ctl::Server& server, ctl::Server::ClientId client, const ctl::Request& request,
             std::uint64_t now_ms);
  // Group "session_events" (MASQ_EVENT_COUNTERS).
  ctl::CounterGroup counters() const;

 private:
  struct Follower {
    ctl::Server::ClientId id;
    std::uint64_t lost = 0;  // not yet told
  };
  void stream(ctl::Server& server, const std::string& line);

  std::vector<Mailbox*> mailboxes_;
  std::unique_ptr<ctl::TranslationLog> log_;
  std::unique_ptr<ctl::IpfixExporter> ipfix_;
  std::vector<nat::SessionEvent> batch_;  // for the IPFIX exporter
  std::int64_t wall_offset_ns_;
  std::vector<Follower> followers_;
  std::uint64_t taken_ = 0;
  std::uint64_t follower_drops_ = 0;
  std::string last_error_;  // logged once while it repeats
};

}  // namespace masq::app
