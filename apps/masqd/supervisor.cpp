#include "supervisor.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>

namespace masq::app {
namespace {

#define MASQD_SUPERVISOR_FIELD(name) \
  net::CounterField<SupervisorCounters>{#name, [](const SupervisorCounters& c) { return c.name; }},
constexpr std::array kSupervisorCounterFields{MASQD_SUPERVISOR_COUNTERS(MASQD_SUPERVISOR_FIELD)};
#undef MASQD_SUPERVISOR_FIELD

std::string describe(std::span<const WorkerState> states) {
  std::uint64_t sessions = 0;
  for (const WorkerState& s : states) sessions += s.sessions;
  return "forwarding: " + std::to_string(sessions) + " sessions, " + std::to_string(states.size()) +
         (states.size() == 1 ? " worker" : " workers");
}

}  // namespace

Supervisor::Supervisor(std::vector<Mailbox*> mailboxes, Options options)
    : mailboxes_(std::move(mailboxes)),
      notifier_(options.notifier),
      events_(std::move(options.events)),
      xdp_(options.xdp_links),
      // Several rounds per watchdog ping interval, so that one slow answer
      // does not cost a ping.
      round_ms_(notifier_.watchdog_ping_ms()
                    ? std::clamp<std::uint64_t>(*notifier_.watchdog_ping_ms() / 4, 1, kRoundMs)
                    : kRoundMs) {}

void Supervisor::on_round(std::uint64_t now, std::span<const WorkerState> states) {
  if (stalled_) {
    stalled_ = false;
    spdlog::info("every worker answers again (after {} ms)", now - asked_ms_);
  }
  if (!ready_) {
    ready_ = true;
    notifier_.ready(describe(states));
    next_status_ms_ = now + kStatusMs;
  }
  if (notifier_.watchdog_ping_ms() && now >= next_ping_ms_) {
    notifier_.watchdog();
    next_ping_ms_ = now + *notifier_.watchdog_ping_ms();
  }
  if (now >= next_status_ms_) {
    notifier_.status(describe(states));
    next_status_ms_ = now + kStatusMs;
  }
  if (xdp_.watching() && now >= next_xdp_ms_) {
    counters_.xdp_program_lost += xdp_.check();
    next_xdp_ms_ = now + kXdpCheckMs;
  }
  events_.observe(now, states);
}

void Supervisor::tick(std::uint64_t now, std::span<const WorkerState> states,
                      Mailbox::Ticket answered) {
  if (asked_ != 0 && !answered_ && answered >= asked_) {
    answered_ = true;
    on_round(now, states);
  }
  if (asked_ != 0 && !answered_ && !stalled_ && now - asked_ms_ >= kStallMs) {
    stalled_ = true;
    ++counters_.worker_stalls;
    spdlog::error("a worker has not answered for {} ms: it is stuck{}", now - asked_ms_,
                  notifier_.watchdog_ping_ms() ? "; watchdog pings withheld" : "");
  }
  if (now < next_round_ms_ || (asked_ != 0 && !answered_)) return;
  // Every mailbox is asked at once, so their tickets agree.
  for (Mailbox* m : mailboxes_) asked_ = m->ask_state();
  asked_ms_ = now;
  answered_ = false;
  next_round_ms_ = now + round_ms_;
}

int Supervisor::next_timeout_ms(std::uint64_t now) const {
  const auto until = [now](std::uint64_t t) { return t > now ? static_cast<int>(t - now) : 0; };
  // While a round is unanswered, the workers' answers wake the control
  // plane (Mailbox::ready_fd); only the stall has a time of its own.
  if (asked_ != 0 && !answered_) return stalled_ ? -1 : until(asked_ms_ + kStallMs);
  return until(next_round_ms_);
}

void Supervisor::stopping() const {
  notifier_.stopping();
}

ctl::CounterGroup Supervisor::counter_group() const {
  ctl::CounterGroup g{"supervisor", {}};
  for (const auto& f : kSupervisorCounterFields) g.values.emplace_back(f.name, f.read(counters_));
  return g;
}

}  // namespace masq::app
