// The slow path for packets that matched no session: the policy decides
// what becomes of them, the binder gives a new session its external
// endpoint, the session table takes it; and hairpinning.
#include "engine_impl.hpp"

namespace masq::nat {

// A new session costs several random accesses: the mapping of the internal
// endpoint, the subscriber, the external endpoint the port choice tries
// first and its out2in slot, and, while the ports tried are taken, the
// session holding each and the next port the choice will try. They are
// started for every new flow of the chunk before any is made, in waves,
// each needing what the one before loaded: the subscriber gives the pool
// address; a port's slot tells whether the port is likely taken. The
// hashes computed for them and the random start (drawn here, in packet
// order, so replays stay deterministic) are kept for making the session.
// Hints only: first_in2out() decides everything afresh, so a wrong guess
// (a port that turns out taken, a mapping that exists) costs a wasted
// load, never a wrong result.
void Engine::Impl::prefetch_new_flows(std::span<const Pending> pending,
                                      std::span<NewFlowHashes> new_flows) {
  for (std::size_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    if (p.kind != Pending::Kind::lookup) continue;
    NewFlowHashes& h = new_flows[i];
    h.in2out = p.hash;
    h.mapping = table_.by_internal().hash(
        policy_.mapping_key({p.key.src.value(), p.key.src_port.value()},
                            {p.key.dst.value(), p.key.dst_port.value()}, p.key.proto));
    table_.by_internal().prefetch(h.mapping);
    binder_.guess_start(p.key, h);
  }
  for (std::size_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    if (p.kind == Pending::Kind::lookup) binder_.guess_first(p.key, new_flows[i]);
  }
  // A guessed port whose slot holds a matching tag is most likely taken:
  // the port choice will read that session to be sure, then try the next.
  for (std::size_t wave = 1; wave < kPortGuesses; ++wave) {
    for (std::size_t i = 0; i < pending.size(); ++i) {
      NewFlowHashes& h = new_flows[i];
      if (pending[i].kind != Pending::Kind::lookup || h.guesses != wave) continue;
      if (const std::uint32_t idx = table_.by_external().candidate(h.tried[wave - 1].external_hash);
          idx != kNone) {
        __builtin_prefetch(&table_[idx]);
        binder_.guess_next(pending[i].key, h);
      }
    }
  }
}

Created Engine::Impl::create_session(const NewSession& n) {
  Created c = try_create_session(n);
  // Expired sessions hold their slot, subscriber, quota and port until the
  // sweep reaches them. Under pressure they are reclaimed first and the
  // attempt repeated once; a live session is never evicted (RFC 6888 REQ-11).
  // A host over its rate gains nothing from a reclaim: it is refused at once.
  if (c.failure != DropReason::none && c.failure != DropReason::no_session &&
      c.failure != DropReason::subscriber_rate &&
      table_.reclaim_expired(cfg_.reclaim_scan_limit, [this](const SessionTable::Removed& r) {
        removed(r, DeleteReason::reclaimed);
      }) != 0) {
    c = try_create_session(n);
  }
  return c;
}

Created Engine::Impl::try_create_session(const NewSession& n) {
  const NewFlowHashes* const hashes = n.hashes;
  const std::uint32_t idx = table_.take_slot();
  if (idx == kNone) return {kNone, DropReason::table_full};
  DropReason failure = DropReason::none;
  Subscriber* sub = binder_.subscriber_for(n.internal.addr, failure);
  if (sub == nullptr) {
    table_.return_slot(idx);
    return {kNone, failure};
  }
  // Only what the host opens itself counts against its rate.
  if (n.fixed_external == nullptr && !session_rate_.admit(*sub, table_.now_s())) {
    binder_.abandon(sub);
    table_.return_slot(idx);
    return {kNone, DropReason::subscriber_rate};
  }
  const net::FlowKey mapping = policy_.mapping_key(n.internal, n.remote, n.proto);
  const std::uint64_t mapping_hash =
      hashes != nullptr ? hashes->mapping : table_.by_internal().hash(mapping);
  const std::uint32_t ring = table_.by_internal().find(mapping, mapping_hash);
  Endpoint mapped;
  if (ring != kNone) mapped = {table_[ring].ext_addr, table_[ring].ext_port};
  const Binding b = binder_.bind(*sub, {.internal = n.internal,
                                        .proto = n.proto,
                                        .mapped = ring != kNone ? &mapped : nullptr,
                                        .fixed_external = n.fixed_external,
                                        .hashes = hashes,
                                        .suggested = n.suggested});
  if (b.failure != DropReason::none) {
    binder_.abandon(sub);
    table_.return_slot(idx);
    return {kNone, b.failure};
  }
  const Endpoint external = b.external;
  Session& s = table_[idx];
  s = Session{};
  accounting_.reset(idx);
  s.int_addr = n.internal.addr;
  s.int_port = n.internal.port;
  s.ext_addr = external.addr;
  s.ext_port = external.port;
  s.rem_addr = n.remote.addr;
  s.rem_port = n.remote.port;
  s.proto = static_cast<std::uint8_t>(n.proto);
  if (n.remote_is_ours) s.flags |= Session::kFlagHairpin;
  s.set_mapping(policy_.mapping(n.proto));
  if (n.proto == net::Proto::tcp) {
    s.set_tcp_state(n.fixed_external == nullptr ? TcpState::syn_out : TcpState::syn_in);
  }
  const SessionDeltas d =
      compute_deltas(n.proto, n.internal.addr, n.internal.port, external.addr, external.port);
  s.ip_delta = d.ip.raw();
  s.l4_delta = d.l4.raw();
  s.expires_s = table_.now_s() + table_.timeout_s(s);
  SessionTable::LinkHashes h;
  h.in2out = hashes != nullptr ? hashes->in2out : table_.in2out().hash(s.in2out_key());
  const PortGuess* guess = hashes != nullptr ? hashes->guess_for(external) : nullptr;
  h.out2in = guess != nullptr ? guess->out2in_hash : table_.out2in().hash(s.out2in_key());
  if (ring == kNone) {
    h.mapping = mapping_hash;
    h.external =
        b.external_hash ? *b.external_hash : table_.by_external().hash(s.external_endpoint_key());
    ++counters_.mappings_created;
  }
  table_.link(idx, ring, h);
  binder_.commit(*sub, ring == kNone, n.proto);
  ++counters_.sessions_created;
  record(s, EventType::create, DeleteReason::none);
  return {idx, DropReason::none};
}

void Engine::Impl::remove_expired(std::uint32_t idx, DeleteReason why) {
  table_.expire(idx, [this, why](const SessionTable::Removed& r) { removed(r, why); });
}

Verdict Engine::Impl::first_in2out(const Pending& p, const NewFlowHashes& hashes) {
  const net::ParsedPacket& pkt = *p.pkt;
  // An earlier packet of this batch may have made the session; an expired
  // one is freed so that the flow starts afresh.
  if (const std::uint32_t idx = table_.in2out().find(p.key, p.hash); idx != kNone) {
    if (table_.alive(table_[idx])) return translate_hit<Side::lan>(idx, pkt);
    remove_expired(idx);
  }
  const net::Proto proto = p.key.proto;
  const OutboundMiss miss = policy_.outbound_miss(p.key, opens_session(pkt, proto));
  switch (miss.kind) {
    case OutboundMiss::Kind::drop:
      return drop(miss.reason);
    case OutboundMiss::Kind::untranslated:
      pkt.ip.set_checksum(decrement_ttl(pkt.ip).apply(pkt.ip.checksum()));
      clamp_syn(pkt);
      ++counters_.untranslated;
      return Verdict::forward(miss.action);
    case OutboundMiss::Kind::static_nat: {
      const Rewrite outbound =
          address_only(proto, p.key.src.value(), miss.external, port_of(pkt, Field::source));
      if (miss.hairpin) return hairpin(pkt, outbound, kNone);
      apply(pkt, outbound, Field::source, /*decrement=*/true);
      clamp_syn(pkt);
      ++counters_.in2out;
      return Verdict::forward(Action::forward_wan);
    }
    case OutboundMiss::Kind::open:
      break;
  }
  NewSession n;
  n.internal = {p.key.src.value(), p.key.src_port.value()};
  n.remote = {p.key.dst.value(), p.key.dst_port.value()};
  n.proto = proto;
  n.remote_is_ours = miss.hairpin;
  n.hashes = &hashes;
  const Created c = create_session(n);
  // RFC 5508 REQ-8, RFC 6888 REQ-11: no session possible -> ICMP 3/13.
  if (c.failure != DropReason::none) return refuse(c.failure);
  // RFC 5382 REQ-4: the outbound SYN of a connection whose inbound SYN is
  // held: that one is now dropped without an answer.
  if (!syn_hold_.empty() && proto == net::Proto::tcp) syn_hold_.cancel(table_[c.idx].out2in_key());
  return translate_hit<Side::lan>(c.idx, pkt);
}

// A LAN packet to one of our external endpoints: it leaves through the
// in2out rewrite and comes back in through the out2in one, so the LAN
// receiver sees the sender's external endpoint (RFC 4787 REQ-9a, RFC 5382
// REQ-8); the TTL drops once. Both halves are settled before the packet is
// touched, so a refused packet stays as it came.
Verdict Engine::Impl::hairpin(const net::ParsedPacket& pkt, const Rewrite& outbound,
                              std::uint32_t origin) {
  const net::FlowKey key = rewritten_key(pkt, outbound, Field::source);
  std::uint32_t target = kNone;
  Rewrite inbound;
  if (const std::uint32_t idx = table_.out2in().find(key, table_.out2in().hash(key));
      idx != kNone && table_.alive(table_[idx])) {
    target = idx;
  } else {
    const auto behind = policy_.behind_external(key, opens_inbound(pkt, key.proto));
    if (!behind || behind->kind == InboundMiss::Kind::drop) return drop(DropReason::no_session);
    if (behind->kind == InboundMiss::Kind::static_nat) {
      // An echo has one identifier, which the outbound half has just set.
      const std::uint16_t port =
          key.proto == net::Proto::icmp ? outbound.port : port_of(pkt, Field::destination);
      inbound = address_only(key.proto, key.dst.value(), behind->internal.addr, port);
    } else {
      const Endpoint external{key.dst.value(), key.dst_port.value()};
      NewSession n;
      n.internal = behind->internal;
      n.remote = {outbound.addr, outbound.port};
      n.proto = key.proto;
      n.fixed_external = &external;
      n.remote_is_ours = true;
      const Created c = create_session(n);
      if (c.failure != DropReason::none) return refuse(c.failure);
      target = c.idx;
    }
  }
  // Both sessions see the packet: it leaves through one, comes back
  // in through the other.
  if (origin != kNone) accounting_.count<true>(origin, pkt);
  if (target != kNone) {
    inbound = to_internal(table_[target]);
    accounting_.count<false>(target, pkt);
  }
  apply(pkt, outbound, Field::source, /*decrement=*/true);
  apply(pkt, inbound, Field::destination, /*decrement=*/false);
  if (target != kNone) refresh</*in2out=*/false>(table_[target], pkt);
  ++counters_.hairpinned;
  return Verdict::forward(Action::hairpin);
}

void Engine::Impl::hold_unsolicited_syn(const net::ParsedPacket& pkt, const net::FlowKey& key) {
  if (key.proto != net::Proto::tcp || !opens_session(pkt, key.proto)) return;
  if (syn_hold_.hold(key, {pkt.ip.data(), pkt.ip.total_length()}, now_ns_)) ++counters_.syns_held;
}

Verdict Engine::Impl::first_out2in(const net::ParsedPacket& pkt, const net::FlowKey& key) {
  if (const std::uint32_t idx = table_.out2in().find(key, table_.out2in().hash(key));
      idx != kNone) {
    if (table_.alive(table_[idx])) return translate_hit<Side::wan>(idx, pkt);
    remove_expired(idx);
  }
  const InboundMiss miss = policy_.inbound_miss(key, opens_inbound(pkt, key.proto));
  switch (miss.kind) {
    case InboundMiss::Kind::drop:
      if (miss.reason == DropReason::no_session && cfg_.unsolicited_syn_icmp) {
        hold_unsolicited_syn(pkt, key);
      }
      return drop(miss.reason);
    case InboundMiss::Kind::untranslated:
      pkt.ip.set_checksum(decrement_ttl(pkt.ip).apply(pkt.ip.checksum()));
      clamp_syn(pkt);
      ++counters_.untranslated;
      return Verdict::forward(Action::forward_lan);
    case InboundMiss::Kind::static_nat:
      apply(pkt,
            address_only(key.proto, key.dst.value(), miss.internal.addr,
                         port_of(pkt, Field::destination)),
            Field::destination, /*decrement=*/true);
      clamp_syn(pkt);
      ++counters_.out2in;
      return Verdict::forward(Action::forward_lan);
    case InboundMiss::Kind::forward:
    case InboundMiss::Kind::admitted:
      break;
  }
  const Endpoint external{key.dst.value(), key.dst_port.value()};
  NewSession n;
  n.internal = miss.internal;
  n.remote = {key.src.value(), key.src_port.value()};
  n.proto = key.proto;
  n.fixed_external = &external;
  const Created c = create_session(n);
  if (c.failure != DropReason::none) return refuse(c.failure);
  return translate_hit<Side::wan>(c.idx, pkt);
}

}  // namespace masq::nat
