#include "session_table.hpp"

#include "random.hpp"
#include "tcp_state.hpp"

namespace masq::nat {
namespace {

// Index slots per session: at least 4/3 (a load factor of at most 3/4 when
// every session is its own mapping), rounded up by SessionIndex to fill its
// pages. Linear probes stay within a cache line or two (16 slots a line),
// and the four indexes together cost about 24 bytes per session.
std::size_t index_slots(std::uint32_t max_sessions) {
  return std::size_t{max_sessions} * 4 / 3 + 16;
}

std::uint64_t hash_seed(std::uint64_t seed) {
  return SplitMix64(seed ^ 0x6D617371ull).next();
}

}  // namespace

SessionTable::SessionTable(const EngineConfig& cfg)
    : sessions_(cfg.max_sessions),
      ring_prev_(cfg.max_sessions),
      in2out_(index_slots(cfg.max_sessions), sessions_.data(), hash_seed(cfg.seed)),
      out2in_(index_slots(cfg.max_sessions), sessions_.data(), hash_seed(cfg.seed)),
      by_internal_(index_slots(cfg.max_sessions), sessions_.data(), hash_seed(cfg.seed)),
      by_external_(index_slots(cfg.max_sessions), sessions_.data(), hash_seed(cfg.seed)) {
  configure(cfg);
  for (std::uint32_t i = cfg.max_sessions; i-- > 0;) {
    sessions_[i].ring_next = free_head_;
    free_head_ = i;
  }
}

void SessionTable::configure(const EngineConfig& cfg) {
  reuse_delay_s_ = cfg.port_reuse_delay_s;
  const Timeouts& t = cfg.timeouts;
  for (std::size_t state = 0; state < tcp_timeout_s_.size(); ++state) {
    switch (timer_for(static_cast<TcpState>(state))) {
      case TcpTimer::established:
        tcp_timeout_s_[state] = t.tcp_established_s;
        break;
      case TcpTimer::opening:
        tcp_timeout_s_[state] = t.tcp_opening_s;
        break;
      case TcpTimer::transitory:
        tcp_timeout_s_[state] = t.tcp_transitory_s;
        break;
    }
  }
  other_timeout_s_ = {t.icmp_s, t.udp_s};
}

SessionTable::Removed SessionTable::remove(std::uint32_t idx) {
  const Removed r{sessions_[idx], sessions_[idx].ring_next == idx};
  const Session& s = r.session;
  in2out_.erase(in2out_.hash(s.in2out_key()), idx);
  out2in_.erase(out2in_.hash(s.out2in_key()), idx);
  const std::uint64_t int_hash = by_internal_.hash(s.internal_endpoint_key());
  const std::uint64_t ext_hash = by_external_.hash(s.external_endpoint_key());
  if (r.mapping_gone) {
    by_internal_.erase(int_hash, idx);
    by_external_.erase(ext_hash, idx);
  } else {
    // The mapping lives on in the next session of its ring.
    const std::uint32_t next = s.ring_next;
    const std::uint32_t prev = ring_prev_[idx];
    sessions_[prev].ring_next = next;
    ring_prev_[next] = prev;
    by_internal_.replace(int_hash, idx, next);
    by_external_.replace(ext_hash, idx, next);
  }
  sessions_[idx] = Session{};
  return_slot(idx);
  --live_;
  return r;
}

// The port was released when the session expired: it rests from then.
SessionTable::Removed SessionTable::rest(std::uint32_t idx) {
  Session& s = sessions_[idx];
  const Removed r{s, true};
  in2out_.erase(in2out_.hash(s.in2out_key()), idx);
  out2in_.erase(out2in_.hash(s.out2in_key()), idx);
  by_internal_.erase(by_internal_.hash(s.internal_endpoint_key()), idx);
  s.flags |= Session::kFlagResting;
  s.expires_s += reuse_delay_s_;
  --live_;
  ++resting_;
  return r;
}

void SessionTable::remove_resting(std::uint32_t idx) {
  by_external_.erase(by_external_.hash(sessions_[idx].external_endpoint_key()), idx);
  sessions_[idx] = Session{};
  return_slot(idx);
  --resting_;
}

std::size_t SessionTable::memory_bytes() const {
  return sessions_.size() * sizeof(Session) + ring_prev_.size() * sizeof(std::uint32_t) +
         in2out_.memory_bytes() + out2in_.memory_bytes() + by_internal_.memory_bytes() +
         by_external_.memory_bytes();
}

}  // namespace masq::nat
