#include "explicit_mappings.hpp"

#include <algorithm>

namespace masq::nat {

ExplicitMappings::Entry* ExplicitMappings::find(net::Proto proto, Endpoint internal,
                                                std::optional<Endpoint> peer) {
  for (Entry& e : entries_) {
    if (e.of(proto, internal) && e.has_peer == peer.has_value() && (!peer || e.peer == *peer)) {
      return &e;
    }
  }
  return nullptr;
}

bool ExplicitMappings::put(const ExplicitRequest& r, std::uint32_t expires_s) {
  const Endpoint internal{r.internal.addr.value(), r.internal.port};
  std::optional<Endpoint> peer;
  if (r.peer) peer = Endpoint{r.peer->addr.value(), r.peer->port};
  Entry* e = find(r.proto, internal, peer);
  if (e == nullptr) {
    const auto free =
        std::find_if(entries_.begin(), entries_.end(), [](const Entry& x) { return !x.used; });
    if (free == entries_.end()) return false;
    e = &*free;
    ++size_;
  }
  *e = Entry{};
  e->used = true;
  e->proto = r.proto;
  e->internal = internal;
  e->has_peer = peer.has_value();
  if (peer) e->peer = *peer;
  e->expires_s = expires_s;
  const std::size_t n = std::min(r.filters.size(), kMaxExplicitFilters);
  for (std::size_t i = 0; i < n; ++i) {
    const ExplicitFilter& f = r.filters[i];
    e->filters[i] = {f.remote.network().value(), f.remote.mask(), f.port};
  }
  e->filter_count = static_cast<std::uint8_t>(n);
  return true;
}

void ExplicitMappings::erase(net::Proto proto, Endpoint internal, std::optional<Endpoint> peer) {
  if (Entry* e = find(proto, internal, peer)) {
    e->used = false;
    --size_;
  }
}

void ExplicitMappings::erase_anchor(net::Proto proto, Endpoint internal) {
  for (Entry& e : entries_) {
    if (e.of(proto, internal)) {
      e.used = false;
      --size_;
    }
  }
}

std::optional<std::uint32_t> ExplicitMappings::latest_expiry(net::Proto proto,
                                                             Endpoint internal) const {
  std::optional<std::uint32_t> latest;
  for (const Entry& e : entries_) {
    if (e.of(proto, internal)) latest = std::max(latest.value_or(0), e.expires_s);
  }
  return latest;
}

bool ExplicitMappings::admits(net::Proto proto, Endpoint internal, Endpoint remote,
                              std::uint32_t now_s) const {
  for (const Entry& e : entries_) {
    if (!e.of(proto, internal) || e.expires_s < now_s) continue;
    // RFC 6887 §12: a PEER mapping is the peer's.
    if (e.has_peer) {
      if (e.peer == remote) return true;
      continue;
    }
    // RFC 6887 §13.3: no FILTER, anyone; else only a remote one admits.
    if (e.filter_count == 0) return true;
    for (std::size_t i = 0; i < e.filter_count; ++i) {
      const Filter& f = e.filters[i];
      if ((remote.addr & f.mask) == f.network && (f.port == 0 || f.port == remote.port)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace masq::nat
