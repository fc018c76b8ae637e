#include <algorithm>
#include <stdexcept>

#include "engine_impl.hpp"

namespace masq::nat {
namespace {

// Index slots per session: a load factor of 5/8 keeps linear probes short
// (about 1.8 slots for a hit) while the four indexes together cost about
// 26 bytes per session.
std::size_t index_slots(std::uint32_t max_sessions) {
  return std::size_t{max_sessions} * 8 / 5 + 16;
}

std::uint64_t hash_seed(std::uint64_t seed) {
  return SplitMix64(seed ^ 0x6D617371ull).next();
}

std::string join(const std::vector<std::string>& errors) {
  std::string all;
  for (const auto& e : errors) all += (all.empty() ? "" : "; ") + e;
  return all;
}

const EngineConfig& checked(const EngineConfig& cfg) {
  if (const auto errors = validate(cfg); !errors.empty()) throw std::invalid_argument(join(errors));
  return cfg;
}

}  // namespace

Engine::Impl::Impl(const EngineConfig& config)
    : cfg_(checked(config)),
      sessions_(cfg_.max_sessions),
      ring_prev_(cfg_.max_sessions, 0),
      in2out_(index_slots(cfg_.max_sessions), sessions_.data(), hash_seed(cfg_.seed)),
      out2in_(index_slots(cfg_.max_sessions), sessions_.data(), hash_seed(cfg_.seed)),
      by_internal_(index_slots(cfg_.max_sessions), sessions_.data(), hash_seed(cfg_.seed)),
      by_external_(index_slots(cfg_.max_sessions), sessions_.data(), hash_seed(cfg_.seed)),
      subscribers_(cfg_.max_subscribers),
      pool_(cfg_.pool, cfg_.pool_mode, cfg_.seed),
      rules_(cfg_),
      rng_(cfg_.seed) {
  // The free list threads through ring_next, lowest slot first.
  for (std::uint32_t i = cfg_.max_sessions; i-- > 0;) {
    sessions_[i].ring_next = free_head_;
    free_head_ = i;
  }
}

// Stage 1 of the pipeline: validate and classify one packet. Everything
// that can be refused without state is refused here.
Verdict Engine::Impl::classify(const PacketRef& ref, Side from, Pending& p) const {
  p.kind = Pending::Kind::done;
  const auto parsed = net::parse_ipv4({ref.data, ref.length});
  if (parsed.error != net::ParseError::ok) return Verdict::dropped(from_parse_error(parsed.error));
  p.pkt = parsed.packet;
  const net::Ipv4View& ip = p.pkt.ip;
  // Fragments would need reassembly state to be translated (RFC 4787
  // REQ-14); they are refused and counted until that exists.
  if (ip.is_fragment()) return Verdict::dropped(DropReason::fragment);
  if (ip.ttl() <= 1) {
    return Verdict::icmp(DropReason::ttl_expired, net::icmp::kTimeExceeded, 0);
  }
  if (!net::is_supported_proto(ip.protocol())) {
    return Verdict::dropped(DropReason::unsupported_protocol);
  }
  if (ip.protocol() == static_cast<std::uint8_t>(net::Proto::icmp)) {
    const std::uint8_t type = net::IcmpView(p.pkt.l4).type();
    if (net::icmp::is_error(type)) {
      p.kind = Pending::Kind::icmp_error;
      return {};
    }
    if (!net::icmp::is_echo(type)) return Verdict::dropped(DropReason::unsupported_icmp);
  }
  p.key = packet_key(p.pkt);
  p.hash = in2out_.hash(p.key);
  p.kind = Pending::Kind::lookup;
  (from == Side::lan ? in2out_.prefetch(p.hash) : out2in_.prefetch(p.hash));
  return {};
}

std::uint32_t Engine::Impl::lookup(Side from, const net::FlowKey& key, std::uint64_t hash) const {
  return from == Side::lan ? in2out_.find(key, hash) : out2in_.find(key, hash);
}

std::uint32_t Engine::Impl::timeout_s(const Session& s) const {
  const Timeouts& t = cfg_.timeouts;
  switch (s.protocol()) {
    case net::Proto::udp:
      return t.udp_s;
    case net::Proto::icmp:
      return t.icmp_s;
    case net::Proto::tcp:
      switch (timer_for(s.tcp_state())) {
        case TcpTimer::established:
          return t.tcp_established_s;
        case TcpTimer::opening:
          return t.tcp_opening_s;
        case TcpTimer::transitory:
          return t.tcp_transitory_s;
      }
  }
  return t.udp_s;
}

// Outbound packets always refresh (RFC 4787 REQ-6); inbound UDP only when
// configured; TCP follows its state machine both ways.
void Engine::Impl::refresh(Session& s, const net::ParsedPacket& pkt, bool in2out) {
  if (s.protocol() == net::Proto::tcp) {
    s.set_tcp_state(tcp_next(s.tcp_state(), tcp_flags(pkt), in2out));
  } else if (!in2out && s.protocol() == net::Proto::udp && !cfg_.udp_inbound_refresh) {
    return;
  }
  s.expires_s = now_s_ + timeout_s(s);
}

Verdict Engine::Impl::translate_hit(std::uint32_t idx, Side from, const net::ParsedPacket& pkt) {
  Session& s = sessions_[idx];
  if (from == Side::lan) {
    const Rewrite outbound = to_external(s);
    refresh(s, pkt, /*in2out=*/true);
    if (s.hairpin()) return hairpin(pkt, outbound);
    apply(pkt, outbound, Field::source, /*decrement_ttl=*/true);
    ++counters_.in2out;
    return Verdict::forward(Action::forward_wan);
  }
  // Only a LAN host can legitimately be the remote of a hairpin session:
  // from the WAN such a source is forged.
  if (s.hairpin()) return drop(DropReason::martian_source);
  apply(pkt, to_internal(s), Field::destination, /*decrement_ttl=*/true);
  refresh(s, pkt, /*in2out=*/false);
  ++counters_.out2in;
  return Verdict::forward(Action::forward_lan);
}

void Engine::Impl::process(std::span<const PacketRef> batch, Side from, std::uint64_t now_ns,
                           std::span<Verdict> verdicts) {
  now_s_ = static_cast<std::uint32_t>(now_ns / 1'000'000'000u);
  Pending* const pending = pending_.data();
  for (std::size_t base = 0; base < batch.size(); base += kChunk) {
    const std::size_t n = std::min(kChunk, batch.size() - base);
    // Stage 1: parse, classify, hash, prefetch the index slot.
    for (std::size_t i = 0; i < n; ++i) {
      verdicts[base + i] = classify(batch[base + i], from, pending[i]);
      if (pending[i].kind == Pending::Kind::done) {
        ++counters_.drops[static_cast<std::size_t>(verdicts[base + i].reason)];
      }
    }
    // Stage 2: probe the tags, prefetch the candidate session.
    for (std::size_t i = 0; i < n; ++i) {
      Pending& p = pending[i];
      if (p.kind != Pending::Kind::lookup) continue;
      p.candidate = from == Side::lan ? in2out_.candidate(p.hash) : out2in_.candidate(p.hash);
      if (p.candidate != kNone) __builtin_prefetch(&sessions_[p.candidate]);
    }
    // Stage 3: hits are translated now; misses wait for the slow path.
    for (std::size_t i = 0; i < n; ++i) {
      Pending& p = pending[i];
      if (p.kind != Pending::Kind::lookup) continue;
      const bool confirmed =
          p.candidate != kNone && (from == Side::lan ? in2out_.holds(p.candidate, p.key)
                                                     : out2in_.holds(p.candidate, p.key));
      const std::uint32_t idx = confirmed ? p.candidate : lookup(from, p.key, p.hash);
      if (idx != kNone && alive(sessions_[idx])) {
        verdicts[base + i] = translate_hit(idx, from, p.pkt);
        p.kind = Pending::Kind::done;
      }
    }
    // Stage 4: slow path, in arrival order: first packets of flows (which
    // may find a session made by an earlier packet of this batch) and ICMP errors.
    for (std::size_t i = 0; i < n; ++i) {
      Pending& p = pending[i];
      if (p.kind == Pending::Kind::icmp_error) {
        verdicts[base + i] = translate_icmp_error(p.pkt, from);
      } else if (p.kind == Pending::Kind::lookup) {
        verdicts[base + i] = from == Side::lan ? first_in2out(p) : first_out2in(p.pkt, p.key);
      }
    }
  }
  expire_some(cfg_.expiry_scan_per_batch);
}

Engine::Engine(const EngineConfig& cfg) : impl_(std::make_unique<Impl>(cfg)) {}
Engine::~Engine() = default;

void Engine::process(std::span<const PacketRef> batch, Side from, std::uint64_t now_ns,
                     std::span<Verdict> verdicts) noexcept {
  impl_->process(batch, from, now_ns, verdicts);
}

const Counters& Engine::counters() const noexcept {
  return impl_->counters_;
}
std::size_t Engine::session_count() const noexcept {
  return impl_->live_;
}
std::size_t Engine::subscriber_count() const noexcept {
  return impl_->subscribers_.size();
}

std::size_t Engine::memory_bytes() const noexcept {
  const Impl& m = *impl_;
  return m.sessions_.size() * sizeof(Session) + m.ring_prev_.size() * sizeof(std::uint32_t) +
         m.in2out_.memory_bytes() + m.out2in_.memory_bytes() + m.by_internal_.memory_bytes() +
         m.by_external_.memory_bytes() + m.subscribers_.memory_bytes() + m.pool_.memory_bytes();
}

void Engine::for_each_session(const std::function<void(const SessionView&)>& visit,
                              std::uint64_t now_ns) const {
  const auto now_s = static_cast<std::uint32_t>(now_ns / 1'000'000'000u);
  for (const Session& s : impl_->sessions_) {
    if (!s.in_use() || now_s > s.expires_s) continue;
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
    visit(v);
  }
}

}  // namespace masq::nat
