// OperatorEvents: what an operator must hear about the traffic, derived by
// the control plane from the counters the workers publish (never logged by
// a worker, never per packet): a session table nearing full (warned on
// crossing kNearFullPercent, cleared under kClearPercent), and, summed up
// once per interval when they happened, quota hits, allocation failures
// (the table or the pool full) and packets dropped because the next hop
// did not answer ARP. Cold: the control plane's thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "mailbox.hpp"

namespace masq::app {

class OperatorEvents {
 public:
  static constexpr std::uint64_t kNearFullPercent = 90;
  static constexpr std::uint64_t kClearPercent = 80;

  struct Options {
    std::uint64_t table_slots = 0;  // sessions each worker's table holds
    std::string next_hop;           // for the ARP line ("" when none is configured)
    std::uint64_t interval_ms = 10'000;
  };

  explicit OperatorEvents(Options options) : options_(std::move(options)) {}

  // Each worker's latest state, in worker order, at `now_ms` (monotonic).
  void observe(std::uint64_t now_ms, std::span<const WorkerState> states);

 private:
  struct Totals {
    nat::Counters nat;
    std::uint64_t arp_unresolved = 0;
  };
  static Totals sum(std::span<const WorkerState> states);
  void check_tables(std::uint64_t now_ms, std::span<const WorkerState> states);
  void summarise(const Totals& now, std::uint64_t window_ms) const;

  Options options_;
  std::vector<bool> near_full_;  // per worker: warned, not yet back under kClearPercent
  std::vector<std::uint64_t> warned_ms_;
  bool started_ = false;
  std::uint64_t window_start_ms_ = 0;
  Totals baseline_;  // the totals at window_start_ms_
};

}  // namespace masq::app
