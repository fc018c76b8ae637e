// ControlPlane: masqd's control socket, served on a thread of its own from
// what the worker publishes through the Mailbox; it never touches the
// engine, the router or the ports. Each request asks the worker afresh
// (a ticket for its counters, its session table, or a WorkerCommand) and
// is answered when the worker has published at least that ticket, or with
// an error after worker_timeout_ms. One session table published by the
// worker answers every request waiting for it (status counts it, sessions
// filters it, stats sums it up), so status and the listing agree. The
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

  // Either server may be null (not configured).
  ControlPlane(std::unique_ptr<ctl::Server> server, std::unique_ptr<MetricsServer> metrics,
               Mailbox& mailbox, StaticStatus info, int worker_timeout_ms);

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
  };
  std::uint64_t now_ms() const;
  void on_request(ctl::Server::ClientId client, const ctl::Request& request, std::uint64_t now_ms);
  // Answers what the worker's latest publications satisfy, and times out
  // what waited too long.
  void answer_waiting(std::uint64_t now_ms);
  nlohmann::json answer(const Waiting& w, const WorkerState& state) const;
  // Sends the answer, or the error, to whichever server the client is on.
  void respond(const Waiting& w, const WorkerState* state, std::uint64_t now_ms);
  ctl::Status status() const;
  static std::vector<ctl::CounterGroup> counters(const WorkerState& state);
  int poll_timeout_ms(std::uint64_t now_ms) const;

  std::unique_ptr<ctl::Server> server_;
  std::unique_ptr<MetricsServer> metrics_;
  Mailbox& mailbox_;
  StaticStatus info_;
  int worker_timeout_ms_;
  Clock::time_point started_;
  std::vector<Waiting> waiting_;
  // The latest session table and the ticket it answers.
  std::vector<nat::SessionView> sessions_;
  Mailbox::Ticket sessions_ticket_ = 0;
  std::vector<nat::SessionView> fresh_;
  std::vector<CommandResult> results_;
};

}  // namespace masq::app
