// SessionView: a read-only copy of one session for display and state
// snapshots (masqctl, replay summaries). Cold path.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "masq/net/ipv4_addr.hpp"
#include "masq/net/port.hpp"

// What made a session: traffic, or an explicit mapping (PCP, NAT-PMP),
// which shows as its anchor with remote 0.0.0.0:0 until its lifetime ends.
#define MASQ_SESSION_KINDS(X) \
  X(dynamic)                  \
  X(pcp)

namespace masq::nat {

#define MASQ_SESSION_KIND_ENUMERATOR(name) name,
#define MASQ_SESSION_KIND_NAME(name) std::string_view{#name},
enum class SessionKind : std::uint8_t { MASQ_SESSION_KINDS(MASQ_SESSION_KIND_ENUMERATOR) };
inline constexpr std::array kSessionKindNames{MASQ_SESSION_KINDS(MASQ_SESSION_KIND_NAME)};
#undef MASQ_SESSION_KIND_ENUMERATOR
#undef MASQ_SESSION_KIND_NAME

constexpr std::string_view to_string(SessionKind k) {
  const auto i = static_cast<std::size_t>(k);
  return i < kSessionKindNames.size() ? kSessionKindNames[i] : std::string_view{"unknown"};
}

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
  SessionKind kind = SessionKind::dynamic;
};

}  // namespace masq::nat
