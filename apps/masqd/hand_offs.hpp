// HandOffs: what masqd's workers share to pass packets to one another: a
// HandOffRing for every ordered pair of workers (one producer and one
// consumer each, so no locks), and an eventfd per worker that wakes its
// poll when something was pushed to it. Made before the workers' threads
// start, outlives them. Counters of a worker's hand-offs are listed once
// (MASQ_HAND_OFF_STATS) for the struct and the names masqctl shows.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "hand_off_ring.hpp"
#include "masq/net/names.hpp"

namespace masq::app {

#define MASQ_HAND_OFF_STATS(X)                                                 \
  X(sent)              /* messages pushed to other workers (ARP copies too) */ \
  X(received)          /* messages taken from other workers */                 \
  X(dropped_ring_full) /* the other worker's ring had no free slot */          \
  X(dropped_too_large) /* larger than a slot (reassembled datagrams, jumbo ARP) */

struct HandOffStats {
  MASQ_HAND_OFF_STATS(MASQ_COUNTER_MEMBER)
};

#define MASQ_HAND_OFF_STATS_FIELD(name) \
  net::CounterField<HandOffStats>{#name, [](const HandOffStats& s) { return s.name; }},
inline constexpr std::array kHandOffStatsFields{MASQ_HAND_OFF_STATS(MASQ_HAND_OFF_STATS_FIELD)};
#undef MASQ_HAND_OFF_STATS_FIELD

class HandOffs {
 public:
  // Throws std::system_error when an eventfd cannot be made.
  HandOffs(std::uint32_t workers, std::size_t slots, std::size_t slot_bytes);
  ~HandOffs();
  HandOffs(const HandOffs&) = delete;
  HandOffs& operator=(const HandOffs&) = delete;

  std::uint32_t workers() const { return workers_; }
  HandOffRing& ring(std::uint32_t from, std::uint32_t to) { return *rings_[from * workers_ + to]; }
  // Readable when something may wait for `worker` in its rings.
  int wake_fd(std::uint32_t worker) const { return wake_fds_[worker]; }
  void wake(std::uint32_t worker) const;
  void clear_wake(std::uint32_t worker) const;

 private:
  std::uint32_t workers_;
  std::vector<std::unique_ptr<HandOffRing>> rings_;  // [from * workers + to]; null when equal
  std::vector<int> wake_fds_;
};

}  // namespace masq::app
