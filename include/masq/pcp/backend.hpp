// MappingBackend: what the PCP server needs from whoever owns the real
// mappings (the engine's binder). The server decides who may ask for what
// (nonces, quotas, options); the backend decides which external endpoint a
// mapping gets and installs it. A backend never overwrites a mapping it
// did not make for this internal endpoint: a suggested external endpoint
// held by a port forward, a static mapping, another host or a reserved
// range is either replaced by a port chosen as for any mapping or, with
// prefer_failure, refused (suggested_unavailable). Cold: called per PCP
// request, never per packet.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <span>

#include "masq/net/ipv4_addr.hpp"
#include "masq/net/port.hpp"
#include "masq/pcp/names.hpp"

namespace masq::pcp {

struct Endpoint {
  net::Ipv4Addr addr;
  std::uint16_t port = 0;
  constexpr auto operator<=>(const Endpoint&) const = default;
};

// Remote peers allowed to use a MAP mapping (RFC 6887 §13.3); no filters
// means every peer.
struct RemoteFilter {
  net::Ipv4Prefix remote;
  std::uint16_t port = 0;  // 0 = every port
  constexpr auto operator<=>(const RemoteFilter&) const = default;
};

struct MapRequest {
  net::Proto proto = net::Proto::udp;
  Endpoint internal;
  // addr 0 / port 0: no suggestion. Honoured when free in the host's pool
  // address and outside the reserved ranges.
  Endpoint suggested;
  std::uint32_t lifetime_s = 0;
  bool prefer_failure = false;  // refuse rather than offer another endpoint
  // A refresh: the external endpoint this mapping already holds.
  std::optional<Endpoint> current;
  // PEER (RFC 6887 §12): the remote peer of the outbound mapping.
  std::optional<Endpoint> peer;
  // MAP: inbound traffic allowed only from these (empty: from anyone).
  std::span<const RemoteFilter> filters;
};

struct MapResult {
  MapStatus status = MapStatus::ok;
  Endpoint external;  // meaningful when status == ok
};

// One mapping as the server made it, to release it.
struct MappingRef {
  net::Proto proto = net::Proto::udp;
  Endpoint internal;
  Endpoint external;
  std::optional<Endpoint> peer;
};

class MappingBackend {
 public:
  virtual ~MappingBackend() = default;
  virtual bool supports(net::Proto proto) const = 0;
  // Create or refresh; the backend owns port choice, quotas and conflicts.
  virtual MapResult map(const MapRequest& request, std::uint64_t now_s) = 0;
  // Release a mapping made by map() (deleted, expired, or replaced).
  virtual void unmap(const MappingRef& mapping, std::uint64_t now_s) = 0;
  // Whether a static mapping or a port forward names this internal
  // endpoint: such a mapping is the operator's, and a client asking to
  // delete it is refused (RFC 6887 §15, NOT_AUTHORIZED).
  virtual bool is_operator_mapping(net::Proto proto, Endpoint internal) const = 0;
  // The external address this internal host's mappings use (paired pooling),
  // or nullopt while the gateway has none.
  virtual std::optional<net::Ipv4Addr> external_address(net::Ipv4Addr internal) const = 0;
};

}  // namespace masq::pcp
