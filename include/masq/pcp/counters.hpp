// Counters of the PCP server: one per outcome, per PCP and NAT-PMP result
// code sent, per drop reason and per backend refusal. Names come from the
// X-macro lists here and in names.hpp, so for_each_counter, masqctl and
// the metrics read the same spelling. Plain integers written only by the
// thread that owns the Server; readers take a copy. Cold.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "masq/pcp/names.hpp"

// Outcomes that are not a result code or a drop.
#define MASQ_PCP_COUNTERS(X)                                                   \
  X(pcp_requests)    /* datagrams handled as PCP (first octet != 0) */         \
  X(natpmp_requests) /* datagrams handled as NAT-PMP (first octet 0) */        \
  X(responses)       /* answers written for the caller to send */              \
  X(mappings_created)                                                          \
  X(mappings_refreshed)                                                        \
  X(mappings_deleted) /* by a request (lifetime 0), one per mapping */         \
  X(mappings_expired) /* lifetime ran out without a refresh */                 \
  X(announces_built)  /* unsolicited PCP ANNOUNCE and NAT-PMP announcements */ \
  X(state_resets)     /* reset_state: the epoch starts again */

namespace masq::pcp {

struct Counters {
#define MASQ_PCP_COUNTER_MEMBER(name) std::uint64_t name = 0;
  MASQ_PCP_COUNTERS(MASQ_PCP_COUNTER_MEMBER)
#undef MASQ_PCP_COUNTER_MEMBER
  std::array<std::uint64_t, kDropReasonCount> drops{};  // [none] stays 0
  std::array<std::uint64_t, kResultCodeCount> pcp_results{};
  std::array<std::uint64_t, kNatPmpResultCount> natpmp_results{};
  std::array<std::uint64_t, kMapStatusCount> backend_statuses{};

  std::uint64_t drop(DropReason r) const {
    return drops[static_cast<std::size_t>(r)];
  }
  std::uint64_t result(ResultCode r) const {
    return pcp_results[static_cast<std::size_t>(r)];
  }
  std::uint64_t result(NatPmpResult r) const {
    return natpmp_results[static_cast<std::size_t>(r)];
  }
  std::uint64_t backend(MapStatus s) const {
    return backend_statuses[static_cast<std::size_t>(s)];
  }
};

// Every counter as (group, name, value): group is "" for the outcomes,
// then "drop", "pcp_result", "natpmp_result", "backend"; the reader joins
// them as it prints ("pcp_result_no_resources").
template <typename Fn>
void for_each_counter(const Counters& c, Fn&& fn) {
#define MASQ_PCP_COUNTER_VISIT(name) fn(std::string_view{}, std::string_view{#name}, c.name);
  MASQ_PCP_COUNTERS(MASQ_PCP_COUNTER_VISIT)
#undef MASQ_PCP_COUNTER_VISIT
  for (std::size_t i = 1; i < kDropReasonCount; ++i) fn("drop", kDropReasonNames[i], c.drops[i]);
  for (std::size_t i = 0; i < kResultCodeCount; ++i)
    fn("pcp_result", kResultCodeNames[i], c.pcp_results[i]);
  for (std::size_t i = 0; i < kNatPmpResultCount; ++i)
    fn("natpmp_result", kNatPmpResultNames[i], c.natpmp_results[i]);
  for (std::size_t i = 1; i < kMapStatusCount; ++i)
    fn("backend", kMapStatusNames[i], c.backend_statuses[i]);
}

}  // namespace masq::pcp
