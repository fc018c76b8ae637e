// Restoring saved sessions (masqd's state across a restart): what
// Engine::restore() made of one saved SessionView. A session comes back
// with its external endpoint fixed, its mapping linked, its quotas
// charged, its TCP state and the lifetime it had left; or it is refused
// with the outcome that says why (the config no longer allows it, or it
// cannot be placed). The outcomes are listed once (MASQ_NAT_RESTORE_OUTCOMES)
// with their names, which logs and tests read. Cold: at start only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "masq/net/names.hpp"

namespace masq::nat {

#define MASQ_NAT_RESTORE_OUTCOMES(X)                                                            \
  X(restored, "restored")                                                                       \
  X(malformed, "malformed")       /* a protocol, state, kind or endpoint no session can have */ \
  X(expired, "expired")           /* no lifetime left */                                        \
  X(explicit_mapping, "pcp")      /* a PCP anchor: it comes back with its PCP mapping */        \
  X(not_inside, "not_inside")     /* the internal address is in no inside network */            \
  X(static_host, "static_host")   /* the internal host is now translated 1:1 */                 \
  X(other_worker, "other_worker") /* its port or subscriber is another worker's */              \
  X(not_in_pool, "not_in_pool")   /* the external address is not the host's pool address */     \
  X(reserved, "reserved")         /* the external port is now the host's or a forward's */      \
  X(forward_gone, "forward_gone") /* no forward sends its external endpoint to its host */      \
  X(conflict, "conflict")         /* the endpoint or the mapping is held otherwise */           \
  X(duplicate, "duplicate")       /* the same flow is in the table already */                   \
  X(table_full, "table_full")                                                                   \
  X(quota, "quota") /* a subscriber limit (RFC 6888 REQ-4/5) */
#define MASQ_NAT_RESTORE_ENUMERATOR(value, name) value,
#define MASQ_NAT_RESTORE_NAME(value, name) std::string_view{name},
enum class RestoreOutcome : std::uint8_t { MASQ_NAT_RESTORE_OUTCOMES(MASQ_NAT_RESTORE_ENUMERATOR) };
inline constexpr net::NameTable<14> kRestoreOutcomeNames{
    MASQ_NAT_RESTORE_OUTCOMES(MASQ_NAT_RESTORE_NAME)};
#undef MASQ_NAT_RESTORE_ENUMERATOR
#undef MASQ_NAT_RESTORE_NAME
inline constexpr std::size_t kRestoreOutcomeCount = kRestoreOutcomeNames.size();
constexpr std::string_view to_string(RestoreOutcome o) {
  return net::name_of(kRestoreOutcomeNames, o);
}

// How many saved sessions had each outcome.
struct RestoreTally {
  std::array<std::uint64_t, kRestoreOutcomeCount> by_outcome{};

  void add(RestoreOutcome o) { ++by_outcome[static_cast<std::size_t>(o)]; }
  std::uint64_t count(RestoreOutcome o) const { return by_outcome[static_cast<std::size_t>(o)]; }
  std::uint64_t restored() const { return count(RestoreOutcome::restored); }
  std::uint64_t refused() const {
    std::uint64_t n = 0;
    for (std::size_t i = 1; i < by_outcome.size(); ++i) n += by_outcome[i];
    return n;
  }
  RestoreTally& operator+=(const RestoreTally& other) {
    for (std::size_t i = 0; i < by_outcome.size(); ++i) by_outcome[i] += other.by_outcome[i];
    return *this;
  }
};

}  // namespace masq::nat
