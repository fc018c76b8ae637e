// RestoreTallies: what became of a state snapshot's sessions and PCP
// mappings when masqd started from it, added up over the workers and
// logged (state_saver.cpp). Cold.
#pragma once

#include <array>
#include <cstdint>

#include "masq/nat/restore.hpp"
#include "masq/pcp/names.hpp"

namespace masq::app {

struct RestoreTallies {
  nat::RestoreTally sessions;
  // By the backend's status (MapStatus::ok: restored).
  std::array<std::uint64_t, pcp::kMapStatusCount> mappings{};
  std::uint64_t mappings_without_pcp = 0;  // saved, but the PCP server is off

  RestoreTallies& operator+=(const RestoreTallies& other) {
    sessions += other.sessions;
    for (std::size_t i = 0; i < mappings.size(); ++i) mappings[i] += other.mappings[i];
    mappings_without_pcp += other.mappings_without_pcp;
    return *this;
  }
};

}  // namespace masq::app
