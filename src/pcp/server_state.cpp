// Server state across a restart: the mappings and the epoch that masqd
// saves and gives back (its snapshot, docs/operations.md). A restored
// mapping goes through the backend as a request would, so that it is a
// real mapping again (quotas, conflicts), but only on the external
// endpoint it had: a client that refreshes it must find it unchanged
// (RFC 6887 §11.3), so anything else is refused. Cold: at start.
#include <algorithm>
#include <limits>

#include "mapping_table.hpp"
#include "masq/pcp/server.hpp"

namespace masq::pcp {

void Server::for_each_mapping(
    std::uint64_t now_s,
    const std::function<void(const Mapping&, std::uint32_t left_s)>& visit) const {
  table_->for_each([&](const Mapping& m) {
    if (m.expire_s <= now_s) return;
    visit(m, static_cast<std::uint32_t>(std::min<std::uint64_t>(
                 m.expire_s - now_s, std::numeric_limits<std::uint32_t>::max())));
  });
}

MapStatus Server::restore(const Mapping& saved, std::uint32_t left_s, std::uint64_t now_s) {
  if (!backend_.supports(saved.proto) || left_s == 0) return MapStatus::unsupported_protocol;
  const bool peer = saved.origin == Origin::pcp_peer;
  const bool taken = peer ? table_->find_peer(saved.proto, saved.internal, saved.peer) != nullptr
                          : table_->find_inbound(saved.proto, saved.internal) != nullptr;
  if (taken || table_->full()) return MapStatus::no_resources;
  if (table_->count_host(saved.internal.addr) >= config_.max_mappings_per_host)
    return MapStatus::user_ex_quota;
  const std::size_t filters = std::min<std::size_t>(saved.filter_count, config_.max_filters);
  MapRequest r;
  r.proto = saved.proto;
  r.internal = saved.internal;
  r.suggested = saved.external;
  r.lifetime_s = std::min(left_s, config_.max_lifetime_s);
  r.prefer_failure = true;
  if (peer) r.peer = saved.peer;
  r.filters = std::span<const RemoteFilter>(saved.filters.data(), filters);
  const MapResult result = backend_.map(r, now_s);
  if (result.status != MapStatus::ok) return result.status;
  Mapping m = saved;
  m.external = result.external;
  m.expire_s = now_s + r.lifetime_s;
  m.filter_count = static_cast<std::uint8_t>(filters);
  if (result.external != saved.external) {
    backend_.unmap(m.ref(), now_s);
    return MapStatus::suggested_unavailable;
  }
  table_->insert(m);
  next_expiry_s_ = std::min(next_expiry_s_, m.expire_s);
  return MapStatus::ok;
}

void Server::continue_epoch(std::uint64_t age_s, std::uint64_t now_s) {
  epoch_start_s_ = now_s;
  epoch_at_start_s_ = age_s;
}

}  // namespace masq::pcp
