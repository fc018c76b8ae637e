// ControlPlane: masqd's control socket, served on a thread of its own from
// what the workers publish, each through its Mailbox; it never touches an
// engine, a router or a port. Each request asks every worker afresh (a
// ticket for its counters, its session table, or a WorkerCommand: all
// mailboxes are asked together, so their tickets agree) and is answered
// when every worker has published at least that ticket, or with an error
// after worker_timeout_ms. Answers merge the workers: counters summed,
// session tables one after the other, command results added up. One
// merged session table answers every request waiting for it (status
// counts it, sessions filters it, stats sums it up), so status and the
// listing agree. The
// Prometheus exporter's scrapes (MetricsServer) are served on the same
// thread, from the same answers as masqctl stats. Cold.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mailbox.hpp"
#include "masq/ctl/server.hpp"
#include "metrics_server.hpp"
#include "reloader.hpp"
#include "state_saver.hpp"
#include "supervisor.hpp"
#include "translation_events.hpp"
#include "wan_follower.hpp"

namespace masq::app {

// What status reports that does not change while masqd runs.
struct StaticStatus {
  std::string version;
  std::string lan;  // "lan0 192.168.77.1/24 mtu 1500 af_packet"
  std::string wan;
  std::uint64_t max_sessions = 0;
};

class ControlPlane {
 public:
  // How long an answer may take beyond the worker's own bound for a
  // session walk (walk_bound_ms).
  static constexpr int kWorkerTimeoutMs = 5000;

  // Either server may be null (not configured); so may the supervisor;
  // `saver`: the periodic state snapshots, written from the same merged
  // table (null: none); `wan`, when the WAN is taken by DHCP.
  ControlPlane(std::unique_ptr<ctl::Server> server, std::unique_ptr<MetricsServer> metrics,
               std::vector<Mailbox*> mailboxes, StaticStatus info, int worker_timeout_ms,
               std::unique_ptr<Supervisor> supervisor = nullptr, StateSaver* saver = nullptr,
               std::unique_ptr<WanFollower> wan = nullptr);

  // The session events' writer (translation log, masqctl events and
  // lookup); without one those two commands answer with an error.
  void set_events(std::unique_ptr<TranslationEvents> events) { events_ = std::move(events); }

  // Config changes (masqctl reload, forwards, static); `hup_fd`, a
  // signalfd for SIGHUP, which reloads too (taken over). Without one those
  // commands answer with an error.
  void set_reloader(std::unique_ptr<Reloader> reloader, int hup_fd);
  ~ControlPlane();
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;

  // Serves until `stop_fd` becomes readable (it is polled, never read).
  void run(int stop_fd);

 private:
  using Clock = std::chrono::steady_clock;
  // A request and the tickets it waits for (0: it needs none of that kind).
  struct Waiting {
    ctl::Server::ClientId client = 0;
    ctl::Request request;
    Mailbox::Ticket sessions = 0;
    Mailbox::Ticket state = 0;
    Mailbox::Ticket command = 0;
    // A command's answers, added up as they come, and how many workers
    // have yet to give theirs.
    CommandResult result;
    std::size_t results_due = 0;
    std::uint64_t deadline_ms = 0;
    bool scrape = false;  // a MetricsServer client, answered with stats as metrics
    bool save = false;    // no client: a periodic state snapshot
    bool hup = false;     // no client: a reload on SIGHUP
  };
  std::uint64_t now_ms() const;
  void on_request(ctl::Server::ClientId client, const ctl::Request& request, std::uint64_t now_ms);
  // Answers what the worker's latest publications satisfy, and times out
  // what waited too long.
  void answer_waiting(std::uint64_t now_ms);
  nlohmann::json answer(const Waiting& w) const;
  // reload, forwards and static_rules: checked by the Reloader, then sent
  // to every worker; `hup`: asked by SIGHUP, not a client.
  void reconfigure(ctl::Server::ClientId client, const ctl::Request& request, std::uint64_t now,
                   bool hup);
  void on_hup(std::uint64_t now);
  // Sends the answer, or the error (late: a worker did not answer), to
  // whichever server the client is on.
  void respond(const Waiting& w, bool late, std::uint64_t now_ms);
  ctl::Status status() const;
  // Every worker's counters, summed.
  std::vector<ctl::CounterGroup> counters() const;
  // What masqctl stats shows: the workers' sums, sessions from the merged table.
  std::vector<ctl::CounterGroup> stats() const;
  int poll_timeout_ms(std::uint64_t now_ms) const;
  // Takes what the workers published since the last call.
  void collect();

  std::unique_ptr<ctl::Server> server_;
  std::unique_ptr<MetricsServer> metrics_;
  std::unique_ptr<Supervisor> supervisor_;
  std::unique_ptr<WanFollower> wan_;
  StateSaver* saver_;
  std::vector<Mailbox*> mailboxes_;
  StaticStatus info_;
  int worker_timeout_ms_;
  Clock::time_point started_;
  std::vector<Waiting> waiting_;
  // Each worker's latest counters, and the ticket every one has reached.
  std::vector<WorkerState> states_;
  Mailbox::Ticket state_ticket_ = 0;
  // Each worker's latest session table and the ticket it answers; the
  // merged table, and the ticket every worker's reached when it was made.
  std::vector<std::vector<nat::SessionView>> tables_;
  std::vector<Mailbox::Ticket> table_tickets_;
  std::vector<nat::SessionView> sessions_;
  Mailbox::Ticket sessions_ticket_ = 0;
  std::vector<nat::SessionView> fresh_;
  std::vector<CommandResult> results_;
  std::unique_ptr<TranslationEvents> events_;
  std::unique_ptr<Reloader> reloader_;
  int hup_fd_ = -1;
};

}  // namespace masq::app
