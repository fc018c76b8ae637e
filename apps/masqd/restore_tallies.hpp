// RestoreTallies: what became of a state snapshot's sessions and PCP
// mappings when masqd started from it, added up over the workers and
// logged (state_saver.cpp). Cold.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "masq/nat/restore.hpp"
#include "masq/pcp/names.hpp"

namespace masq::app {

struct RestoreTallies {
  nat::RestoreTally sessions;
  // By the backend's status (MapStatus::ok: restored).
  std::array<std::uint64_t, pcp::kMapStatusCount> mappings{};
  std::uint64_t mappings_without_pcp = 0;  // saved, but the PCP server is off
  // Kept until the first DHCP lease gives the WAN an address (worker.hpp).
  std::uint64_t sessions_waiting = 0;
  std::uint64_t mappings_waiting = 0;

  RestoreTallies& operator+=(const RestoreTallies& other) {
    sessions += other.sessions;
    for (std::size_t i = 0; i < mappings.size(); ++i) mappings[i] += other.mappings[i];
    mappings_without_pcp += other.mappings_without_pcp;
    sessions_waiting += other.sessions_waiting;
    mappings_waiting += other.mappings_waiting;
    return *this;
  }
};

// "quota 3, not_in_pool 1": the refusals that happened, by name; "none".
inline std::string refusals(const RestoreTallies& t) {
  std::string out;
  const auto add = [&out](std::string_view name, std::uint64_t n) {
    if (n == 0) return;
    if (!out.empty()) out += ", ";
    out += std::string(name) + " " + std::to_string(n);
  };
  for (std::size_t i = 1; i < nat::kRestoreOutcomeCount; ++i) {
    add(nat::to_string(static_cast<nat::RestoreOutcome>(i)), t.sessions.by_outcome[i]);
  }
  for (std::size_t i = 1; i < pcp::kMapStatusCount; ++i) {
    add("pcp " + std::string(pcp::kMapStatusNames[i]), t.mappings[i]);
  }
  add("pcp off", t.mappings_without_pcp);
  return out.empty() ? "none" : out;
}

}  // namespace masq::app
