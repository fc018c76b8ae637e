#include "masq/pcp/engine_backend.hpp"

#include <algorithm>
#include <array>

namespace masq::pcp {
namespace {

constexpr std::uint64_t kNsPerS = 1'000'000'000u;

nat::ExplicitEndpoint to_nat(Endpoint e) {
  return {e.addr, e.port};
}

}  // namespace

MapStatus map_status(const nat::ExplicitResult& result, bool has_external_address) {
  using nat::DropReason;
  using nat::ExplicitRefusal;
  switch (result.refusal) {
    case ExplicitRefusal::none:
      break;
    case ExplicitRefusal::suggested_taken:
      return MapStatus::suggested_unavailable;
    case ExplicitRefusal::static_host:
      return MapStatus::internal_is_static;
    case ExplicitRefusal::forwarded_endpoint:
      return MapStatus::internal_is_forwarded;
    case ExplicitRefusal::table_full:
      return MapStatus::no_resources;
  }
  switch (result.failure) {
    case DropReason::none:
      return MapStatus::ok;
    // RFC 6887 §7.4 USER_EX_QUOTA: the host's own share is used up.
    case DropReason::subscriber_sessions:
    case DropReason::subscriber_ports:
      return MapStatus::user_ex_quota;
    default:
      return has_external_address ? MapStatus::no_resources : MapStatus::no_external_address;
  }
}

bool EngineBackend::supports(net::Proto proto) const {
  // ICMP identifiers are no ports a client could map.
  return proto == net::Proto::tcp || proto == net::Proto::udp;
}

MapResult EngineBackend::map(const MapRequest& request, std::uint64_t now_s) {
  std::array<nat::ExplicitFilter, nat::kMaxExplicitFilters> filters{};
  const std::size_t n = std::min(request.filters.size(), filters.size());
  for (std::size_t i = 0; i < n; ++i) {
    filters[i] = {request.filters[i].remote, request.filters[i].port};
  }
  nat::ExplicitRequest r;
  r.proto = request.proto;
  r.internal = to_nat(request.internal);
  // A refresh keeps the endpoint the mapping holds.
  r.suggested = to_nat(request.current.value_or(request.suggested));
  r.prefer_failure = request.prefer_failure;
  if (request.peer) r.peer = to_nat(*request.peer);
  r.filters = {filters.data(), n};
  r.lifetime_s = request.lifetime_s;
  const nat::ExplicitResult result = engine_.map_explicit(r, now_s * kNsPerS);
  const MapStatus status =
      map_status(result, engine_.external_address(request.internal.addr).has_value());
  if (status != MapStatus::ok) return {status, {}};
  return {MapStatus::ok, {result.external.addr, result.external.port}};
}

void EngineBackend::unmap(const MappingRef& mapping, std::uint64_t now_s) {
  std::optional<nat::ExplicitEndpoint> peer;
  if (mapping.peer) peer = to_nat(*mapping.peer);
  engine_.unmap_explicit(mapping.proto, to_nat(mapping.internal), peer, now_s * kNsPerS);
}

bool EngineBackend::is_operator_mapping(net::Proto proto, Endpoint internal) const {
  return engine_.is_operator_mapping(proto, to_nat(internal));
}

std::optional<net::Ipv4Addr> EngineBackend::external_address(net::Ipv4Addr internal) const {
  return engine_.external_address(internal);
}

}  // namespace masq::pcp
