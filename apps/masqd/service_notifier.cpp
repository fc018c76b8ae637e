#include "service_notifier.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace masq::app {

ServiceNotifier ServiceNotifier::from_environment() {
  ServiceNotifier n;
  const char* socket = std::getenv("NOTIFY_SOCKET");
  n.enabled_ = socket != nullptr && *socket != '\0';
  std::uint64_t usec = 0;
  if (n.enabled_ && ::sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    n.watchdog_ping_ms_ = std::max<std::uint64_t>(1, usec / 2000);
  }
  return n;
}

void ServiceNotifier::send(std::string_view state) const {
  if (!enabled_) return;
  const std::string text(state);
  if (const int r = ::sd_notify(0, text.c_str()); r < 0) {
    spdlog::warn("sd_notify {}: {}", text.substr(0, text.find('=')), std::strerror(-r));
  }
}

void ServiceNotifier::ready(std::string_view status) const {
  send("READY=1\nSTATUS=" + std::string(status));
}

void ServiceNotifier::status(std::string_view status) const {
  send("STATUS=" + std::string(status));
}

void ServiceNotifier::stopping() const {
  send("STOPPING=1\nSTATUS=stopping");
}

void ServiceNotifier::watchdog() const {
  send("WATCHDOG=1");
}

}  // namespace masq::app
