// Watch: what the worker watches besides its ports, between batches: the
// carrier of its two interfaces (rtnetlink link events, io::LinkMonitor).
// Each change is logged and counted; none stops forwarding. A link that
// goes down and comes back needs nothing from masqd: its ports stay bound
// and traffic resumes (tests/e2e/ownership.sh). Cold.
#pragma once

#include <poll.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "masq/io/link_monitor.hpp"
#include "masq/net/names.hpp"

namespace masq::app {

#define MASQD_WATCH_COUNTERS(X) \
  X(lan_link_down)              \
  X(lan_link_up)                \
  X(wan_link_down)              \
  X(wan_link_up)

struct WatchCounters {
  MASQD_WATCH_COUNTERS(MASQ_COUNTER_MEMBER)
};

#define MASQD_WATCH_FIELD(name) \
  net::CounterField<WatchCounters>{#name, [](const WatchCounters& c) { return c.name; }},
inline constexpr std::array kWatchCounterFields{MASQD_WATCH_COUNTERS(MASQD_WATCH_FIELD)};
#undef MASQD_WATCH_FIELD

class Watch {
 public:
  struct Opened {
    std::unique_ptr<Watch> watch;  // set exactly when error is empty
    std::string error;
  };
  static Opened open(int lan_ifindex, int wan_ifindex);

  // The descriptor to poll for POLLIN.
  pollfd poll_fd() const;
  // Reads what they have; logs and counts it.
  void service();

  const WatchCounters& counters() const { return counters_; }

 private:
  Watch(std::unique_ptr<io::LinkMonitor> links, int lan_ifindex, int wan_ifindex);
  void on_link(int ifindex, bool up);

  std::unique_ptr<io::LinkMonitor> links_;
  int lan_ifindex_;
  int wan_ifindex_;
  bool lan_up_;
  bool wan_up_;
  WatchCounters counters_;
};

}  // namespace masq::app
