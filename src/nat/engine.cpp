#include <algorithm>
#include <stdexcept>

#include "engine_impl.hpp"
#include "mss_clamp.hpp"

namespace masq::nat {
namespace {

std::string join(const std::vector<ConfigError>& errors) {
  std::string all;
  for (const auto& e : errors) all += (all.empty() ? "" : "; ") + e.text();
  return all;
}

const EngineConfig& checked(const EngineConfig& cfg) {
  if (const auto errors = validate(cfg); !errors.empty()) throw std::invalid_argument(join(errors));
  return cfg;
}

}  // namespace

Engine::Impl::Impl(const EngineConfig& config)
    : cfg_(checked(config)),
      table_(cfg_),
      rules_(cfg_),
      binder_(cfg_, table_, rules_),
      explicit_(cfg_.max_explicit_mappings),
      policy_(cfg_, rules_, binder_.pool(), table_, explicit_),
      ip_ids_(cfg_.seed, cfg_.worker),
      session_rate_(cfg_.new_sessions_per_s, cfg_.new_sessions_burst),
      syn_hold_(cfg_.unsolicited_syn_icmp ? kSynHoldCapacity : 0),
      events_(cfg_.event_ring_capacity),
      accounting_(cfg_.accounting, cfg_.max_sessions) {}

// Stage 1 of the pipeline: classify one packet from the caller's parse.
// Everything that can be refused without state is refused here.
template <Side from>
[[gnu::always_inline]] inline Verdict Engine::Impl::classify(const PacketRef& ref,
                                                             Pending& p) const {
  p.kind = Pending::Kind::done;
  if (ref.error != net::ParseError::ok) [[unlikely]] {
    return Verdict::dropped(from_parse_error(ref.error));
  }
  p.pkt = &ref.packet;
  // A fragment cannot be matched to a flow: the caller reassembles first
  // (RFC 4787 REQ-14).
  if (p.pkt->ip.is_fragment()) [[unlikely]]
    return Verdict::dropped(DropReason::fragment);
  const net::Ipv4View& ip = p.pkt->ip;
  // RFC 1812 §5.3.1: time exceeded for a packet the gateway would forward.
  // Every LAN packet is one; a WAN packet only when something takes it,
  // which the lookup decides (expired_out2in): an unsolicited one draws
  // nothing (RFC 5382 REQ-4), as if it were for the gateway itself.
  const bool expired = ip.ttl() <= 1;
  if (from == Side::lan && expired) {
    return Verdict::icmp(DropReason::ttl_expired, net::icmp::kTimeExceeded, 0);
  }
  const std::uint8_t proto = ip.protocol();
  if (proto == static_cast<std::uint8_t>(net::Proto::icmp)) {
    const std::uint8_t type = net::IcmpView(p.pkt->l4).type();
    if (net::icmp::is_error(type)) {
      // Never an error about an error (RFC 1812 §4.3.2.7).
      if (expired) return Verdict::dropped(DropReason::ttl_expired);
      p.kind = Pending::Kind::icmp_error;
      return {};
    }
    if (!net::icmp::is_echo(type)) return Verdict::dropped(DropReason::unsupported_icmp);
    // Echo is rewritten incrementally, which would carry a corrupt message
    // on unnoticed: it is checked once here, as errors are (RFC 5508 REQ-3).
    if (net::internet_checksum({p.pkt->l4, p.pkt->l4_length}) != 0) {
      return Verdict::dropped(DropReason::bad_icmp_checksum);
    }
  } else if (!net::is_supported_proto(proto)) {
    return Verdict::dropped(DropReason::unsupported_protocol);
  }
  p.key = packet_key(*p.pkt);
  p.hash = flow_index<from>().hash(p.key);
  p.kind = Pending::Kind::lookup;
  flow_index<from>().prefetch(p.hash);
  return {};
}

// Outbound packets always refresh (RFC 4787 REQ-6); inbound UDP only when
// configured; TCP follows its state machine both ways. The session is
// written only when a value changes: the timer has a resolution of a
// second, so most packets of a busy flow leave it as it was, and a session
// line left clean costs no write-back when the cache evicts it (the
// kernel's conntrack skips unchanged timeouts for the same reason).
template <bool in2out>
[[gnu::always_inline]] inline void Engine::Impl::refresh(Session& s, const net::ParsedPacket& pkt) {
  if (s.protocol() == net::Proto::tcp) {
    const TcpState next = tcp_next(s.tcp_state(), tcp_flags(pkt), in2out);
    if (next != s.tcp_state()) s.set_tcp_state(next);
  } else if (!in2out && s.protocol() == net::Proto::udp && !cfg_.udp_inbound_refresh) {
    return;
  }
  const std::uint32_t expires = table_.now_s() + table_.timeout_s(s);
  if (expires != s.expires_s) s.expires_s = expires;
}

template <Side from>
[[gnu::always_inline]] inline Verdict Engine::Impl::translate_hit(std::uint32_t idx,
                                                                  const net::ParsedPacket& pkt) {
  Session& s = table_[idx];
  if constexpr (from == Side::lan) {
    refresh<true>(s, pkt);
    if (s.hairpin()) [[unlikely]]
      return hairpin(pkt, to_external(s), idx);
    accounting_.count<true>(idx, pkt);
    apply(pkt, to_external(s), Field::source, /*decrement_ttl=*/true);
    // Hosts sharing the external address must not share IDs (RFC 7857 §11).
    if (IpIds::non_atomic(pkt.ip)) [[unlikely]]
      ip_ids_.assign(pkt.ip);
    clamp_syn(pkt);
    ++counters_.in2out;
    return Verdict::forward(Action::forward_wan);
  } else {
    // Only a LAN host can legitimately be the remote of a hairpin session:
    // from the WAN such a source is forged.
    if (s.hairpin()) [[unlikely]]
      return drop(DropReason::martian_source);
    accounting_.count<false>(idx, pkt);
    apply(pkt, to_internal(s), Field::destination, /*decrement_ttl=*/true);
    clamp_syn(pkt);
    refresh<false>(s, pkt);
    ++counters_.out2in;
    return Verdict::forward(Action::forward_lan);
  }
}

template Verdict Engine::Impl::translate_hit<Side::lan>(std::uint32_t, const net::ParsedPacket&);
template Verdict Engine::Impl::translate_hit<Side::wan>(std::uint32_t, const net::ParsedPacket&);
template void Engine::Impl::refresh<false>(Session&, const net::ParsedPacket&);

// A WAN packet with TTL <= 1: time exceeded when it would have been
// forwarded (a session, static NAT, a forward, an excluded source), else
// dropped silently for the reason it would have had with a higher TTL.
// Nothing is created or refreshed.
Verdict Engine::Impl::expired_out2in(const Pending& p) {
  if (const std::uint32_t idx = table_.out2in().find(p.key, p.hash);
      idx != kNone && table_.alive(table_[idx])) {
    // As translate_hit(): from the WAN, a hairpin session's remote is forged.
    return table_[idx].hairpin() ? drop(DropReason::martian_source) : time_exceeded();
  }
  const InboundMiss miss = policy_.inbound_miss(p.key, opens_inbound(*p.pkt, p.key.proto));
  return miss.kind == InboundMiss::Kind::drop ? drop(miss.reason) : time_exceeded();
}

template <Side from>
void Engine::Impl::run(std::span<const PacketRef> batch, std::span<Verdict> verdicts) {
  const auto& index = flow_index<from>();
  Pending* const pending = pending_.data();
  for (std::size_t base = 0; base < batch.size(); base += kChunk) {
    const std::size_t n = std::min(kChunk, batch.size() - base);
    Verdict* const out = verdicts.data() + base;
    // Stage 1: classify, hash, prefetch the index slot.
    // A packet still pending gets its verdict in a later stage.
    for (std::size_t i = 0; i < n; ++i) {
      const Verdict v = classify<from>(batch[base + i], pending[i]);
      if (pending[i].kind == Pending::Kind::done) {
        out[i] = v;
        ++counters_.drops[static_cast<std::size_t>(v.reason)];
      }
    }
    // Stage 2: probe the tags, prefetch the candidate session.
    for (std::size_t i = 0; i < n; ++i) {
      Pending& p = pending[i];
      if (p.kind != Pending::Kind::lookup) continue;
      p.candidate = index.candidate(p.hash);
      if (p.candidate != kNone) __builtin_prefetch(&table_[p.candidate]);
    }
    // ... and the candidate's counts, a line of their own; apart, so that
    // without accounting the stage costs one test a chunk.
    if (accounting_.enabled()) [[unlikely]] {
      for (std::size_t i = 0; i < n; ++i) {
        if (pending[i].kind == Pending::Kind::lookup && pending[i].candidate != kNone)
          accounting_.prefetch(pending[i].candidate);
      }
    }
    // Stage 3: hits are translated now; misses wait for the slow path.
    std::size_t slow = 0;
    for (std::size_t i = 0; i < n; ++i) {
      Pending& p = pending[i];
      if (p.kind != Pending::Kind::lookup) {
        slow += p.kind == Pending::Kind::icmp_error;
        continue;
      }
      // No candidate: no session has the key (find() would stop where
      // candidate() did).
      const std::uint32_t idx = p.candidate == kNone || index.holds(p.candidate, p.key)
                                    ? p.candidate
                                    : index.find(p.key, p.hash);
      if (idx != kNone && table_.alive(table_[idx])) {
        out[i] = from == Side::wan && p.pkt->ip.ttl() <= 1 ? expired_out2in(p)
                                                           : translate_hit<from>(idx, *p.pkt);
        p.kind = Pending::Kind::done;
      } else {
        ++slow;
      }
    }
    if (slow == 0) continue;
    // Stage 4: what the first packets of new flows from the LAN will touch.
    if constexpr (from == Side::lan) prefetch_new_flows({pending, n}, {new_flows_.data(), n});
    // Stage 5: slow path, in arrival order: first packets of flows (which
    // may find a session made by an earlier packet of this batch) and ICMP errors.
    for (std::size_t i = 0; i < n; ++i) {
      Pending& p = pending[i];
      if (p.kind == Pending::Kind::icmp_error) {
        out[i] = translate_icmp_error(*p.pkt, from);
      } else if (p.kind == Pending::Kind::lookup) {
        if constexpr (from == Side::lan) {
          out[i] = first_in2out(p, new_flows_[i]);
        } else {
          out[i] = p.pkt->ip.ttl() <= 1 ? expired_out2in(p) : first_out2in(*p.pkt, p.key);
        }
      }
    }
  }
}

void Engine::Impl::clamp_tcp_syn(const net::ParsedPacket& pkt) {
  if (pkt.ip.protocol() != static_cast<std::uint8_t>(net::Proto::tcp) || pkt.l4_seed ||
      !net::TcpView(pkt.l4).syn()) {
    return;
  }
  if (clamp_mss(pkt.l4, pkt.l4_length, cfg_.tcp_mss_clamp)) ++counters_.mss_clamped;
}

void Engine::Impl::process(std::span<const PacketRef> batch, Side from, std::uint64_t now_ns,
                           std::span<Verdict> verdicts) {
  now_ns_ = now_ns;
  table_.set_now(static_cast<std::uint32_t>(now_ns / 1'000'000'000u));
  if (from == Side::lan) {
    run<Side::lan>(batch, verdicts);
  } else {
    run<Side::wan>(batch, verdicts);
  }
  table_.expire_some(cfg_.expiry_scan_per_batch,
                     [this](const SessionTable::Removed& r) { removed(r, DeleteReason::expired); });
}

Engine::Engine(const EngineConfig& cfg) : impl_(std::make_unique<Impl>(cfg)) {}
Engine::~Engine() = default;

void Engine::process(std::span<const PacketRef> batch, Side from, std::uint64_t now_ns,
                     std::span<Verdict> verdicts) noexcept {
  impl_->process(batch, from, now_ns, verdicts);
}

void Engine::release_held_syns(std::uint64_t now_ns,
                               const std::function<void(std::span<const std::uint8_t>)>& visit) {
  impl_->counters_.syns_released += impl_->syn_hold_.release_due(now_ns, visit);
}

const Counters& Engine::counters() const noexcept {
  return impl_->counters_;
}
std::size_t Engine::session_count() const noexcept {
  return impl_->table_.live();
}
std::size_t Engine::subscriber_count() const noexcept {
  return impl_->binder_.subscriber_count();
}

std::size_t Engine::memory_bytes() const noexcept {
  return impl_->table_.memory_bytes() + impl_->binder_.memory_bytes() +
         impl_->accounting_.memory_bytes();
}

void Engine::for_each_session(const std::function<void(const SessionView&)>& visit,
                              std::uint64_t now_ns) const {
  for_each_session_from(0, impl_->table_.sessions().size(), visit, now_ns);
}

SessionView Engine::Impl::view_of(const Session& s, std::uint32_t now_s) const {
  SessionView v;
  v.proto = s.protocol();
  v.internal_addr = net::Ipv4Addr(s.int_addr);
  v.internal_port = net::Port(s.int_port);
  v.external_addr = net::Ipv4Addr(s.ext_addr);
  v.external_port = net::Port(s.ext_port);
  v.remote_addr = net::Ipv4Addr(s.rem_addr);
  v.remote_port = net::Port(s.rem_port);
  v.state =
      s.protocol() == net::Proto::tcp ? to_string(s.tcp_state()) : net::to_string(s.protocol());
  v.expires_in_s = s.expires_s - now_s;
  // A refresh sets expires_s to now + the timeout of the state it leaves.
  const std::uint32_t timeout = table_.timeout_s(s);
  v.idle_s = timeout > v.expires_in_s ? timeout - v.expires_in_s : 0;
  v.kind = kind_of(s);
  if (v.kind == SessionKind::pcp) {
    // A mapping a host asked for: its expiry is the lifetime it has left,
    // and it has no flow, hence no flow state and no idle time.
    v.state = "mapping";
    v.idle_s = 0;
  }
  v.counts = accounting_.of(static_cast<std::uint32_t>(&s - table_.sessions().data()));
  return v;
}

SessionKind Engine::Impl::kind_of(const Session& s) const {
  if (is_explicit_anchor(s)) return SessionKind::pcp;
  return rules_.reserved(s.protocol(), {s.ext_addr, s.ext_port}) ? SessionKind::forward
                                                                 : SessionKind::dynamic;
}

SessionEvent Engine::Impl::event_of(const Session& s, EventType type, DeleteReason why) const {
  SessionEvent e;
  e.time_ns = now_ns_;
  e.type = type;
  e.reason = why;
  e.proto = s.protocol();
  e.kind = kind_of(s);
  e.internal_addr = net::Ipv4Addr(s.int_addr);
  e.internal_port = net::Port(s.int_port);
  e.external_addr = net::Ipv4Addr(s.ext_addr);
  e.external_port = net::Port(s.ext_port);
  if (cfg_.events_with_remote) {
    e.remote_addr = net::Ipv4Addr(s.rem_addr);
    e.remote_port = net::Port(s.rem_port);
  }
  return e;
}

std::size_t Engine::drain_events(const std::function<void(const SessionEvent&)>& visit) {
  return impl_->events_.drain(visit);
}

std::size_t Engine::for_each_session_from(std::size_t cursor, std::size_t budget,
                                          const std::function<void(const SessionView&)>& visit,
                                          std::uint64_t now_ns) const {
  const auto now_s = static_cast<std::uint32_t>(now_ns / 1'000'000'000u);
  // Slots never used hold nothing: a walk of a table far from full is short.
  const std::span<const Session> sessions =
      impl_->table_.sessions().first(impl_->table_.used_slots());
  const std::size_t end = std::min(sessions.size(), cursor + budget);
  for (; cursor < end; ++cursor) {
    const Session& s = sessions[cursor];
    if (s.in_use() && !s.resting() && now_s <= s.expires_s) visit(impl_->view_of(s, now_s));
  }
  return end == sessions.size() ? 0 : end;
}

std::size_t Engine::remove_sessions_from(std::size_t cursor, std::size_t budget,
                                         const std::function<bool(const SessionView&)>& match,
                                         std::uint64_t now_ns, std::size_t& removed) {
  impl_->now_ns_ = now_ns;
  impl_->table_.set_now(static_cast<std::uint32_t>(now_ns / 1'000'000'000u));
  return impl_->remove_matching(cursor, budget, match, impl_->counters_.sessions_deleted,
                                DeleteReason::deleted, removed);
}

std::size_t Engine::Impl::remove_matching(std::size_t cursor, std::size_t budget,
                                          const std::function<bool(const SessionView&)>& match,
                                          std::uint64_t& counter, DeleteReason why,
                                          std::size_t& removed) {
  const std::size_t used = table_.used_slots();
  const std::size_t end = std::min(used, cursor + budget);
  for (; cursor < end; ++cursor) {
    const auto idx = static_cast<std::uint32_t>(cursor);
    Session& s = table_[idx];
    if (!s.in_use() || s.resting() || !table_.alive(s) || !match(view_of(s, table_.now_s())))
      continue;
    // Expired as of now, so that a resting port rests from now.
    s.expires_s = table_.now_s();
    table_.expire(idx, [this, &counter, why](const SessionTable::Removed& r) {
      forget(r);
      ++counter;
      record(r.session, EventType::delete_, why);
    });
    ++removed;
  }
  return end == used ? 0 : end;
}

}  // namespace masq::nat
