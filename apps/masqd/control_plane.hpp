// ControlPlane: masqd's control socket, served on a thread of its own from
// what the workers publish, each through its Mailbox; it never touches an
// engine, a router or a port. Each request asks every worker afresh (one
// ticket: all mailboxes are asked together, so their tickets agree) and is
// answered when every worker has published at least that ticket, or with
// an error after worker_timeout_ms. Answers merge the workers: counters
// summed, session tables one after the other. Cold.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mailbox.hpp"
#include "masq/ctl/server.hpp"

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

  ControlPlane(std::unique_ptr<ctl::Server> server, std::vector<Mailbox*> mailboxes,
               StaticStatus info, int worker_timeout_ms);

  // Serves until `stop_fd` becomes readable (it is polled, never read).
  void run(int stop_fd);

 private:
  using Clock = std::chrono::steady_clock;
  struct Waiting {
    ctl::Server::ClientId client;
    ctl::Command command;
    Mailbox::Ticket ticket;
    std::uint64_t deadline_ms;
  };
  std::uint64_t now_ms() const;
  void on_request(ctl::Server::ClientId client, ctl::Command command, std::uint64_t now_ms);
  // Answers what the worker's latest publications satisfy, and times out
  // what waited too long.
  void answer_waiting(std::uint64_t now_ms);
  nlohmann::json state_answer(ctl::Command command, const std::vector<WorkerState>& states) const;
  int poll_timeout_ms(std::uint64_t now_ms) const;

  std::unique_ptr<ctl::Server> server_;
  std::vector<Mailbox*> mailboxes_;
  StaticStatus info_;
  int worker_timeout_ms_;
  Clock::time_point started_;
  std::vector<Waiting> waiting_;
  // Each worker's latest session table and the ticket it answers.
  std::vector<std::vector<nat::SessionView>> sessions_;
  std::vector<Mailbox::Ticket> sessions_ticket_;
  Mailbox::Ticket sessions_answered_ = 0;
  std::vector<nat::SessionView> taken_;
  std::vector<WorkerState> states_;
};

}  // namespace masq::app
