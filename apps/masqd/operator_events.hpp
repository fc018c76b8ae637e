// OperatorEvents: what an operator must hear about the traffic, derived by
// the control plane from the counters the workers publish (never logged by
// a worker, never per packet): a session table nearing full, and an
// external address whose usable ports of a protocol are nearly all mapped
// (warned on crossing kNearFullPercent, cleared under kClearPercent, at
// most once an interval), and, summed up once per interval when they
// happened, quota hits (with the subscribers holding the most ports: the
// workers keep no count of hits per host), allocation failures (the table
// or the pool full) and packets dropped because the next hop did not
// answer ARP. Cold: the control plane's thread.
#pragma once

#include <cstdint>
#include <map>
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
  // Something warned about on crossing kNearFullPercent: whether it is
  // now, and when it was last.
  struct Alarm {
    bool on = false;
    std::uint64_t warned_ms = 0;
  };
  static Totals sum(std::span<const WorkerState> states);
  // Alarm `a` at `percent`: true when it is to be warned about now (it
  // crossed kNearFullPercent, not within an interval of the last warning),
  // false otherwise; `cleared` is set when it went back under kClearPercent.
  bool crossed(Alarm& a, std::uint64_t percent, std::uint64_t now, bool& cleared) const;
  void check_tables(std::uint64_t now_ms, std::span<const WorkerState> states);
  void check_addresses(std::uint64_t now_ms, std::span<const WorkerState> states);
  void summarise(const Totals& now, std::uint64_t window_ms,
                 std::span<const WorkerState> states) const;

  Options options_;
  std::vector<Alarm> tables_;  // per worker
  // Per external address and protocol.
  std::map<std::pair<std::uint32_t, net::Proto>, Alarm> addresses_;
  bool started_ = false;
  std::uint64_t window_start_ms_ = 0;
  Totals baseline_;  // the totals at window_start_ms_
};

}  // namespace masq::app
