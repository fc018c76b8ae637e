// SessionView: a read-only copy of one session for display and state
// snapshots (masqctl, replay summaries). Cold path.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "masq/net/ipv4_addr.hpp"
#include "masq/net/names.hpp"
#include "masq/net/port.hpp"

namespace masq::nat {

// What made a session's mapping. Static 1:1 NAT is stateless (no session:
// RFC 2663 §4.1.1), so static_nat names the kind for the operator's
// filters and is not seen while static pairs keep no sessions; pcp, the
// mappings the PCP server installs. Each with its name.
#define MASQ_NAT_SESSION_KINDS(X)                   \
  X(dynamic, "dynamic") /* a packet from the LAN */ \
  X(forward, "forward") /* a port forward */        \
  X(static_nat, "static")                           \
  X(pcp, "pcp")
#define MASQ_NAT_KIND_ENUMERATOR(value, name) value,
#define MASQ_NAT_KIND_NAME(value, name) std::string_view{name},
enum class SessionKind : std::uint8_t { MASQ_NAT_SESSION_KINDS(MASQ_NAT_KIND_ENUMERATOR) };
inline constexpr net::NameTable<4> kSessionKindNames{MASQ_NAT_SESSION_KINDS(MASQ_NAT_KIND_NAME)};
#undef MASQ_NAT_KIND_ENUMERATOR
#undef MASQ_NAT_KIND_NAME
constexpr std::string_view to_string(SessionKind k) {
  return net::name_of(kSessionKindNames, k);
}
constexpr std::optional<SessionKind> parse_session_kind(std::string_view name) {
  return net::value_named<SessionKind>(kSessionKindNames, name);
}

// What one session translated in one direction (EngineConfig::accounting).
struct DirectionCounts {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;  // IPv4 total lengths
  bool operator==(const DirectionCounts&) const = default;
};
// Both directions, as conntrack's two "packets= bytes=" pairs: in2out is
// what the internal host sent, out2in what it received, whichever side
// opened the session.
struct FlowCounts {
  DirectionCounts in2out;
  DirectionCounts out2in;
  bool operator==(const FlowCounts&) const = default;
};

struct SessionView {
  net::Proto proto = net::Proto::udp;
  net::Ipv4Addr internal_addr;
  net::Port internal_port;
  net::Ipv4Addr external_addr;
  net::Port external_port;
  net::Ipv4Addr remote_addr;
  net::Port remote_port;
  std::string_view state;  // "udp", "icmp", or the TCP state name
  std::uint32_t expires_in_s = 0;
  // Seconds since a packet last refreshed the session (the session keeps
  // no creation time: the hot line has no room for one).
  std::uint32_t idle_s = 0;
  SessionKind kind = SessionKind::dynamic;
  // Only when the engine counts (EngineConfig::accounting); since the
  // session was made (a restored session starts again from zero).
  std::optional<FlowCounts> counts;
};

// Every name SessionView::state takes: "udp", "icmp" and the TCP states.
std::span<const std::string_view> session_state_names();

}  // namespace masq::nat
