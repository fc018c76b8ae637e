#include "control_plane.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>

#include "prometheus_text.hpp"
#include "snapshot.hpp"

namespace masq::app {

ControlPlane::ControlPlane(std::unique_ptr<ctl::Server> server,
                           std::unique_ptr<MetricsServer> metrics, std::vector<Mailbox*> mailboxes,
                           StaticStatus info, int worker_timeout_ms,
                           std::unique_ptr<Supervisor> supervisor, StateSaver* saver,
                           std::unique_ptr<WanFollower> wan)
    : server_(std::move(server)),
      metrics_(std::move(metrics)),
      supervisor_(std::move(supervisor)),
      wan_(std::move(wan)),
      saver_(saver),
      mailboxes_(std::move(mailboxes)),
      info_(std::move(info)),
      worker_timeout_ms_(worker_timeout_ms),
      started_(Clock::now()),
      states_(mailboxes_.size()),
      tables_(mailboxes_.size()),
      table_tickets_(mailboxes_.size(), 0) {}

ControlPlane::~ControlPlane() {
  if (hup_fd_ >= 0) ::close(hup_fd_);
}

void ControlPlane::set_reloader(std::unique_ptr<Reloader> reloader, int hup_fd) {
  reloader_ = std::move(reloader);
  hup_fd_ = hup_fd;
}

std::uint64_t ControlPlane::now_ms() const {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
          .count());
}

void ControlPlane::on_request(ctl::Server::ClientId client, const ctl::Request& request,
                              std::uint64_t now) {
  using ctl::Command;
  const Command c = request.command;
  if (c == Command::lookup || c == Command::events) {
    if (events_) return events_->serve(*server_, client, request, now);
    return server_->reply(client, ctl::error_json("session events are off"), now);
  }
  if (c == Command::reload || c == Command::forwards || c == Command::static_rules) {
    return reconfigure(client, request, now, false);
  }
  Waiting w;
  w.client = client;
  w.request = request;
  w.deadline_ms = now + static_cast<std::uint64_t>(worker_timeout_ms_);
  for (Mailbox* m : mailboxes_) {
    if (c == Command::status || c == Command::sessions || c == Command::stats)
      w.sessions = m->ask_sessions();
    if (c == Command::stats) w.state = m->ask_state();
    // To every worker; the answer is the sum of theirs.
    if (c == Command::delete_sessions) {
      WorkerCommand command;
      command.delete_sessions = request.filter;
      w.command = m->post(std::move(command));
    }
  }
  if (c == Command::delete_sessions) w.results_due = mailboxes_.size();
  waiting_.push_back(std::move(w));
}

void ControlPlane::reconfigure(ctl::Server::ClientId client, const ctl::Request& request,
                               std::uint64_t now, bool hup) {
  const auto error = [&](std::string_view message) {
    if (!hup) server_->reply(client, ctl::error_json(message), now);
  };
  if (!reloader_) return error("config changes are off");
  if (request.command != ctl::Command::reload && request.edit == ctl::RuleEdit::list) {
    return server_->reply(client, ctl::reconfigured_json(0, reloader_->rules(request.command)),
                          now);
  }
  const Reloader::Change change =
      request.command == ctl::Command::reload ? reloader_->reload() : reloader_->edit(request);
  if (!change.engine) return error(change.error);
  Waiting w;
  w.client = client;
  w.request = request;
  w.hup = hup;
  w.deadline_ms = now + static_cast<std::uint64_t>(worker_timeout_ms_);
  for (Mailbox* m : mailboxes_) {
    WorkerCommand command;
    command.config = change.engine;
    w.command = m->post(std::move(command));
  }
  w.results_due = mailboxes_.size();
  waiting_.push_back(std::move(w));
}

void ControlPlane::on_hup(std::uint64_t now) {
  signalfd_siginfo info{};
  bool asked = false;
  while (::read(hup_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    spdlog::info("SIGHUP from pid {}: reloading the config", info.ssi_pid);
    asked = true;
  }
  if (asked) reconfigure(0, ctl::Request(ctl::Command::reload), now, true);
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

std::vector<ctl::CounterGroup> ControlPlane::counters() const {
  std::vector<ctl::CounterGroup> sum;
  for (const WorkerState& state : states_) {
    auto groups = counter_groups(state.nat, state.router, state.lan, state.wan, state.hand_offs);
    if (state.pcp) groups.push_back(pcp_counter_group(*state.pcp));
    for (auto& g : host_counter_groups(state.host_lan, state.host_wan, state.watch))
      groups.push_back(std::move(g));
    if (sum.empty()) {
      sum = std::move(groups);
    } else {
      add_counters(sum, groups);
    }
  }
  if (supervisor_) sum.push_back(supervisor_->counter_group());
  if (events_) sum.push_back(events_->counters());
  if (reloader_) sum.push_back(reloader_->counter_group());
  return sum;
}

std::vector<ctl::CounterGroup> ControlPlane::stats() const {
  std::vector<ctl::CounterGroup> sum;
  for (const WorkerState& state : states_) {
    // The sessions are counted once, from the merged table.
    auto groups = stats_groups(state.nat, state.router, state.lan, state.wan,
                               sum.empty() ? std::span<const nat::SessionView>(sessions_)
                                           : std::span<const nat::SessionView>());
    if (sum.empty()) {
      sum = std::move(groups);
    } else {
      add_counters(sum, groups);
    }
  }
  std::vector<std::vector<nat::AddressUse>> use;
  for (const WorkerState& state : states_) use.push_back(state.address_use);
  for (auto& g : usage_groups(use, sessions_)) sum.push_back(std::move(g));
  return sum;
}

void ControlPlane::respond(const Waiting& w, bool late, std::uint64_t now) {
  const std::string error =
      "a worker did not answer within " + std::to_string(worker_timeout_ms_) + " ms";
  if (w.hup) {
    if (late) {
      spdlog::warn("reload: {}", error);
    } else {
      spdlog::info("reload: every worker took it; {} sessions it no longer allows removed",
                   w.result.deleted);
    }
  } else if (w.save) {
    if (late) {
      spdlog::warn("state: snapshot skipped: {}", error);
    } else {
      saver_->save(sessions_, states_);
    }
  } else if (w.scrape) {
    if (late) {
      metrics_->fail(w.client, error, now);
    } else {
      metrics_->reply(w.client, prometheus_text(counters(), stats(), status()), now);
    }
  } else {
    server_->reply(w.client, late ? ctl::error_json(error) : answer(w), now);
  }
}

nlohmann::json ControlPlane::answer(const Waiting& w) const {
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
      return ctl::stats_json(stats(), counters());
    case ctl::Command::delete_sessions:
      return ctl::deleted_json(w.result.deleted);
    case ctl::Command::reload:
    case ctl::Command::forwards:
    case ctl::Command::static_rules:
      if (w.result.refused != 0) {
        return ctl::error_json(std::to_string(w.result.refused) +
                               " workers refused the config (masqd's log has more)");
      }
      return ctl::reconfigured_json(w.result.deleted,
                                    w.request.command == ctl::Command::reload
                                        ? std::nullopt
                                        : std::optional(reloader_->rules(w.request.command)));
    case ctl::Command::lookup:  // served by TranslationEvents, never waiting
    case ctl::Command::events:
      break;
  }
  return ctl::error_json("unknown command");
}

void ControlPlane::collect() {
  Mailbox::Ticket state_ticket = ~Mailbox::Ticket{0};
  Mailbox::Ticket table_ticket = ~Mailbox::Ticket{0};
  for (std::size_t k = 0; k < mailboxes_.size(); ++k) {
    state_ticket = std::min(state_ticket, mailboxes_[k]->latest_state(states_[k]));
    if (const Mailbox::Ticket t = mailboxes_[k]->take_sessions(fresh_); t != 0) {
      tables_[k].swap(fresh_);
      table_tickets_[k] = t;
    }
    table_ticket = std::min(table_ticket, table_tickets_[k]);
    mailboxes_[k]->take_results(results_);
  }
  state_ticket_ = state_ticket;
  if (table_ticket > sessions_ticket_) {
    sessions_.clear();
    for (const auto& table : tables_) sessions_.insert(sessions_.end(), table.begin(), table.end());
    sessions_ticket_ = table_ticket;
  }
  for (const CommandResult& r : results_) {
    for (Waiting& w : waiting_) {
      if (w.command != r.ticket || w.results_due == 0) continue;
      w.result += r;
      --w.results_due;
    }
  }
  results_.clear();
}

void ControlPlane::answer_waiting(std::uint64_t now) {
  collect();
  std::erase_if(waiting_, [&](const Waiting& w) {
    if (w.sessions <= sessions_ticket_ && w.state <= state_ticket_ && w.results_due == 0) {
      respond(w, false, now);
      return true;
    }
    if (now >= w.deadline_ms) {
      respond(w, true, now);
      return true;
    }
    return false;
  });
  // A table answers only the requests made before it was taken.
  if (std::none_of(waiting_.begin(), waiting_.end(),
                   [](const Waiting& w) { return w.sessions != 0; })) {
    sessions_.clear();
    for (auto& table : tables_) table.clear();
  }
}

int ControlPlane::poll_timeout_ms(std::uint64_t now) const {
  int timeout = -1;
  const auto sooner = [&timeout](int t) {
    if (t >= 0) timeout = timeout < 0 ? t : std::min(timeout, t);
  };
  if (server_) sooner(server_->next_timeout_ms(now));
  if (metrics_) sooner(metrics_->next_timeout_ms(now));
  if (supervisor_) sooner(supervisor_->next_timeout_ms(now));
  if (wan_) sooner(wan_->next_timeout_ms());
  if (saver_) sooner(saver_->timeout_ms(now));
  if (events_) sooner(TranslationEvents::kPumpMs);
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
    for (Mailbox* m : mailboxes_) fds.push_back({m->ready_fd(), POLLIN, 0});
    if (server_) server_->poll_fds(fds);
    if (metrics_) metrics_->poll_fds(fds);
    if (wan_) wan_->poll_fds(fds);
    const std::size_t hup_index = fds.size();
    fds.push_back({hup_fd_, POLLIN, 0});
    ::poll(fds.data(), fds.size(), poll_timeout_ms(now_ms()));
    if (fds[0].revents & POLLIN) {
      if (events_) events_->pump(server_.get());  // what the workers had passed
      if (supervisor_) supervisor_->stopping();
      break;
    }
    for (std::size_t k = 0; k < mailboxes_.size(); ++k) {
      if (fds[1 + k].revents & POLLIN) mailboxes_[k]->clear_ready();
    }
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
    if (wan_) wan_->serve(now, fds, mailboxes_);
    if (fds[hup_index].revents & POLLIN) on_hup(now);
    if (saver_ && saver_->due(now)) {
      // The session table and the PCP state, as a stats request asks them.
      on_request(0, ctl::Request{ctl::Command::stats, {}, false}, now);
      waiting_.back().save = true;
      saver_->asked(now);
    }
    if (events_) events_->pump(server_.get());
    answer_waiting(now);
    if (supervisor_) supervisor_->tick(now, states_, state_ticket_);
  }
}

}  // namespace masq::app
