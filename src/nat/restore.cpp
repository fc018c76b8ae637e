// Engine::restore(): a saved session (masq/nat/restore.hpp) back in the
// table through the slow path's own create_session(), with its external
// endpoint fixed as a forward's is, so that the binder charges the
// subscriber's quotas, the table links the mapping and its indexes, and
// everything a new flow would be refused for refuses it too. What the
// current config no longer allows is checked first, against the same
// rules a packet meets: the inside networks, static NAT, the forwards,
// the host's ports, the pool address pairing (RFC 4787 REQ-2) and this
// worker's slice (port_slice.hpp). Cold: at start, before any packet.
#include "engine_impl.hpp"
#include "masq/nat/port_slice.hpp"

namespace masq::nat {
namespace {

// The state a saved session names, if it is one a session of its protocol
// can be in.
std::optional<TcpState> saved_state(const SessionView& v) {
  if (v.proto != net::Proto::tcp) {
    if (v.state != net::to_string(v.proto)) return std::nullopt;
    return TcpState::none;
  }
  const auto state = net::value_named<TcpState>(kTcpStateNames, v.state);
  if (!state || *state == TcpState::none) return std::nullopt;
  return state;
}

RestoreOutcome outcome_of(DropReason failure) {
  switch (failure) {
    case DropReason::table_full:
      return RestoreOutcome::table_full;
    case DropReason::pool_exhausted:
      return RestoreOutcome::not_in_pool;
    case DropReason::no_session:  // the mapping has another external endpoint
      return RestoreOutcome::conflict;
    default:
      return RestoreOutcome::quota;
  }
}

}  // namespace

RestoreOutcome Engine::Impl::allowed(const SessionView& v, const StaticRules& rules) const {
  const Endpoint internal{v.internal_addr.value(), v.internal_port.value()};
  const Endpoint external{v.external_addr.value(), v.external_port.value()};
  if (!rules.inside(internal.addr)) return RestoreOutcome::not_inside;
  if (rules.static_external(internal.addr)) return RestoreOutcome::static_host;
  const std::optional<Endpoint> forwarded =
      v.proto == net::Proto::icmp ? std::nullopt : rules.forward_inbound(v.proto, external);
  if (forwarded) {
    if (*forwarded != internal) {
      return v.kind == SessionKind::forward ? RestoreOutcome::forward_gone
                                            : RestoreOutcome::reserved;
    }
    return RestoreOutcome::restored;
  }
  if (v.kind == SessionKind::forward) return RestoreOutcome::forward_gone;
  if (rules.reserved(v.proto, external)) return RestoreOutcome::reserved;
  // An explicit mapping never holds what a forward targets (map_explicit).
  if (v.kind == SessionKind::pcp && rules.forward_outbound(v.proto, internal) != nullptr) {
    return RestoreOutcome::reserved;
  }
  if (binder_.pool_address(internal.addr) != external.addr) return RestoreOutcome::not_in_pool;
  return RestoreOutcome::restored;
}

RestoreOutcome Engine::restore(const SessionView& v, std::uint64_t now_ns) {
  Impl& impl = *impl_;
  SessionTable& table = impl.table_;
  table.set_now(static_cast<std::uint32_t>(now_ns / 1'000'000'000u));
  if (!net::is_supported_proto(static_cast<std::uint8_t>(v.proto))) {
    return RestoreOutcome::malformed;
  }
  if (v.kind == SessionKind::pcp) return RestoreOutcome::explicit_mapping;
  const std::optional<TcpState> state = saved_state(v);
  const Endpoint internal{v.internal_addr.value(), v.internal_port.value()};
  const Endpoint external{v.external_addr.value(), v.external_port.value()};
  const Endpoint remote{v.remote_addr.value(), v.remote_port.value()};
  // Static 1:1 traffic keeps no session; a remote 0.0.0.0:0 is an anchor's.
  if (!state || v.kind == SessionKind::static_nat || internal.addr == 0 || external.addr == 0 ||
      remote == Endpoint{}) {
    return RestoreOutcome::malformed;
  }
  if (v.expires_in_s == 0) return RestoreOutcome::expired;
  // Its two directions must meet here: WAN packets by its external
  // endpoint, LAN ones by its subscriber (but for a hairpinned flow, whose
  // LAN packets follow the destination's mapping).
  const bool hairpin = impl.policy_.hairpinning() && impl.policy_.is_ours(remote.addr);
  const WorkerSlice self = impl.cfg_.worker;
  if (self.count > 1 && (owner(v) != self.index ||
                         (!hairpin && address_owner(v.internal_addr, self.count) != self.index))) {
    return RestoreOutcome::other_worker;
  }
  if (const RestoreOutcome o = impl.allowed(v, impl.rules_); o != RestoreOutcome::restored)
    return o;

  const Session probe{.int_addr = internal.addr,
                      .rem_addr = remote.addr,
                      .ext_addr = external.addr,
                      .int_port = internal.port,
                      .rem_port = remote.port,
                      .ext_port = external.port,
                      .proto = static_cast<std::uint8_t>(v.proto)};
  if (table.in2out().find(probe.in2out_key(), table.in2out().hash(probe.in2out_key())) !=
      SessionTable::kNone) {
    return RestoreOutcome::duplicate;
  }
  if (table.out2in().find(probe.out2in_key(), table.out2in().hash(probe.out2in_key())) !=
      SessionTable::kNone) {
    return RestoreOutcome::conflict;
  }
  // A new mapping takes an external endpoint no other mapping holds; one
  // that exists must have this one (create_session() refuses otherwise).
  const net::FlowKey mapping = impl.policy_.mapping_key(internal, remote, v.proto);
  if (table.by_internal().find(mapping, table.by_internal().hash(mapping)) == SessionTable::kNone) {
    const net::FlowKey ext = probe.external_endpoint_key();
    if (table.by_external().find(ext, table.by_external().hash(ext)) != SessionTable::kNone) {
      return RestoreOutcome::conflict;
    }
  }

  NewSession n;
  n.internal = internal;
  n.remote = remote;
  n.proto = v.proto;
  n.fixed_external = &external;
  n.remote_is_ours = hairpin;
  const Created c = impl.create_session(n);
  if (c.failure != DropReason::none) return outcome_of(c.failure);
  Session& s = table[c.idx];
  if (v.proto == net::Proto::tcp) s.set_tcp_state(*state);
  s.expires_s = table.now_s() + std::min(v.expires_in_s, table.timeout_s(s));
  return RestoreOutcome::restored;
}

}  // namespace masq::nat
