// MappingTable: the PCP server's own record of the mappings it made (who
// asked, with which nonce and filters, until when). Fixed capacity from
// ServerConfig::max_mappings, allocated once at construction; lookups are
// linear scans, which is fine for a table touched once per PCP request.
// The real translation state lives in the MappingBackend. Cold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "masq/pcp/mapping.hpp"

namespace masq::pcp {

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
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (const Slot& s : slots_) {
      if (s.used) fn(s.mapping);
    }
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
