// Explicit mappings: endpoint-independent mappings that a host asked for
// (PCP MAP and PEER, RFC 6887 §11-12; NAT-PMP, RFC 6886 §3.3) rather than
// made by its traffic. The engine keeps them as real mappings: they hold an
// external port on the host's pool address, count against its quotas,
// admit inbound traffic whatever the configured filtering (narrowed by
// FILTER, or to the peer of a PEER) and serve hairpinned traffic. Made and
// ended through Engine::map_explicit()/unmap_explicit(), per request,
// never per packet. Cold.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "masq/nat/drop_reason.hpp"
#include "masq/net/ipv4_addr.hpp"
#include "masq/net/port.hpp"

namespace masq::nat {

struct ExplicitEndpoint {
  net::Ipv4Addr addr;
  std::uint16_t port = 0;
  constexpr auto operator<=>(const ExplicitEndpoint&) const = default;
};

// A remote allowed to use a mapping (RFC 6887 §13.3); port 0: every port.
struct ExplicitFilter {
  net::Ipv4Prefix remote;
  std::uint16_t port = 0;
};

inline constexpr std::size_t kMaxExplicitFilters = 8;

struct ExplicitRequest {
  net::Proto proto = net::Proto::udp;
  ExplicitEndpoint internal;
  // The external endpoint asked for: port 0 none; address 0 any. Honoured
  // when free on the host's pool address and outside reserved ranges.
  ExplicitEndpoint suggested;
  bool prefer_failure = false;  // refuse rather than give another endpoint
  // PEER: only this remote is admitted. MAP (none): whoever `filters`
  // admits (no filters: anyone). At most kMaxExplicitFilters filters.
  std::optional<ExplicitEndpoint> peer;
  std::span<const ExplicitFilter> filters;
  std::uint32_t lifetime_s = 0;
};

// Why a request was refused for a reason that is no engine drop reason.
enum class ExplicitRefusal : std::uint8_t {
  none,
  suggested_taken,     // prefer_failure, and the suggested endpoint is not free
  static_host,         // the host is translated 1:1 by a static NAT rule
  forwarded_endpoint,  // the internal endpoint is the target of a port forward
  table_full,          // the engine's table of explicit mappings is full
};

// ok(): the mapping holds `external`. Otherwise `failure` (the reason a
// session could not be made: table, subscriber, pool or port limits) or
// `refusal` says why.
struct ExplicitResult {
  ExplicitEndpoint external;
  DropReason failure = DropReason::none;
  ExplicitRefusal refusal = ExplicitRefusal::none;
  bool ok() const { return failure == DropReason::none && refusal == ExplicitRefusal::none; }
};

}  // namespace masq::nat
