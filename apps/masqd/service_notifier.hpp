// ServiceNotifier: masqd's side of the systemd notification protocol
// (sd_notify(3)): READY=1 once it forwards, STATUS= lines, STOPPING=1 when
// it stops, and WATCHDOG=1 pings. Everything is a no-op unless systemd (or
// a test standing in for it) set NOTIFY_SOCKET; the watchdog only when
// WATCHDOG_USEC is set too. Cold: the control plane's thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace masq::app {

class ServiceNotifier {
 public:
  // Reads NOTIFY_SOCKET, WATCHDOG_USEC (and WATCHDOG_PID) as libsystemd does.
  static ServiceNotifier from_environment();

  bool enabled() const { return enabled_; }
  // How often systemd wants a ping: half its WATCHDOG_USEC, as
  // sd_watchdog_enabled(3) advises. Unset: no watchdog.
  std::optional<std::uint64_t> watchdog_ping_ms() const { return watchdog_ping_ms_; }

  void ready(std::string_view status) const;
  void status(std::string_view status) const;
  void stopping() const;
  void watchdog() const;

 private:
  void send(std::string_view state) const;

  bool enabled_ = false;
  std::optional<std::uint64_t> watchdog_ping_ms_;
};

}  // namespace masq::app
