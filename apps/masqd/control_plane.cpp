#include "control_plane.hpp"

#include <poll.h>

#include <algorithm>
#include <iterator>

#include "prometheus_text.hpp"
#include "snapshot.hpp"

namespace masq::app {

ControlPlane::ControlPlane(std::unique_ptr<ctl::Server> server,
                           std::unique_ptr<MetricsServer> metrics, Mailbox& mailbox,
                           StaticStatus info, int worker_timeout_ms)
    : server_(std::move(server)),
      metrics_(std::move(metrics)),
      mailbox_(mailbox),
      info_(std::move(info)),
      worker_timeout_ms_(worker_timeout_ms),
      started_(Clock::now()) {}

std::uint64_t ControlPlane::now_ms() const {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
          .count());
}

void ControlPlane::on_request(ctl::Server::ClientId client, const ctl::Request& request,
                              std::uint64_t now) {
  using ctl::Command;
  const Command c = request.command;
  Waiting w;
  w.client = client;
  w.request = request;
  w.deadline_ms = now + static_cast<std::uint64_t>(worker_timeout_ms_);
  if (c == Command::status || c == Command::sessions || c == Command::stats)
    w.sessions = mailbox_.ask_sessions();
  if (c == Command::stats) w.state = mailbox_.ask_state();
  if (c == Command::delete_sessions) {
    // To every worker; the answer is the sum of theirs.
    w.command = mailbox_.post(WorkerCommand{0, request.filter});
    w.results_due = 1;
  }
  waiting_.push_back(std::move(w));
}

ctl::Status ControlPlane::status() const {
  ctl::Status s;
  s.version = info_.version;
  s.lan = info_.lan;
  s.wan = info_.wan;
  s.uptime_s = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started_).count());
  s.sessions = sessions_.size();
  s.max_sessions = info_.max_sessions;
  return s;
}

// Every counter group of the worker's state: the engine's, the router's,
// the ports', and the PCP server's when it runs.
std::vector<ctl::CounterGroup> ControlPlane::counters(const WorkerState& state) {
  auto groups = counter_groups(state.nat, state.router, state.lan, state.wan);
  if (state.pcp) groups.push_back(pcp_counter_group(*state.pcp));
  for (auto& g : host_counter_groups(state.host_lan, state.host_wan, state.watch))
    groups.push_back(std::move(g));
  return groups;
}

void ControlPlane::respond(const Waiting& w, const WorkerState* state, std::uint64_t now) {
  const std::string late =
      "the worker did not answer within " + std::to_string(worker_timeout_ms_) + " ms";
  if (w.scrape) {
    if (state == nullptr) {
      metrics_->fail(w.client, late, now);
    } else {
      metrics_->reply(
          w.client,
          prometheus_text(
              counters(*state),
              stats_groups(state->nat, state->router, state->lan, state->wan, sessions_), status()),
          now);
    }
  } else {
    server_->reply(w.client, state != nullptr ? answer(w, *state) : ctl::error_json(late), now);
  }
}

nlohmann::json ControlPlane::answer(const Waiting& w, const WorkerState& state) const {
  switch (w.request.command) {
    case ctl::Command::status:
      return ctl::status_json(status());
    case ctl::Command::sessions: {
      const ctl::SessionFilter& f = w.request.filter;
      if (w.request.count) {
        return ctl::count_json(static_cast<std::uint64_t>(std::count_if(
            sessions_.begin(), sessions_.end(), [&f](const auto& s) { return f.matches(s); })));
      }
      if (f.empty()) return ctl::sessions_json(sessions_);
      std::vector<nat::SessionView> selected;
      std::copy_if(sessions_.begin(), sessions_.end(), std::back_inserter(selected),
                   [&f](const auto& s) { return f.matches(s); });
      return ctl::sessions_json(selected);
    }
    case ctl::Command::stats:
      return ctl::stats_json(stats_groups(state.nat, state.router, state.lan, state.wan, sessions_),
                             counters(state));
    case ctl::Command::delete_sessions:
      return ctl::deleted_json(w.result.deleted);
  }
  return ctl::error_json("unknown command");
}

void ControlPlane::answer_waiting(std::uint64_t now) {
  WorkerState state;
  const Mailbox::Ticket state_ticket = mailbox_.latest_state(state);
  if (const Mailbox::Ticket t = mailbox_.take_sessions(fresh_); t != 0) {
    sessions_.swap(fresh_);
    sessions_ticket_ = t;
  }
  mailbox_.take_results(results_);
  for (const CommandResult& r : results_) {
    for (Waiting& w : waiting_) {
      if (w.command != r.ticket || w.results_due == 0) continue;
      w.result += r;
      --w.results_due;
    }
  }
  results_.clear();
  std::erase_if(waiting_, [&](const Waiting& w) {
    if (w.sessions <= sessions_ticket_ && w.state <= state_ticket && w.results_due == 0) {
      respond(w, &state, now);
      return true;
    }
    if (now >= w.deadline_ms) {
      respond(w, nullptr, now);
      return true;
    }
    return false;
  });
  // A table answers only the requests made before it was taken.
  if (std::none_of(waiting_.begin(), waiting_.end(),
                   [](const Waiting& w) { return w.sessions != 0; }))
    sessions_.clear();
}

int ControlPlane::poll_timeout_ms(std::uint64_t now) const {
  int timeout = -1;
  const auto sooner = [&timeout](int t) {
    if (t >= 0) timeout = timeout < 0 ? t : std::min(timeout, t);
  };
  if (server_) sooner(server_->next_timeout_ms(now));
  if (metrics_) sooner(metrics_->next_timeout_ms(now));
  for (const Waiting& w : waiting_) {
    sooner(w.deadline_ms > now ? static_cast<int>(w.deadline_ms - now) : 0);
  }
  return timeout;
}

void ControlPlane::run(int stop_fd) {
  std::vector<pollfd> fds;
  for (;;) {
    fds.clear();
    fds.push_back({stop_fd, POLLIN, 0});
    fds.push_back({mailbox_.ready_fd(), POLLIN, 0});
    if (server_) server_->poll_fds(fds);
    if (metrics_) metrics_->poll_fds(fds);
    ::poll(fds.data(), fds.size(), poll_timeout_ms(now_ms()));
    if (fds[0].revents & POLLIN) break;
    if (fds[1].revents & POLLIN) mailbox_.clear_ready();
    const std::uint64_t now = now_ms();
    if (server_) {
      server_->serve(now, [&](ctl::Server::ClientId client, const ctl::Request& request) {
        on_request(client, request, now);
      });
    }
    if (metrics_) {
      metrics_->serve(now, [&](MetricsServer::ClientId client) {
        on_request(client, ctl::Request{ctl::Command::stats, {}, false}, now);
        waiting_.back().scrape = true;
      });
    }
    answer_waiting(now);
  }
}

}  // namespace masq::app
