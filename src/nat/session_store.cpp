// Making and freeing sessions: the slot pool, the four indexes, the
// mapping rings, the subscribers and their quotas, and lazy expiry.
#include <algorithm>
#include <optional>

#include "engine_impl.hpp"
#include "port_chooser.hpp"

namespace masq::nat {
namespace {

constexpr std::uint32_t kNoPool = 0xFFFFFFFFu;

// The prefetch waves' hashes for this external endpoint, if they made any.
const PortGuess* guess_for(const NewFlowHashes* hashes, Endpoint external) {
  return hashes != nullptr ? hashes->guess_for(external) : nullptr;
}

}  // namespace

Created Engine::Impl::create_session(const NewSession& n) {
  Created c = try_create_session(n);
  // Expired sessions hold their slot, subscriber, quota and port until the
  // sweep reaches them. Under pressure they are reclaimed first and the
  // attempt repeated once; a live session is never evicted (RFC 6888 REQ-11).
  if (c.failure != DropReason::none && c.failure != DropReason::no_session &&
      reclaim_expired() != 0) {
    c = try_create_session(n);
  }
  return c;
}

Created Engine::Impl::try_create_session(const NewSession& n) {
  const Endpoint internal = n.internal;
  const net::Proto proto = n.proto;
  const NewFlowHashes* const hashes = n.hashes;
  // 1. A slot.
  const std::uint32_t idx = free_head_;
  if (idx == kNone) return {kNone, DropReason::table_full};
  if (idx >= high_water_) high_water_ = idx + 1;
  free_head_ = sessions_[idx].ring_next;
  const auto fail = [&](DropReason why, Subscriber* sub) {
    if (sub != nullptr && sub->sessions == 0) {
      if (sub->pool_index != kNoPool) pool_.release(sub->pool_index);
      subscribers_.erase(sub->addr);
    }
    sessions_[idx].ring_next = free_head_;
    free_head_ = idx;
    return Created{kNone, why};
  };

  // 2. The subscriber, paired with one pool address (RFC 4787 REQ-2).
  Subscriber* sub = subscribers_.find(internal.addr);
  if (sub == nullptr) {
    if (subscribers_.size() >= subscribers_.max_size())
      return fail(DropReason::subscriber_limit, nullptr);
    std::uint32_t pool_index = kNoPool;
    if (pool_.size() != 0) {
      const auto acquired = pool_.acquire(internal.addr);
      if (!acquired) return fail(DropReason::pool_exhausted, nullptr);
      pool_index = *acquired;
    }
    sub = subscribers_.insert(internal.addr, pool_index);
  }
  if (cfg_.sessions_per_subscriber != 0 && sub->sessions >= cfg_.sessions_per_subscriber) {
    return fail(DropReason::subscriber_sessions, sub);
  }

  // 3. The mapping: reuse the internal endpoint's (endpoint-independent
  // mapping, RFC 4787 REQ-1, RFC 5382 REQ-1), or make one.
  const net::FlowKey int_key = endpoint_key(net::Ipv4Addr(internal.addr), internal.port, proto);
  const std::uint64_t int_hash = hashes != nullptr ? hashes->mapping : by_internal_.hash(int_key);
  const std::uint32_t ring = by_internal_.find(int_key, int_hash);
  Endpoint external;
  std::optional<std::uint64_t> ext_hash;  // known when the port choice computed it
  if (ring != kNone) {
    external = {sessions_[ring].ext_addr, sessions_[ring].ext_port};
    if (n.fixed_external != nullptr && !(*n.fixed_external == external)) {
      return fail(DropReason::no_session, sub);
    }
  } else {
    if (cfg_.ports_per_subscriber != 0 && sub->mappings >= cfg_.ports_per_subscriber) {
      return fail(DropReason::subscriber_ports, sub);
    }
    if (n.fixed_external != nullptr) {
      external = *n.fixed_external;
    } else if (const PortForward* fwd = rules_.forward_outbound(proto, internal)) {
      external = StaticRules::forwarded_external(*fwd, internal.port);
    } else {
      if (sub->pool_index == kNoPool) return fail(DropReason::pool_exhausted, sub);
      const std::uint32_t addr = pool_.address(sub->pool_index);
      const auto is_free = [&](std::uint16_t port) {
        const net::FlowKey k = endpoint_key(net::Ipv4Addr(addr), port, proto);
        const PortGuess* guess = guess_for(hashes, {addr, port});
        ext_hash = guess != nullptr ? guess->external_hash : by_external_.hash(k);
        return !rules_.reserved(proto, {addr, port}) && by_external_.find(k, *ext_hash) == kNone;
      };
      PortChoice how{cfg_.preserve_port, cfg_.port_probe_limit, std::nullopt};
      if (hashes != nullptr) how.first_start = hashes->first_start;
      const auto port = choose_port(proto, internal.port, how, rng_, is_free);
      if (!port) return fail(DropReason::ports_exhausted, sub);
      external = {addr, *port};
    }
  }

  // 4. Commit.
  Session& s = sessions_[idx];
  s = Session{};
  s.int_addr = internal.addr;
  s.int_port = internal.port;
  s.ext_addr = external.addr;
  s.ext_port = external.port;
  s.rem_addr = n.remote.addr;
  s.rem_port = n.remote.port;
  s.proto = static_cast<std::uint8_t>(proto);
  if (n.remote_is_ours) s.flags |= Session::kFlagHairpin;
  if (proto == net::Proto::tcp) {
    s.set_tcp_state(n.fixed_external == nullptr ? TcpState::syn_out : TcpState::syn_in);
  }
  const SessionDeltas d =
      compute_deltas(proto, internal.addr, internal.port, external.addr, external.port);
  s.ip_delta = d.ip.raw();
  s.l4_delta = d.l4.raw();
  s.expires_s = now_s_ + timeout_s(s);
  in2out_.insert(hashes != nullptr ? hashes->in2out : in2out_.hash(s.in2out_key()), idx);
  const PortGuess* guess = guess_for(hashes, external);
  out2in_.insert(guess != nullptr ? guess->out2in_hash : out2in_.hash(s.out2in_key()), idx);
  if (ring != kNone) {
    const std::uint32_t next = sessions_[ring].ring_next;
    s.ring_next = next;
    ring_prev_[idx] = ring;
    sessions_[ring].ring_next = idx;
    ring_prev_[next] = idx;
  } else {
    s.ring_next = idx;
    ring_prev_[idx] = idx;
    by_internal_.insert(int_hash, idx);
    by_external_.insert(ext_hash ? *ext_hash : by_external_.hash(s.external_endpoint_key()), idx);
    ++sub->mappings;
    ++counters_.mappings_created;
  }
  ++sub->sessions;
  ++live_;
  ++counters_.sessions_created;
  return {idx, DropReason::none};
}

void Engine::Impl::remove_session(std::uint32_t idx) {
  const Session s = sessions_[idx];
  in2out_.erase(in2out_.hash(s.in2out_key()), idx);
  out2in_.erase(out2in_.hash(s.out2in_key()), idx);
  const std::uint64_t int_hash = by_internal_.hash(s.internal_endpoint_key());
  const std::uint64_t ext_hash = by_external_.hash(s.external_endpoint_key());
  Subscriber* sub = subscribers_.find(s.int_addr);
  if (s.ring_next == idx) {
    // Last session of its mapping: the mapping and its port go too.
    by_internal_.erase(int_hash, idx);
    by_external_.erase(ext_hash, idx);
    --sub->mappings;
  } else {
    const std::uint32_t next = s.ring_next;
    const std::uint32_t prev = ring_prev_[idx];
    sessions_[prev].ring_next = next;
    ring_prev_[next] = prev;
    by_internal_.replace(int_hash, idx, next);
    by_external_.replace(ext_hash, idx, next);
  }
  if (--sub->sessions == 0) {
    if (sub->pool_index != kNoPool) pool_.release(sub->pool_index);
    subscribers_.erase(s.int_addr);
  }
  sessions_[idx] = Session{};
  sessions_[idx].ring_next = free_head_;
  free_head_ = idx;
  --live_;
}

// A clock hand over the pool: each call looks at `budget` slots, so expiry
// costs a bounded amount per batch however many sessions there are. The
// hand turns over the slots ever used only: the free list hands out low
// slots first, so a lightly used table is swept (and reclaimed) quickly.
void Engine::Impl::expire_some(std::uint32_t budget) {
  // Contiguous runs up to the end of the used slots, then around, in groups
  // of eight: the earliest expiry of a group (free slots never expire) is
  // branch-free, and only a group holding an expired session is looked at
  // slot by slot.
  constexpr std::uint32_t kGroup = 8;
  const std::uint32_t now = now_s_;
  const auto expire_from = [&](std::uint32_t first, std::uint32_t count) {
    for (std::uint32_t idx = first; idx < first + count; ++idx) {
      if (sessions_[idx].expires_s < now) {
        remove_session(idx);
        ++counters_.sessions_expired;
      }
    }
  };
  while (budget != 0 && live_ != 0) {
    const std::uint32_t end = std::min(high_water_, sweep_hand_ + budget);
    std::uint32_t idx = sweep_hand_;
    for (; idx + kGroup <= end; idx += kGroup) {
      const Session* group = &sessions_[idx];
      std::uint32_t earliest = group[0].expires_s;
      for (std::size_t i = 1; i < kGroup; ++i) earliest = std::min(earliest, group[i].expires_s);
      if (earliest < now) [[unlikely]]
        expire_from(idx, kGroup);
    }
    expire_from(idx, end - idx);
    budget -= end - sweep_hand_;
    sweep_hand_ = end == high_water_ ? 0 : end;
  }
}

// Looks ahead of the sweep for expired sessions and frees them, at most
// reclaim_scan_limit slots' worth; returns how many it freed.
std::uint32_t Engine::Impl::reclaim_expired() {
  const std::uint32_t size = high_water_;
  std::uint32_t freed = 0;
  for (std::uint32_t i = 0; i < cfg_.reclaim_scan_limit && i < size; ++i) {
    const std::uint32_t idx = sweep_hand_;
    sweep_hand_ = sweep_hand_ + 1 == size ? 0 : sweep_hand_ + 1;
    if (sessions_[idx].in_use() && !alive(sessions_[idx])) {
      remove_session(idx);
      ++counters_.sessions_expired;
      ++freed;
    }
  }
  return freed;
}

}  // namespace masq::nat
