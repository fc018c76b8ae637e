#include "control_plane.hpp"

#include <poll.h>

#include <algorithm>

#include "snapshot.hpp"

namespace masq::app {

ControlPlane::ControlPlane(std::unique_ptr<ctl::Server> server, Mailbox& mailbox, StaticStatus info,
                           int worker_timeout_ms)
    : server_(std::move(server)),
      mailbox_(mailbox),
      info_(std::move(info)),
      worker_timeout_ms_(worker_timeout_ms),
      started_(Clock::now()) {}

std::uint64_t ControlPlane::now_ms() const {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
          .count());
}

void ControlPlane::on_request(ctl::Server::ClientId client, ctl::Command command,
                              std::uint64_t now) {
  const Mailbox::Ticket ticket =
      command == ctl::Command::sessions ? mailbox_.ask_sessions() : mailbox_.ask_state();
  waiting_.push_back(
      {client, command, ticket, now + static_cast<std::uint64_t>(worker_timeout_ms_)});
}

nlohmann::json ControlPlane::state_answer(ctl::Command command, const WorkerState& state) const {
  if (command == ctl::Command::counters) {
    auto groups = counter_groups(state.nat, state.router, state.lan, state.wan);
    for (auto& g : host_counter_groups(state.host_lan, state.host_wan, state.watch))
      groups.push_back(std::move(g));
    return ctl::counters_json(groups);
  }
  ctl::Status s;
  s.version = info_.version;
  s.lan = info_.lan;
  s.wan = info_.wan;
  s.uptime_s = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started_).count());
  s.sessions = state.sessions;
  s.max_sessions = info_.max_sessions;
  return ctl::status_json(s);
}

void ControlPlane::answer_waiting(std::uint64_t now) {
  WorkerState state;
  const Mailbox::Ticket state_ticket = mailbox_.latest_state(state);
  if (const Mailbox::Ticket t = mailbox_.take_sessions(sessions_); t != 0) {
    // Built once for every request this table answers.
    nlohmann::json reply;
    for (const Waiting& w : waiting_) {
      if (w.command != ctl::Command::sessions || w.ticket > t) continue;
      if (reply.is_null()) reply = ctl::sessions_json(sessions_);
      server_->reply(w.client, reply, now);
    }
    std::erase_if(waiting_, [t](const Waiting& w) {
      return w.command == ctl::Command::sessions && w.ticket <= t;
    });
    sessions_.clear();
  }
  std::erase_if(waiting_, [&](const Waiting& w) {
    if (w.command != ctl::Command::sessions && w.ticket <= state_ticket) {
      server_->reply(w.client, state_answer(w.command, state), now);
      return true;
    }
    if (now >= w.deadline_ms) {
      server_->reply(w.client,
                     ctl::error_json("the worker did not answer within " +
                                     std::to_string(worker_timeout_ms_) + " ms"),
                     now);
      return true;
    }
    return false;
  });
}

int ControlPlane::poll_timeout_ms(std::uint64_t now) const {
  int timeout = server_->next_timeout_ms(now);
  for (const Waiting& w : waiting_) {
    const int left = w.deadline_ms > now ? static_cast<int>(w.deadline_ms - now) : 0;
    timeout = timeout < 0 ? left : std::min(timeout, left);
  }
  return timeout;
}

void ControlPlane::run(int stop_fd) {
  std::vector<pollfd> fds;
  for (;;) {
    fds.clear();
    fds.push_back({stop_fd, POLLIN, 0});
    fds.push_back({mailbox_.ready_fd(), POLLIN, 0});
    server_->poll_fds(fds);
    ::poll(fds.data(), fds.size(), poll_timeout_ms(now_ms()));
    if (fds[0].revents & POLLIN) break;
    if (fds[1].revents & POLLIN) mailbox_.clear_ready();
    const std::uint64_t now = now_ms();
    server_->serve(now, [&](ctl::Server::ClientId client, ctl::Command command) {
      on_request(client, command, now);
    });
    answer_waiting(now);
  }
}

}  // namespace masq::app
