// The hostile-LAN defaults: per-subscriber limits that are on unless the
// file says otherwise, sized from the table, so that one LAN host cannot
// take what the others need (RFC 6888 REQ-4/5). Internal to the config
// component. Cold.
#pragma once

#include <map>
#include <string>

#include "masq/nat/engine_config.hpp"

namespace masq::config {

// The smallest default quota, and the default rate and burst of new
// sessions per subscriber.
inline constexpr std::uint32_t kMinSubscriberQuota = 256;
inline constexpr std::uint32_t kSubscriberShare = 16;  // one host: 1/16 of the table
inline constexpr std::uint32_t kDefaultNewSessionsPerS = 1000;
inline constexpr std::uint32_t kDefaultBurstSeconds = 2;
inline constexpr std::uint32_t kPortsPerAddress = 65536 - 1024;

// Fills each limit the file did not set (`given`: the engine fields the
// file set, by name):
//   sessions_per_subscriber = max(256, max_sessions / 16), at most max_sessions
//   ports_per_subscriber    = max(256, 64512 * pool addresses / 16), at most
//                             sessions_per_subscriber when that is set
//   new_sessions_per_s      = 1000
//   new_sessions_burst      = 2 * new_sessions_per_s
void fill_subscriber_defaults(nat::EngineConfig& engine,
                              const std::map<std::string, std::string>& given);

}  // namespace masq::config
