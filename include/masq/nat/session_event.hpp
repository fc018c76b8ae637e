// SessionEvent: a session made or removed, as the engine records it for
// the translation log (RFC 6888 REQ-12: "who had this external address
// and port at that time") and for `masqctl events`. The engine writes them
// into a bounded ring of its own (EngineConfig::event_ring_capacity) and
// the caller takes them between batches with Engine::drain_events(); a
// full ring drops the event and counts it (Counters::events_dropped).
// Plain values, trivially copyable, so that rings and queues can hold them.
// Static 1:1 NAT is stateless and makes no events. Cold to read; written
// on the slow path.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

#include "masq/nat/session_view.hpp"
#include "masq/net/ipv4_addr.hpp"
#include "masq/net/names.hpp"
#include "masq/net/port.hpp"

namespace masq::nat {

// "delete_": the C++ keyword; named "delete".
#define MASQ_NAT_EVENT_TYPES(X) X(create, "create") X(delete_, "delete")

// Why a session went.
#define MASQ_NAT_DELETE_REASONS(X)                                                       \
  X(none, "none")                 /* a create event */                                   \
  X(expired, "expired")           /* idle past its timeout (RFC 4787 REQ-5 etc.) */      \
  X(reclaimed, "reclaimed")       /* expired, freed early for a new flow (table full) */ \
  X(deleted, "deleted")           /* by the operator: masqctl sessions delete/flush */   \
  X(unmapped, "unmapped")         /* its explicit mapping (PCP) was deleted */           \
  X(readdressed, "readdressed")   /* its external address went (a new DHCP lease) */     \
  X(reconfigured, "reconfigured") /* a new config no longer allows it (reload) */

#define MASQ_NAT_EVENT_ENUMERATOR(value, name) value,
#define MASQ_NAT_EVENT_NAME(value, name) std::string_view{name},
enum class EventType : std::uint8_t { MASQ_NAT_EVENT_TYPES(MASQ_NAT_EVENT_ENUMERATOR) };
inline constexpr net::NameTable<2> kEventTypeNames{MASQ_NAT_EVENT_TYPES(MASQ_NAT_EVENT_NAME)};
enum class DeleteReason : std::uint8_t { MASQ_NAT_DELETE_REASONS(MASQ_NAT_EVENT_ENUMERATOR) };
inline constexpr net::NameTable<7> kDeleteReasonNames{MASQ_NAT_DELETE_REASONS(MASQ_NAT_EVENT_NAME)};
#undef MASQ_NAT_EVENT_ENUMERATOR
#undef MASQ_NAT_EVENT_NAME

constexpr std::string_view to_string(EventType t) {
  return net::name_of(kEventTypeNames, t);
}
constexpr std::optional<EventType> parse_event_type(std::string_view name) {
  return net::value_named<EventType>(kEventTypeNames, name);
}
constexpr std::string_view to_string(DeleteReason r) {
  return net::name_of(kDeleteReasonNames, r);
}
constexpr std::optional<DeleteReason> parse_delete_reason(std::string_view name) {
  return net::value_named<DeleteReason>(kDeleteReasonNames, name);
}

struct SessionEvent {
  std::uint64_t time_ns = 0;  // the engine's now_ns when it happened (or was noticed)
  EventType type = EventType::create;
  DeleteReason reason = DeleteReason::none;
  net::Proto proto = net::Proto::udp;
  SessionKind kind = SessionKind::dynamic;
  net::Ipv4Addr internal_addr;
  net::Port internal_port;  // ICMP echo: the host's identifier
  net::Ipv4Addr external_addr;
  net::Port external_port;  // ICMP echo: the identifier on the WAN
  // The destination, only with EngineConfig::events_with_remote (RFC 6888
  // REQ-12 makes destination logging an option); 0.0.0.0:0 otherwise.
  net::Ipv4Addr remote_addr;
  net::Port remote_port;
  bool operator==(const SessionEvent&) const = default;
};
static_assert(std::is_trivially_copyable_v<SessionEvent>);

}  // namespace masq::nat
