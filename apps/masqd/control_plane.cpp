#include "control_plane.hpp"

#include <poll.h>

#include <algorithm>

#include "snapshot.hpp"

namespace masq::app {

ControlPlane::ControlPlane(std::unique_ptr<ctl::Server> server, std::vector<Mailbox*> mailboxes,
                           StaticStatus info, int worker_timeout_ms)
    : server_(std::move(server)),
      mailboxes_(std::move(mailboxes)),
      info_(std::move(info)),
      worker_timeout_ms_(worker_timeout_ms),
      started_(Clock::now()),
      sessions_(mailboxes_.size()),
      sessions_ticket_(mailboxes_.size(), 0),
      states_(mailboxes_.size()) {}

std::uint64_t ControlPlane::now_ms() const {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
          .count());
}

void ControlPlane::on_request(ctl::Server::ClientId client, ctl::Command command,
                              std::uint64_t now) {
  Mailbox::Ticket ticket = 0;
  for (Mailbox* m : mailboxes_) {
    ticket = command == ctl::Command::sessions ? m->ask_sessions() : m->ask_state();
  }
  waiting_.push_back(
      {client, command, ticket, now + static_cast<std::uint64_t>(worker_timeout_ms_)});
}

nlohmann::json ControlPlane::state_answer(ctl::Command command,
                                          const std::vector<WorkerState>& states) const {
  if (command == ctl::Command::counters) {
    std::vector<ctl::CounterGroup> sum;
    for (const WorkerState& w : states) {
      auto groups = counter_groups(w.nat, w.router, w.lan, w.wan, w.hand_offs);
      if (sum.empty()) {
        sum = std::move(groups);
      } else {
        add_counters(sum, groups);
      }
    }
    return ctl::counters_json(sum);
  }
  ctl::Status s;
  s.version = info_.version;
  s.lan = info_.lan;
  s.wan = info_.wan;
  s.uptime_s = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started_).count());
  for (const WorkerState& w : states) s.sessions += w.sessions;
  s.max_sessions = info_.max_sessions;
  return ctl::status_json(s);
}

void ControlPlane::answer_waiting(std::uint64_t now) {
  Mailbox::Ticket state_ticket = ~Mailbox::Ticket{0};
  Mailbox::Ticket sessions_ticket = ~Mailbox::Ticket{0};
  for (std::size_t k = 0; k < mailboxes_.size(); ++k) {
    state_ticket = std::min(state_ticket, mailboxes_[k]->latest_state(states_[k]));
    if (const Mailbox::Ticket t = mailboxes_[k]->take_sessions(taken_); t != 0) {
      sessions_[k].swap(taken_);
      sessions_ticket_[k] = t;
    }
    sessions_ticket = std::min(sessions_ticket, sessions_ticket_[k]);
  }
  if (sessions_ticket > sessions_answered_) {
    sessions_answered_ = sessions_ticket;
    // Built once for every request these tables answer.
    nlohmann::json reply;
    for (const Waiting& w : waiting_) {
      if (w.command != ctl::Command::sessions || w.ticket > sessions_ticket) continue;
      if (reply.is_null()) {
        std::vector<nat::SessionView> all;
        for (const auto& table : sessions_) all.insert(all.end(), table.begin(), table.end());
        reply = ctl::sessions_json(all);
      }
      server_->reply(w.client, reply, now);
    }
    std::erase_if(waiting_, [sessions_ticket](const Waiting& w) {
      return w.command == ctl::Command::sessions && w.ticket <= sessions_ticket;
    });
  }
  std::erase_if(waiting_, [&](const Waiting& w) {
    if (w.command != ctl::Command::sessions && w.ticket <= state_ticket) {
      server_->reply(w.client, state_answer(w.command, states_), now);
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
    for (Mailbox* m : mailboxes_) fds.push_back({m->ready_fd(), POLLIN, 0});
    server_->poll_fds(fds);
    ::poll(fds.data(), fds.size(), poll_timeout_ms(now_ms()));
    if (fds[0].revents & POLLIN) break;
    for (std::size_t k = 0; k < mailboxes_.size(); ++k) {
      if (fds[1 + k].revents & POLLIN) mailboxes_[k]->clear_ready();
    }
    const std::uint64_t now = now_ms();
    server_->serve(now, [&](ctl::Server::ClientId client, ctl::Command command) {
      on_request(client, command, now);
    });
    answer_waiting(now);
  }
}

}  // namespace masq::app
