// ExplicitMappings: the engine's record of the explicit mappings
// (masq/nat/explicit_mapping.hpp) and of whom each admits. In the session
// table an explicit mapping is one anchor session per (protocol, internal
// endpoint): a session with remote 0.0.0.0:0, which no packet can match
// (the router drops 0.0.0.0/8 on both sides as a martian), that holds the
// mapping's external endpoint, quota and index entries until the latest of
// its entries here expires. Each entry is one request's claim on the anchor
// (a MAP, or a PEER with its peer). Fixed capacity, allocated at
// construction; linear scans, as the table is touched only per PCP request
// and by the first packet of an inbound flow to an anchored mapping. Cold.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "masq/nat/explicit_mapping.hpp"
#include "session.hpp"
#include "static_rules.hpp"

namespace masq::nat {

// The anchor of an explicit mapping (see above).
inline bool is_explicit_anchor(const Session& s) {
  return s.rem_addr == 0 && s.rem_port == 0 && s.in_use();
}

class ExplicitMappings {
 public:
  explicit ExplicitMappings(std::uint32_t capacity) : entries_(capacity) {}

  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == entries_.size(); }
  std::size_t size() const { return size_; }

  // Creates or replaces the entry of (proto, internal, peer); false when full.
  bool put(const ExplicitRequest& r, std::uint32_t expires_s);
  // Removes the entry of (proto, internal, peer), if any.
  void erase(net::Proto proto, Endpoint internal, std::optional<Endpoint> peer);
  // Removes every entry of the anchor (proto, internal): the anchor went.
  void erase_anchor(net::Proto proto, Endpoint internal);
  // The latest expiry of the anchor's entries; nullopt when it has none.
  std::optional<std::uint32_t> latest_expiry(net::Proto proto, Endpoint internal) const;
  // Whether an entry of the anchor, alive at now_s, admits `remote`.
  bool admits(net::Proto proto, Endpoint internal, Endpoint remote, std::uint32_t now_s) const;

 private:
  struct Filter {
    std::uint32_t network = 0;
    std::uint32_t mask = 0;
    std::uint16_t port = 0;  // 0: every port
  };
  struct Entry {
    bool used = false;
    net::Proto proto = net::Proto::udp;
    Endpoint internal;
    bool has_peer = false;
    Endpoint peer;
    std::uint32_t expires_s = 0;
    std::uint8_t filter_count = 0;
    std::array<Filter, kMaxExplicitFilters> filters{};

    bool of(net::Proto p, Endpoint i) const { return used && proto == p && internal == i; }
  };
  Entry* find(net::Proto proto, Endpoint internal, std::optional<Endpoint> peer);

  std::vector<Entry> entries_;
  std::size_t size_ = 0;
};

}  // namespace masq::nat
