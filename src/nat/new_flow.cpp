// The slow path for packets that matched no session: static rules,
// exclusions, opening new sessions, and hairpinning.
#include "engine_impl.hpp"
#include "port_chooser.hpp"

namespace masq::nat {
namespace {

bool opens_tcp(const TcpFlags& f) {
  return f.syn && !f.ack && !f.rst;
}

}  // namespace

bool Engine::Impl::is_ours(std::uint32_t addr) const {
  if (addr < ours_first_ || addr > ours_last_) return false;
  return pool_.contains(addr) || rules_.static_internal(addr) || rules_.is_forward_address(addr);
}

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
    h.mapping = by_internal_.hash(endpoint_key(p.key.src, p.key.src_port.value(), p.key.proto));
    h.guesses = 0;
    const PortRange range = port_class(p.key.proto, p.key.src_port.value());
    h.first_start = random_start(rng_, std::uint32_t{range.last} - range.first + 1);
    by_internal_.prefetch(h.mapping);
    subscribers_.prefetch(p.key.src.value());
  }
  // Guesses the port the choice tries after the ones already guessed: the
  // kept port first when it may be kept, then the probe from its start.
  const auto guess_next = [&](const Pending& p, NewFlowHashes& h) {
    const std::uint16_t internal = p.key.src_port.value();
    const PortRange range = port_class(p.key.proto, internal);
    std::uint16_t port = internal;
    if (h.guesses != 0 || !cfg_.preserve_port || !range.contains(internal)) {
      port = static_cast<std::uint16_t>(range.first + h.probe_offset);
      h.probe_offset = next_offset(h.probe_offset, std::uint32_t{range.last} - range.first + 1);
    }
    PortGuess& g = h.tried[h.guesses++];
    g.port = port;
    g.external_hash =
        by_external_.hash(endpoint_key(net::Ipv4Addr(h.pool_addr), port, p.key.proto));
    g.out2in_hash = out2in_.hash(net::FlowKey::of(p.key.dst.value(), h.pool_addr,
                                                  p.key.dst_port.value(), port, p.key.proto));
    by_external_.prefetch(g.external_hash);
    out2in_.prefetch(g.out2in_hash);
  };
  for (std::size_t i = 0; i < pending.size(); ++i) {
    const Pending& p = pending[i];
    if (p.kind != Pending::Kind::lookup) continue;
    // A host without a subscriber yet will most likely get its pool home.
    const Subscriber* sub = subscribers_.find(p.key.src.value());
    std::uint32_t pool_index = kNone;
    if (sub != nullptr) {
      pool_index = sub->pool_index;
    } else if (pool_.size() != 0) {
      pool_index = pool_.home(p.key.src.value());
    }
    if (pool_index >= pool_.size()) continue;
    NewFlowHashes& h = new_flows[i];
    h.pool_addr = pool_.address(pool_index);
    h.probe_offset = h.first_start;
    guess_next(p, h);
  }
  // A guessed port whose slot holds a matching tag is most likely taken:
  // the port choice will read that session to be sure, then try the next.
  for (std::size_t wave = 1; wave < kPortGuesses; ++wave) {
    for (std::size_t i = 0; i < pending.size(); ++i) {
      NewFlowHashes& h = new_flows[i];
      if (pending[i].kind != Pending::Kind::lookup || h.guesses != wave) continue;
      if (const std::uint32_t idx = by_external_.candidate(h.tried[wave - 1].external_hash);
          idx != kNone) {
        __builtin_prefetch(&sessions_[idx]);
        guess_next(pending[i], h);
      }
    }
  }
}

Verdict Engine::Impl::first_in2out(const Pending& p, const NewFlowHashes& hashes) {
  const net::ParsedPacket& pkt = p.pkt;
  // An earlier packet of this batch may have made the session; an expired
  // one is freed so that the flow starts afresh.
  if (const std::uint32_t idx = in2out_.find(p.key, p.hash); idx != kNone) {
    if (alive(sessions_[idx])) return translate_hit<Side::lan>(idx, pkt);
    remove_session(idx);
    ++counters_.sessions_expired;
  }
  const std::uint32_t src = p.key.src.value();
  const std::uint32_t dst = p.key.dst.value();
  const net::Proto proto = p.key.proto;
  if (!rules_.inside(src)) return drop(DropReason::source_not_inside);

  // Between inside networks, and to excluded destinations (RFC 6888
  // REQ-6), the gateway routes without translating.
  const bool dst_inside = rules_.inside(dst);
  if (dst_inside || rules_.excluded(dst)) {
    pkt.ip.set_checksum(decrement_ttl(pkt.ip).apply(pkt.ip.checksum()));
    ++counters_.untranslated;
    return Verdict::forward(dst_inside ? Action::hairpin : Action::forward_wan);
  }
  const bool to_ours = is_ours(dst);
  if (to_ours && !cfg_.hairpinning) return drop(DropReason::no_session);

  if (const auto external = rules_.static_external(src)) {
    const Rewrite outbound = address_only(proto, src, *external, port_of(pkt, Field::source));
    if (to_ours) return hairpin(pkt, outbound);
    apply(pkt, outbound, Field::source, /*decrement=*/true);
    ++counters_.in2out;
    return Verdict::forward(Action::forward_wan);
  }

  // Only a SYN opens a TCP session (RFC 7857 §3.1); only an echo request
  // opens an ICMP one.
  if (proto == net::Proto::tcp && !opens_tcp(tcp_flags(pkt))) return drop(DropReason::tcp_not_syn);
  if (proto == net::Proto::icmp && net::IcmpView(pkt.l4).type() != net::icmp::kEchoRequest) {
    return drop(DropReason::no_session);
  }
  NewSession n;
  n.internal = {src, p.key.src_port.value()};
  n.remote = {dst, p.key.dst_port.value()};
  n.proto = proto;
  n.remote_is_ours = to_ours;
  n.hashes = &hashes;
  const Created c = create_session(n);
  // RFC 5508 REQ-8, RFC 6888 REQ-11: no session possible -> ICMP 3/13.
  if (c.failure != DropReason::none) return refuse(c.failure);
  return translate_hit<Side::lan>(c.idx, pkt);
}

// A LAN packet to one of our external endpoints: it leaves through the
// in2out rewrite and comes back in through the out2in one, so the LAN
// receiver sees the sender's external endpoint (RFC 4787 REQ-9a, RFC 5382
// REQ-8); the TTL drops once. Both halves are settled before the packet is
// touched, so a refused packet stays as it came.
Verdict Engine::Impl::hairpin(const net::ParsedPacket& pkt, const Rewrite& outbound) {
  const net::FlowKey key = rewritten_key(pkt, outbound, Field::source);
  const std::uint32_t dst = key.dst.value();
  Session* target = nullptr;
  Rewrite inbound;
  if (const std::uint32_t idx = out2in_.find(key, out2in_.hash(key));
      idx != kNone && alive(sessions_[idx])) {
    target = &sessions_[idx];
  } else if (const auto internal = rules_.static_internal(dst)) {
    inbound = address_only(key.proto, dst, *internal, port_of(pkt, Field::destination));
  } else if (const auto fwd =
                 key.proto == net::Proto::icmp
                     ? std::nullopt
                     : rules_.forward_inbound(key.proto, {dst, key.dst_port.value()})) {
    if (key.proto == net::Proto::tcp && !opens_tcp(tcp_flags(pkt)))
      return drop(DropReason::no_session);
    const Endpoint external{dst, key.dst_port.value()};
    NewSession n;
    n.internal = *fwd;
    n.remote = {outbound.addr, outbound.port};
    n.proto = key.proto;
    n.fixed_external = &external;
    n.remote_is_ours = true;
    const Created c = create_session(n);
    if (c.failure != DropReason::none) return refuse(c.failure);
    target = &sessions_[c.idx];
  } else {
    return drop(DropReason::no_session);
  }
  if (target != nullptr) inbound = to_internal(*target);
  apply(pkt, outbound, Field::source, /*decrement=*/true);
  apply(pkt, inbound, Field::destination, /*decrement=*/false);
  if (target != nullptr) refresh</*in2out=*/false>(*target, pkt);
  ++counters_.hairpinned;
  return Verdict::forward(Action::hairpin);
}

Verdict Engine::Impl::first_out2in(const net::ParsedPacket& pkt, const net::FlowKey& key) {
  if (const std::uint32_t idx = out2in_.find(key, out2in_.hash(key)); idx != kNone) {
    if (alive(sessions_[idx])) return translate_hit<Side::wan>(idx, pkt);
    remove_session(idx);
    ++counters_.sessions_expired;
  }
  const std::uint32_t src = key.src.value();
  const std::uint32_t dst = key.dst.value();
  const net::Proto proto = key.proto;
  // RFC 1812 §5.3.7 spirit: a WAN packet claiming an inside or one of our
  // own addresses as its source is forged.
  if (rules_.inside(src) || is_ours(src)) return drop(DropReason::martian_source);

  if (const auto internal = rules_.static_internal(dst)) {
    apply(pkt, address_only(proto, dst, *internal, port_of(pkt, Field::destination)),
          Field::destination, /*decrement=*/true);
    ++counters_.out2in;
    return Verdict::forward(Action::forward_lan);
  }
  if (proto != net::Proto::icmp) {
    const Endpoint external{dst, key.dst_port.value()};
    if (const auto target = rules_.forward_inbound(proto, external)) {
      if (proto == net::Proto::tcp && !opens_tcp(tcp_flags(pkt)))
        return drop(DropReason::no_session);
      NewSession n;
      n.internal = *target;
      n.remote = {src, key.src_port.value()};
      n.proto = proto;
      n.fixed_external = &external;
      const Created c = create_session(n);
      if (c.failure != DropReason::none) return refuse(c.failure);
      return translate_hit<Side::wan>(c.idx, pkt);
    }
  }
  if (rules_.excluded(src) && rules_.inside(dst)) {
    pkt.ip.set_checksum(decrement_ttl(pkt.ip).apply(pkt.ip.checksum()));
    ++counters_.untranslated;
    return Verdict::forward(Action::forward_lan);
  }
  // RFC 5382 REQ-4: an unsolicited SYN gets no answer at all.
  return drop(is_ours(dst) ? DropReason::no_session : DropReason::not_for_us);
}

}  // namespace masq::nat
