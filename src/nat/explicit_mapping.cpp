// Explicit mappings (masq/nat/explicit_mapping.hpp) in the engine: each is
// an anchor session (explicit_mappings.hpp) made through the same binder,
// quotas and session table as any new flow, so that it is a real mapping:
// outbound flows of the internal endpoint join it (RFC 6887 §11.1: the
// mapping serves outbound traffic too) and inbound ones find it through the
// policy. Cold: per PCP request.
#include <limits>

#include "engine_impl.hpp"

namespace masq::nat {
namespace {

Endpoint endpoint_of(ExplicitEndpoint e) {
  return {e.addr.value(), e.port};
}

}  // namespace

std::uint32_t Engine::Impl::find_anchor(net::Proto proto, Endpoint internal) const {
  const net::FlowKey key = endpoint_key(net::Ipv4Addr(internal.addr), internal.port, proto);
  const std::uint32_t idx = table_.in2out().find(key, table_.in2out().hash(key));
  return idx != kNone && is_explicit_anchor(table_[idx]) ? idx : kNone;
}

ExplicitResult Engine::Impl::map_explicit(const ExplicitRequest& r) {
  const Endpoint internal = endpoint_of(r.internal);
  ExplicitResult out;
  // The operator's rules decide these endpoints (RFC 6887 §11.3).
  if (rules_.static_external(internal.addr)) {
    out.refusal = ExplicitRefusal::static_host;
    return out;
  }
  if (rules_.forward_outbound(r.proto, internal) != nullptr) {
    out.refusal = ExplicitRefusal::forwarded_endpoint;
    return out;
  }
  std::uint32_t anchor = find_anchor(r.proto, internal);
  if (anchor != kNone && !table_.alive(table_[anchor])) {
    remove_expired(anchor);
    anchor = kNone;
  }
  Endpoint suggested = endpoint_of(r.suggested);
  if (anchor == kNone && r.prefer_failure && suggested.port != 0) {
    // RFC 6887 §13.2: the suggested endpoint or nothing. Where a mapping of
    // the endpoint exists, the anchor joins it (and its external endpoint).
    const net::FlowKey mapping = policy_.mapping_key(internal, {}, r.proto);
    const std::uint32_t ring =
        table_.by_internal().find(mapping, table_.by_internal().hash(mapping));
    const std::optional<std::uint32_t> addr = binder_.pool_address(internal.addr);
    const bool addr_ok = addr && (suggested.addr == 0 || suggested.addr == *addr);
    const bool free = ring != kNone
                          ? addr_ok && table_[ring].ext_port == suggested.port
                          : addr_ok && binder_.available(r.proto, {*addr, suggested.port});
    if (!free) {
      out.refusal = ExplicitRefusal::suggested_taken;
      return out;
    }
  }
  const std::uint64_t expires = std::uint64_t{table_.now_s()} + r.lifetime_s;
  if (!explicit_.put(r, static_cast<std::uint32_t>(std::min<std::uint64_t>(
                            expires, std::numeric_limits<std::uint32_t>::max() - 1)))) {
    out.refusal = ExplicitRefusal::table_full;
    return out;
  }
  if (anchor == kNone) {
    NewSession n;
    n.internal = internal;
    n.proto = r.proto;
    n.suggested = suggested.port != 0 ? &suggested : nullptr;
    const Created c = create_session(n);
    if (c.failure != DropReason::none) {
      explicit_.erase_anchor(r.proto, internal);
      out.failure = c.failure;
      return out;
    }
    anchor = c.idx;
  }
  Session& s = table_[anchor];
  s.expires_s = *explicit_.latest_expiry(r.proto, internal);
  out.external = {net::Ipv4Addr(s.ext_addr), s.ext_port};
  return out;
}

void Engine::Impl::unmap_explicit(net::Proto proto, Endpoint internal,
                                  std::optional<Endpoint> peer) {
  explicit_.erase(proto, internal, peer);
  const std::uint32_t anchor = find_anchor(proto, internal);
  if (anchor == kNone) return;
  Session& s = table_[anchor];
  if (const auto latest = explicit_.latest_expiry(proto, internal)) {
    s.expires_s = *latest;
    return;
  }
  // The last claim went: the anchor ends now, its port resting as any
  // released port does (RFC 6888 REQ-8) unless another flow holds it.
  s.expires_s = table_.now_s();
  remove_expired(anchor, DeleteReason::unmapped);
}

ExplicitResult Engine::map_explicit(const ExplicitRequest& r, std::uint64_t now_ns) {
  impl_->now_ns_ = now_ns;
  impl_->table_.set_now(static_cast<std::uint32_t>(now_ns / 1'000'000'000u));
  return impl_->map_explicit(r);
}

void Engine::unmap_explicit(net::Proto proto, ExplicitEndpoint internal,
                            std::optional<ExplicitEndpoint> peer, std::uint64_t now_ns) {
  impl_->now_ns_ = now_ns;
  impl_->table_.set_now(static_cast<std::uint32_t>(now_ns / 1'000'000'000u));
  std::optional<Endpoint> p;
  if (peer) p = endpoint_of(*peer);
  impl_->unmap_explicit(proto, endpoint_of(internal), p);
}

bool Engine::is_operator_mapping(net::Proto proto, ExplicitEndpoint internal) const {
  const StaticRules& rules = impl_->rules_;
  return rules.static_external(internal.addr.value()).has_value() ||
         rules.forward_outbound(proto, endpoint_of(internal)) != nullptr;
}

std::optional<net::Ipv4Addr> Engine::external_address(net::Ipv4Addr internal) const {
  if (const auto external = impl_->rules_.static_external(internal.value())) {
    return net::Ipv4Addr(*external);
  }
  const auto addr = impl_->binder_.pool_address(internal.value());
  if (!addr) return std::nullopt;
  return net::Ipv4Addr(*addr);
}

}  // namespace masq::nat
