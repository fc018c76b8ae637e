#include "subscriber_defaults.hpp"

#include <algorithm>

namespace masq::config {

void fill_subscriber_defaults(nat::EngineConfig& engine,
                              const std::map<std::string, std::string>& given) {
  if (!given.contains("sessions_per_subscriber")) {
    engine.sessions_per_subscriber = std::min(
        engine.max_sessions, std::max(kMinSubscriberQuota, engine.max_sessions / kSubscriberShare));
  }
  if (!given.contains("ports_per_subscriber")) {
    std::uint64_t addresses = 0;
    for (const nat::AddressRange& r : engine.pool) {
      addresses += std::uint64_t{r.last.value()} - r.first.value() + 1;
    }
    std::uint64_t ports = std::max<std::uint64_t>(kMinSubscriberQuota,
                                                  kPortsPerAddress * addresses / kSubscriberShare);
    if (engine.sessions_per_subscriber != 0) {
      ports = std::min<std::uint64_t>(ports, engine.sessions_per_subscriber);
    }
    engine.ports_per_subscriber = static_cast<std::uint32_t>(ports);
  }
  if (!given.contains("new_sessions_per_s")) engine.new_sessions_per_s = kDefaultNewSessionsPerS;
  if (!given.contains("new_sessions_burst")) {
    engine.new_sessions_burst = static_cast<std::uint32_t>(std::min<std::uint64_t>(
        0xFFFFFFFFu, std::uint64_t{engine.new_sessions_per_s} * kDefaultBurstSeconds));
  }
}

}  // namespace masq::config
