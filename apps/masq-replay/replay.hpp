// run_replay: the engine loop of masq-replay. Reads the LAN and WAN
// captures, merges them by timestamp, feeds the engine in batches and
// writes what it emits:
//   forward_lan, hairpin -> lan_out; forward_wan -> wan_out;
//   send_icmp -> an ICMP error from the gateway's address on the side the
//   packet came from, written back to that side; drop -> counted only.
// Merge order is stable: on equal timestamps LAN frames come first, then
// each file's own order. A batch is a run of consecutive frames from one
// side with one timestamp (at most kMaxBatch). Output frames keep their
// input timestamps. Deterministic: the same inputs and config (seed
// included) give byte-identical outputs. Cold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>

#include "masq/config/config.hpp"
#include "masq/nat/counters.hpp"

namespace masq::replay {

inline constexpr std::size_t kMaxBatch = 32;

struct ReplayFiles {
  std::optional<std::filesystem::path> lan_in;  // absent: that side has no input
  std::optional<std::filesystem::path> wan_in;
  std::filesystem::path lan_out;
  std::filesystem::path wan_out;
};

struct SideStats {
  std::uint64_t frames_in = 0;    // every frame read, whatever it held
  std::uint64_t not_ipv4 = 0;     // skipped: another network protocol
  std::uint64_t malformed = 0;    // skipped: too short for the link header
  std::uint64_t packets_out = 0;  // written to this side's output, ICMP errors included
};

struct ReplayStats {
  SideStats lan;
  SideStats wan;
  std::uint64_t icmp_sent = 0;
  std::uint64_t icmp_suppressed = 0;  // send_icmp verdicts RFC 1812 §4.3.2.7 forbids answering
  nat::Counters engine;
  std::size_t sessions = 0;  // live sessions after the last packet
};

// Throws ReplayError: kExitUsage for unreadable or unsupported inputs and
// outputs that cannot be created, kExitRuntime for write failures.
ReplayStats run_replay(const config::Config& cfg, const ReplayFiles& files);

}  // namespace masq::replay
