// Names written once for the PCP component: PCP result codes (RFC 6887
// §7.4), NAT-PMP result codes (RFC 6886 §3.5), the reasons a request is
// dropped unanswered, and the reasons a MappingBackend refuses a mapping.
// Each list is one X-macro; the enum, its size and its names all come from
// it, so the counters, masqctl and the tests cannot disagree. Cold.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

// X(name, wire value): values are the IANA numbers, dense from 0.
#define MASQ_PCP_RESULT_CODES(X) \
  X(success, 0)                  \
  X(unsupp_version, 1)           \
  X(not_authorized, 2)           \
  X(malformed_request, 3)        \
  X(unsupp_opcode, 4)            \
  X(unsupp_option, 5)            \
  X(malformed_option, 6)         \
  X(network_failure, 7)          \
  X(no_resources, 8)             \
  X(unsupp_protocol, 9)          \
  X(user_ex_quota, 10)           \
  X(cannot_provide_external, 11) \
  X(address_mismatch, 12)        \
  X(excessive_remote_peers, 13)

#define MASQ_NATPMP_RESULT_CODES(X)                   \
  X(success, 0)                                       \
  X(unsupported_version, 1)                           \
  X(not_authorized, 2) /* "Not Authorized/Refused" */ \
  X(network_failure, 3)                               \
  X(out_of_resources, 4)                              \
  X(unsupported_opcode, 5)

// Requests that get no answer at all.
#define MASQ_PCP_DROP_REASONS(X)                                                    \
  X(none)                                                                           \
  X(disabled)          /* the server is off (the default) */                        \
  X(wan_side)          /* arrived on the WAN: answered only on the LAN */           \
  X(rate_limited)      /* over ServerConfig::max_requests_per_s (RFC 6887 §8.3) */ \
  X(too_short)         /* too short to answer (RFC 6887 §8.3: < 2, or < 24) */     \
  X(response_received) /* R bit / opcode bit 7 set: a response, never answered */   \
  X(natpmp_truncated)  /* a NAT-PMP request shorter than its opcode's layout */     \
  X(buffer_too_small)  /* the caller's response buffer cannot hold the answer */

// Why a MappingBackend refused (MapStatus::ok is not a refusal).
#define MASQ_PCP_MAP_STATUSES(X)                                                       \
  X(ok)                                                                                \
  X(no_resources)          /* table full or no free port: short-lived, retry */        \
  X(user_ex_quota)         /* the host's port or mapping quota */                      \
  X(no_external_address)   /* the gateway has no external address yet */               \
  X(suggested_unavailable) /* prefer_failure, and the suggested endpoint is taken */   \
  X(internal_is_static)    /* the internal endpoint has a static mapping */            \
  X(internal_is_forwarded) /* the internal endpoint is the target of a port forward */ \
  X(unsupported_protocol)  /* the backend cannot map this protocol */

namespace masq::pcp {

#define MASQ_PCP_ENUMERATOR_VALUE(name, value) name = value,
#define MASQ_PCP_NAME_OF_PAIR(name, value) std::string_view{#name},
#define MASQ_PCP_ENUMERATOR(name) name,
#define MASQ_PCP_NAME(name) std::string_view{#name},

enum class ResultCode : std::uint8_t { MASQ_PCP_RESULT_CODES(MASQ_PCP_ENUMERATOR_VALUE) };
enum class NatPmpResult : std::uint16_t { MASQ_NATPMP_RESULT_CODES(MASQ_PCP_ENUMERATOR_VALUE) };
enum class DropReason : std::uint8_t { MASQ_PCP_DROP_REASONS(MASQ_PCP_ENUMERATOR) };
enum class MapStatus : std::uint8_t { MASQ_PCP_MAP_STATUSES(MASQ_PCP_ENUMERATOR) };

inline constexpr std::array kResultCodeNames{MASQ_PCP_RESULT_CODES(MASQ_PCP_NAME_OF_PAIR)};
inline constexpr std::array kNatPmpResultNames{MASQ_NATPMP_RESULT_CODES(MASQ_PCP_NAME_OF_PAIR)};
inline constexpr std::array kDropReasonNames{MASQ_PCP_DROP_REASONS(MASQ_PCP_NAME)};
inline constexpr std::array kMapStatusNames{MASQ_PCP_MAP_STATUSES(MASQ_PCP_NAME)};

#undef MASQ_PCP_ENUMERATOR_VALUE
#undef MASQ_PCP_NAME_OF_PAIR
#undef MASQ_PCP_ENUMERATOR
#undef MASQ_PCP_NAME

inline constexpr std::size_t kResultCodeCount = kResultCodeNames.size();
inline constexpr std::size_t kNatPmpResultCount = kNatPmpResultNames.size();
inline constexpr std::size_t kDropReasonCount = kDropReasonNames.size();
inline constexpr std::size_t kMapStatusCount = kMapStatusNames.size();

// "unknown" for a value past the end (a corrupt or unassigned code).
template <typename E, std::size_t N>
constexpr std::string_view name_in(const std::array<std::string_view, N>& names, E value) {
  const auto i = static_cast<std::size_t>(value);
  return i < N ? names[i] : std::string_view{"unknown"};
}

constexpr std::string_view to_string(ResultCode r) {
  return name_in(kResultCodeNames, r);
}
constexpr std::string_view to_string(NatPmpResult r) {
  return name_in(kNatPmpResultNames, r);
}
constexpr std::string_view to_string(DropReason r) {
  return name_in(kDropReasonNames, r);
}
constexpr std::string_view to_string(MapStatus s) {
  return name_in(kMapStatusNames, s);
}

}  // namespace masq::pcp
