// The engine configuration and the flow sets every benchmark uses, in one
// place so the figures in docs/benchmarks.md have one definition:
//   - inside 10.0.0.0/8, pool 203.0.113.0 upward (RFC 5737 TEST-NET-3),
//     one pool address per 16 Ki sessions of capacity (1 Mi sessions: 64
//     addresses), so a full table uses a quarter of each address's ports
//     and about 60% of the ephemeral range the hosts' ports come from;
//   - paired pooling, port preservation on, RFC default timers and probes;
//   - established flows: random_ports, 256 flows per LAN host (1 Mi
//     sessions: 4096 hosts);
//   - new flows: fill the table to 15/16 of capacity, 240 flows per host
//     (15 for same_port, so 16 times as many hosts).
// Cold.
#pragma once

#include <cstdint>

#include "flow_sets.hpp"
#include "masq/nat/engine_config.hpp"

namespace masq::bench {

// The timed packets all arrive at this time; sessions made then are alive
// for the whole run (no expiry).
inline constexpr std::uint64_t kNowNs = 1'000'000'000'000;

// The table sizes the figures are given for. "16 Mi" is the largest
// multiple of 256 flows the engine takes (its limit is 2^24 - 2 sessions).
inline constexpr std::int64_t k64Ki = 1 << 16;
inline constexpr std::int64_t k1Mi = 1 << 20;
inline constexpr std::int64_t k4Mi = 1 << 22;
inline constexpr std::int64_t k16Mi = (1 << 24) - 256;

nat::EngineConfig engine_config(std::uint32_t max_sessions, std::uint32_t max_subscribers);

// Exactly `sessions` random_ports flows (a multiple of 256), 256 per host.
FlowSetSpec established_flows(std::uint32_t sessions);

// Flows that fill a table of max_sessions to 15/16.
FlowSetSpec new_flows(std::uint32_t max_sessions, PortPattern ports);

}  // namespace masq::bench
