// SessionTable: the session pool, its four indexes, the mapping rings and
// lazy expiry. It decides nothing: which sessions exist and which external
// endpoint each gets are the policy's and the binder's; the table keeps
// them findable and expires them.
// Invariants: a session in use is in in2out() and out2in(); one session of
// each mapping ring (the one that made it, then whichever follows) is in
// by_internal() and by_external(); a free slot is on the free list,
// threaded through ring_next, lowest slot first. A resting mapping (the
// last session of a mapping, expired, Session::kFlagResting) is in
// by_external() only, until port_reuse_delay_s after its expiry.
// Owns its memory, allocated in the constructor. Hot: the accessors,
// alive() and timeout_s() are on the fast path, take_slot() and link() on
// every new session's path; all inline.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

#include "masq/nat/engine_config.hpp"
#include "session.hpp"
#include "session_index.hpp"
#include "table_array.hpp"

namespace masq::nat {

class SessionTable {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  using In2OutIndex = SessionIndex<&Session::in2out_key>;
  using Out2InIndex = SessionIndex<&Session::out2in_key>;
  using InternalIndex = SessionIndex<&Session::internal_endpoint_key>;
  using ExternalIndex = SessionIndex<&Session::external_endpoint_key>;

  // Index hashes of a session to link; mapping and external are read only
  // when it starts a mapping of its own.
  struct LinkHashes {
    std::uint64_t in2out = 0;
    std::uint64_t out2in = 0;
    std::uint64_t mapping = 0;
    std::uint64_t external = 0;
  };

  // What remove() took out: the session as it was, and whether it was the
  // last of its mapping (so the mapping and its external port went too).
  struct Removed {
    Session session;
    bool mapping_gone = false;
  };

  // max_sessions, seed and timeouts of a validated config.
  explicit SessionTable(const EngineConfig& cfg);
  // Takes the timeouts and the port reuse delay of `cfg` (a reconfigure).
  void configure(const EngineConfig& cfg);

  // The time every expiry is measured against, set once per batch.
  void set_now(std::uint32_t now_s) { now_s_ = now_s; }
  std::uint32_t now_s() const { return now_s_; }
  bool alive(const Session& s) const { return now_s_ <= s.expires_s; }
  std::uint32_t timeout_s(const Session& s) const {
    return s.protocol() == net::Proto::tcp ? tcp_timeout_s_[static_cast<std::size_t>(s.tcp_state())]
                                           : other_timeout_s_[s.protocol() == net::Proto::udp];
  }

  Session& operator[](std::uint32_t idx) { return sessions_[idx]; }
  const Session& operator[](std::uint32_t idx) const { return sessions_[idx]; }
  const In2OutIndex& in2out() const { return in2out_; }
  const Out2InIndex& out2in() const { return out2in_; }
  const InternalIndex& by_internal() const { return by_internal_; }
  const ExternalIndex& by_external() const { return by_external_; }

  // A free slot, taken off the free list; kNone when every slot is in use.
  std::uint32_t take_slot();
  // Puts back a slot taken for a session that was not made.
  void return_slot(std::uint32_t idx);
  // Links the session written into slot idx: onto the ring of session
  // `ring` (same mapping), or as a new mapping when ring is kNone.
  void link(std::uint32_t idx, std::uint32_t ring, const LinkHashes& h);
  // Unlinks session idx and frees its slot.
  Removed remove(std::uint32_t idx);
  // Frees the slot of resting mapping idx, and with it its external endpoint.
  void remove_resting(std::uint32_t idx);
  // Session idx has expired, or resting mapping idx has rested: removes
  // it, or lets its mapping rest (expire_some() says when).
  template <class OnRemoved>
  void expire(std::uint32_t idx, OnRemoved&& on_removed);

  // A clock hand over the slots ever used: each call looks at `budget`
  // slots and removes the expired ones, so expiry costs a bounded amount
  // per batch however many sessions there are. on_removed(Removed) is
  // called for each. The last session of a mapping leaves its mapping
  // resting for port_reuse_delay_s (RFC 6888 REQ-8), unless it was a TCP
  // connection that closed (the RFC's first exception).
  template <class OnRemoved>
  void expire_some(std::uint32_t budget, OnRemoved&& on_removed);
  // Looks ahead of the hand for expired sessions and resting mappings, at
  // most `limit` slots, and removes them; returns how many. A new flow
  // outranks a resting port.
  template <class OnRemoved>
  std::uint32_t reclaim_expired(std::uint32_t limit, OnRemoved&& on_removed);

  std::uint32_t live() const { return live_; }
  std::uint32_t resting() const { return resting_; }
  std::span<const Session> sessions() const { return {sessions_.data(), sessions_.size()}; }
  // Slots [0, used_slots()) have held a session; the rest are free.
  std::uint32_t used_slots() const { return high_water_; }
  std::size_t memory_bytes() const;

 private:
  TableArray<Session> sessions_;
  TableArray<std::uint32_t> ring_prev_;  // cold half of the mapping ring
  // Session idx, expired, was the last of its mapping: the mapping rests.
  Removed rest(std::uint32_t idx);

  std::uint32_t free_head_ = kNone;
  std::uint32_t live_ = 0;
  std::uint32_t resting_ = 0;
  std::uint32_t reuse_delay_s_ = 0;
  std::uint32_t sweep_hand_ = 0;
  std::uint32_t high_water_ = 0;  // slots [0, high_water_) have been used
  In2OutIndex in2out_;
  Out2InIndex out2in_;
  InternalIndex by_internal_;
  ExternalIndex by_external_;
  // Timeouts by TCP state, and for ICMP [0] and UDP [1]: a load, not a switch.
  std::array<std::uint32_t, Session::kStateMask + 1> tcp_timeout_s_{};
  std::array<std::uint32_t, 2> other_timeout_s_{};
  std::uint32_t now_s_ = 0;
};

inline std::uint32_t SessionTable::take_slot() {
  const std::uint32_t idx = free_head_;
  if (idx == kNone) return kNone;
  if (idx >= high_water_) high_water_ = idx + 1;
  free_head_ = sessions_[idx].ring_next;
  return idx;
}

inline void SessionTable::return_slot(std::uint32_t idx) {
  sessions_[idx].ring_next = free_head_;
  free_head_ = idx;
}

inline void SessionTable::link(std::uint32_t idx, std::uint32_t ring, const LinkHashes& h) {
  Session& s = sessions_[idx];
  in2out_.insert(h.in2out, idx);
  out2in_.insert(h.out2in, idx);
  if (ring != kNone) {
    const std::uint32_t next = sessions_[ring].ring_next;
    s.ring_next = next;
    ring_prev_[idx] = ring;
    sessions_[ring].ring_next = idx;
    ring_prev_[next] = idx;
  } else {
    s.ring_next = idx;
    ring_prev_[idx] = idx;
    by_internal_.insert(h.mapping, idx);
    by_external_.insert(h.external, idx);
  }
  ++live_;
}

template <class OnRemoved>
void SessionTable::expire(std::uint32_t idx, OnRemoved&& on_removed) {
  const Session& s = sessions_[idx];
  if (s.resting()) {
    remove_resting(idx);
  } else if (reuse_delay_s_ != 0 && s.ring_next == idx &&
             !(s.protocol() == net::Proto::tcp &&
               timer_for(s.tcp_state()) == TcpTimer::transitory)) {
    on_removed(rest(idx));
  } else {
    on_removed(remove(idx));
  }
}

template <class OnRemoved>
void SessionTable::expire_some(std::uint32_t budget, OnRemoved&& on_removed) {
  // Contiguous runs up to the end of the used slots, then around, in groups
  // of eight: the earliest expiry of a group (free slots never expire) is
  // branch-free, and only a group holding an expired session is looked at
  // slot by slot. The free list hands out low slots first, so a lightly
  // used table is swept (and reclaimed) quickly.
  constexpr std::uint32_t kGroup = 8;
  const std::uint32_t now = now_s_;
  const auto expire_from = [&](std::uint32_t first, std::uint32_t count) {
    for (std::uint32_t idx = first; idx < first + count; ++idx) {
      if (sessions_[idx].expires_s < now) expire(idx, on_removed);
    }
  };
  while (budget != 0 && live_ + resting_ != 0) {
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

template <class OnRemoved>
std::uint32_t SessionTable::reclaim_expired(std::uint32_t limit, OnRemoved&& on_removed) {
  const std::uint32_t size = high_water_;
  std::uint32_t freed = 0;
  for (std::uint32_t i = 0; i < limit && i < size; ++i) {
    const std::uint32_t idx = sweep_hand_;
    sweep_hand_ = sweep_hand_ + 1 == size ? 0 : sweep_hand_ + 1;
    if (sessions_[idx].resting()) {
      remove_resting(idx);
      ++freed;
    } else if (sessions_[idx].in_use() && !alive(sessions_[idx])) {
      on_removed(remove(idx));
      ++freed;
    }
  }
  return freed;
}

}  // namespace masq::nat
