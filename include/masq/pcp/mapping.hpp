// Mapping: one mapping the PCP server granted, as its own table keeps it
// (who asked, with which nonce and filters, until when) and as masqd saves
// it across a restart (Server::for_each_mapping() and restore()). The
// translation itself is the MappingBackend's. Cold.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "masq/pcp/backend.hpp"
#include "masq/pcp/pcp_wire.hpp"

namespace masq::pcp {

inline constexpr std::size_t kMaxFiltersPerMapping = 8;

// MAP and NAT-PMP mappings are both inbound mappings of one internal
// endpoint and share its key; PEER mappings are keyed by their peer too.
enum class Origin : std::uint8_t { pcp_map, pcp_peer, natpmp };
inline constexpr std::size_t kOriginCount = 3;

struct Mapping {
  Origin origin = Origin::pcp_map;
  net::Proto proto = net::Proto::udp;
  Endpoint internal;
  Endpoint external;
  Endpoint peer;               // pcp_peer only
  Nonce nonce{};               // natpmp: none (all zero)
  std::uint64_t expire_s = 0;  // on the server's clock
  std::uint8_t filter_count = 0;
  std::array<RemoteFilter, kMaxFiltersPerMapping> filters{};

  MappingRef ref() const;
  bool is_inbound() const { return origin != Origin::pcp_peer; }
};

}  // namespace masq::pcp
