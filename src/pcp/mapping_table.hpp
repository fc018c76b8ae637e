// MappingTable: the PCP server's own record of the mappings it made (who
// asked, with which nonce and filters, until when). Fixed capacity from
// ServerConfig::max_mappings, allocated once at construction; lookups are
// linear scans, which is fine for a table touched once per PCP request.
// The real translation state lives in the MappingBackend. Cold.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "masq/pcp/backend.hpp"
#include "masq/pcp/pcp_wire.hpp"

namespace masq::pcp {

inline constexpr std::size_t kMaxFiltersPerMapping = 8;

// MAP and NAT-PMP mappings are both inbound mappings of one internal
// endpoint and share its key; PEER mappings are keyed by their peer too.
enum class Origin : std::uint8_t { pcp_map, pcp_peer, natpmp };

struct Mapping {
  Origin origin = Origin::pcp_map;
  net::Proto proto = net::Proto::udp;
  Endpoint internal;
  Endpoint external;
  Endpoint peer;  // pcp_peer only
  Nonce nonce{};  // natpmp: none (all zero)
  std::uint64_t expire_s = 0;
  std::uint8_t filter_count = 0;
  std::array<RemoteFilter, kMaxFiltersPerMapping> filters{};

  MappingRef ref() const;
  bool is_inbound() const { return origin != Origin::pcp_peer; }
};

class MappingTable {
 public:
  explicit MappingTable(std::size_t capacity);

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return slots_.size(); }
  bool full() const { return size_ == slots_.size(); }
  std::size_t count_host(net::Ipv4Addr internal) const;

  Mapping* find_inbound(net::Proto proto, Endpoint internal);
  Mapping* find_peer(net::Proto proto, Endpoint internal, Endpoint peer);
  // nullptr when full.
  Mapping* insert(const Mapping& m);
  void erase(Mapping* m);
  void clear();

  // Calls fn(mapping) for every mapping for which pred(mapping) holds, then
  // erases it; returns how many.
  template <typename Pred, typename Fn>
  std::size_t erase_if(Pred&& pred, Fn&& fn) {
    std::size_t n = 0;
    for (Slot& s : slots_) {
      if (s.used && pred(s.mapping)) {
        fn(s.mapping);
        s.used = false;
        --size_;
        ++n;
      }
    }
    return n;
  }
  // The earliest expire_s of any mapping (UINT64_MAX when empty).
  std::uint64_t next_expiry_s() const;

 private:
  struct Slot {
    bool used = false;
    Mapping mapping;
  };
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace masq::pcp
