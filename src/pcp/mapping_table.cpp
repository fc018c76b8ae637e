#include "mapping_table.hpp"

#include <limits>

namespace masq::pcp {

MappingRef Mapping::ref() const {
  MappingRef r;
  r.proto = proto;
  r.internal = internal;
  r.external = external;
  if (origin == Origin::pcp_peer) r.peer = peer;
  return r;
}

MappingTable::MappingTable(std::size_t capacity) : slots_(capacity) {}

std::size_t MappingTable::count_host(net::Ipv4Addr internal) const {
  std::size_t n = 0;
  for (const Slot& s : slots_) {
    if (s.used && s.mapping.internal.addr == internal) ++n;
  }
  return n;
}

Mapping* MappingTable::find_inbound(net::Proto proto, Endpoint internal) {
  for (Slot& s : slots_) {
    if (s.used && s.mapping.is_inbound() && s.mapping.proto == proto &&
        s.mapping.internal == internal)
      return &s.mapping;
  }
  return nullptr;
}

Mapping* MappingTable::find_peer(net::Proto proto, Endpoint internal, Endpoint peer) {
  for (Slot& s : slots_) {
    if (s.used && s.mapping.origin == Origin::pcp_peer && s.mapping.proto == proto &&
        s.mapping.internal == internal && s.mapping.peer == peer)
      return &s.mapping;
  }
  return nullptr;
}

Mapping* MappingTable::insert(const Mapping& m) {
  for (Slot& s : slots_) {
    if (!s.used) {
      s.used = true;
      s.mapping = m;
      ++size_;
      return &s.mapping;
    }
  }
  return nullptr;
}

void MappingTable::erase(Mapping* m) {
  for (Slot& s : slots_) {
    if (s.used && &s.mapping == m) {
      s.used = false;
      --size_;
      return;
    }
  }
}

void MappingTable::clear() {
  for (Slot& s : slots_) s.used = false;
  size_ = 0;
}

std::uint64_t MappingTable::next_expiry_s() const {
  std::uint64_t next = std::numeric_limits<std::uint64_t>::max();
  for (const Slot& s : slots_) {
    if (s.used && s.mapping.expire_s < next) next = s.mapping.expire_s;
  }
  return next;
}

}  // namespace masq::pcp
