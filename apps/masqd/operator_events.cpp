#include "operator_events.hpp"

#include <spdlog/spdlog.h>

#include <string_view>

namespace masq::app {
namespace {

// "42 (subscriber_sessions 40, subscriber_ports 2)" of the reasons listed,
// or 0 when none of them grew.
template <std::size_t N>
std::uint64_t describe(const std::array<nat::DropReason, N>& reasons, const nat::Counters& now,
                       const nat::Counters& before, std::string& text) {
  std::uint64_t total = 0;
  for (const nat::DropReason r : reasons) {
    const std::uint64_t d = now.drop(r) - before.drop(r);
    if (d == 0) continue;
    text += (total == 0 ? " (" : ", ") + std::string(nat::to_string(r)) + " " + std::to_string(d);
    total += d;
  }
  if (total != 0) text = std::to_string(total) + text + ")";
  return total;
}

#define MASQD_NAT_REASON(name) nat::DropReason::name,
constexpr std::array kQuotaHits{MASQ_NAT_QUOTA_HITS(MASQD_NAT_REASON)};
constexpr std::array kAllocationFailures{MASQ_NAT_ALLOCATION_FAILURES(MASQD_NAT_REASON)};
#undef MASQD_NAT_REASON

}  // namespace

OperatorEvents::Totals OperatorEvents::sum(std::span<const WorkerState> states) {
  Totals t;
  for (const WorkerState& s : states) {
    for (std::size_t i = 0; i < t.nat.drops.size(); ++i) t.nat.drops[i] += s.nat.drops[i];
    t.arp_unresolved += s.router.drop(router::DropReason::arp_unresolved);
  }
  return t;
}

void OperatorEvents::check_tables(std::uint64_t now, std::span<const WorkerState> states) {
  if (options_.table_slots == 0) return;
  near_full_.resize(states.size(), false);
  warned_ms_.resize(states.size(), 0);
  for (std::size_t k = 0; k < states.size(); ++k) {
    const std::uint64_t percent = states[k].sessions * 100 / options_.table_slots;
    const std::string which =
        states.size() == 1 ? "session table" : "worker " + std::to_string(k) + "'s session table";
    // A table hovering at the threshold is warned about once an interval.
    if (!near_full_[k] && percent >= kNearFullPercent &&
        (warned_ms_[k] == 0 || now - warned_ms_[k] >= options_.interval_ms)) {
      near_full_[k] = true;
      warned_ms_[k] = now;
      spdlog::warn("{} {}% full ({} of {} sessions): new flows will be refused when it is full",
                   which, percent, states[k].sessions, options_.table_slots);
    } else if (near_full_[k] && percent < kClearPercent) {
      near_full_[k] = false;
      spdlog::info("{} back under {}% ({} of {} sessions)", which, kClearPercent,
                   states[k].sessions, options_.table_slots);
    }
  }
}

void OperatorEvents::summarise(const Totals& now, std::uint64_t window_ms) const {
  const std::uint64_t seconds = (window_ms + 500) / 1000;
  std::string text;
  if (describe(kQuotaHits, now.nat, baseline_.nat, text) != 0) {
    spdlog::warn(
        "quota hits in the last {} s: {}: new sessions of hosts over their quota refused "
        "(masqctl stats shows the busiest subscribers)",
        seconds, text);
  }
  text.clear();
  if (describe(kAllocationFailures, now.nat, baseline_.nat, text) != 0) {
    spdlog::warn(
        "allocation failures in the last {} s: {}: the session table or the address "
        "pool is full",
        seconds, text);
  }
  if (const std::uint64_t d = now.arp_unresolved - baseline_.arp_unresolved; d != 0) {
    spdlog::warn(
        "a next hop did not answer ARP: {} packets dropped in the last {} s{}", d, seconds,
        options_.next_hop.empty() ? "" : " (the WAN next hop is " + options_.next_hop + ")");
  }
}

void OperatorEvents::observe(std::uint64_t now, std::span<const WorkerState> states) {
  check_tables(now, states);
  const Totals totals = sum(states);
  if (!started_) {
    started_ = true;
    window_start_ms_ = now;
    baseline_ = totals;
    return;
  }
  if (now - window_start_ms_ < options_.interval_ms) return;
  summarise(totals, now - window_start_ms_);
  window_start_ms_ = now;
  baseline_ = totals;
}

}  // namespace masq::app
