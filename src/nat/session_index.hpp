// SessionIndex: a fixed-capacity open-addressing hash index from a FlowKey
// to a session number. Slots are 4 bytes (8-bit hash tag | 24-bit session
// number + 1), so 16 share a cache line and a probe rarely leaves it; the
// tag lets a probe skip non-matching sessions without touching them. The
// key itself lives in the session (KeyOf derives it), never in the index.
// Linear probing with backward-shift deletion: no tombstones, so probe
// lengths do not grow with churn. Capacity is fixed at construction.
// Hot: candidate() is on the fast path and reads eight slots at once;
// find() confirms as it goes, one slot at a time, which for the short
// probes of the slow path (mostly misses) costs fewer instructions.
#pragma once

#include <bit>
#include <cstdint>

#include "session.hpp"
#include "slot_group.hpp"
#include "table_array.hpp"

namespace masq::nat {

using KeyOf = net::FlowKey (Session::*)() const;

template <KeyOf key_of>
class SessionIndex {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  static constexpr std::uint32_t kMaxSessions = (1u << 24) - 1;

  SessionIndex(std::size_t slots, const Session* sessions, std::uint64_t seed)
      : slots_(round_up(slots)), sessions_(sessions), seed_(seed) {}

  std::uint64_t hash(const net::FlowKey& k) const { return k.hash(seed_); }
  std::uint64_t hash_of(std::uint32_t idx) const { return hash((sessions_[idx].*key_of)()); }

  void prefetch(std::uint64_t h) const { __builtin_prefetch(&slots_[home(h)]); }

  // The first session whose tag matches, without reading any session: a
  // candidate to prefetch. kNone if the probe meets an empty slot first,
  // and then no session has a key of this hash.
  std::uint32_t candidate(std::uint64_t h) const {
    const std::uint32_t want = tag(h);
    for (std::size_t start = home(h);; start = after_group(start)) {
      const GroupMasks m = masks_from(start, want);
      if (const std::uint32_t hits = m.tags & before_first(m.empties); hits != 0) {
        return session_at(start + static_cast<unsigned>(std::countr_zero(hits)));
      }
      if (m.empties != 0) return kNone;
    }
  }

  // True when session idx has key k (to confirm a candidate).
  bool holds(std::uint32_t idx, const net::FlowKey& k) const {
    return (sessions_[idx].*key_of)() == k;
  }

  std::uint32_t find(const net::FlowKey& k, std::uint64_t h) const {
    const std::uint32_t want = tag(h);
    for (std::size_t i = home(h);; i = next(i)) {
      const std::uint32_t s = slots_[i];
      if (s == 0) return kNone;
      if ((s >> 24) == want && holds(session_at(i), k)) return session_at(i);
    }
  }

  // The caller guarantees the key is absent and the index has room (it is
  // sized above the session pool, so it always has).
  void insert(std::uint64_t h, std::uint32_t idx) {
    std::size_t i = home(h);
    while (slots_[i] != 0) i = next(i);
    slots_[i] = encode(h, idx);
  }

  // Points the slot that holds `from` (found by its hash) at `to`.
  bool replace(std::uint64_t h, std::uint32_t from, std::uint32_t to) {
    const std::size_t i = locate(h, from);
    if (i == kNoSlot) return false;
    slots_[i] = encode(h, to);
    return true;
  }

  bool erase(std::uint64_t h, std::uint32_t idx) {
    std::size_t hole = locate(h, idx);
    if (hole == kNoSlot) return false;
    // Backward shift: pull later entries of the cluster into the hole when
    // the hole lies between their home and where they sit.
    for (std::size_t j = next(hole);; j = next(j)) {
      const std::uint32_t s = slots_[j];
      if (s == 0) break;
      const std::size_t k = home(hash_of(session_at(j)));
      const bool movable = hole <= j ? (k <= hole || k > j) : (k <= hole && k > j);
      if (movable) {
        slots_[hole] = s;
        hole = j;
      }
    }
    slots_[hole] = 0;
    return true;
  }

  std::size_t capacity() const { return slots_.size(); }
  std::size_t memory_bytes() const { return slots_.size() * sizeof(std::uint32_t); }

 private:
  static constexpr std::size_t kNoSlot = ~std::size_t{0};

  // Every slot of the memory the table occupies anyway (whole pages, so
  // whole cache lines of 16 slots).
  static std::size_t round_up(std::size_t n) {
    return table_memory_size(n * sizeof(std::uint32_t)) / sizeof(std::uint32_t);
  }
  // Position from the high 32 bits by multiply-shift (no power-of-two
  // capacity needed); the tag from bits the position does not use.
  std::size_t home(std::uint64_t h) const {
    return static_cast<std::size_t>(((h >> 32) * slots_.size()) >> 32);
  }
  static std::uint32_t tag(std::uint64_t h) { return static_cast<std::uint32_t>(h & 0xFF); }
  static std::uint32_t encode(std::uint64_t h, std::uint32_t idx) {
    return (tag(h) << 24) | (idx + 1);
  }
  std::size_t next(std::size_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }

  // candidate() looks at slots a group at a time (slot_group.hpp): the
  // aligned eight slots around the current one, compared at once. The probe
  // averages about 2.5 slots, and a loop of unpredictable length would
  // cost a mispredicted exit per packet. Tables are whole pages, so a group
  // never leaves the table or its cache line.
  // Masks of the slots from `start` to the end of its group (bit 0: start).
  GroupMasks masks_from(std::size_t start, std::uint32_t want) const {
    const std::size_t group = start & ~(kSlotGroup - 1);
    const GroupMasks m = probe_group(&slots_[group], want);
    const auto skip = static_cast<unsigned>(start - group);
    return {m.tags >> skip, m.empties >> skip};
  }
  std::size_t after_group(std::size_t start) const {
    const std::size_t next_group = (start & ~(kSlotGroup - 1)) + kSlotGroup;
    return next_group == slots_.size() ? 0 : next_group;
  }
  // The bits below the lowest set one (all of them when none is set): a
  // match counts only before the first empty slot, which ends the cluster.
  static std::uint32_t before_first(std::uint32_t empties) { return (empties & -empties) - 1; }
  std::uint32_t session_at(std::size_t slot) const { return (slots_[slot] & 0xFFFFFF) - 1; }

  std::size_t locate(std::uint64_t h, std::uint32_t idx) const {
    const std::uint32_t want = encode(h, idx);
    for (std::size_t i = home(h);; i = next(i)) {
      if (slots_[i] == want) return i;
      if (slots_[i] == 0) return kNoSlot;
    }
  }

  TableArray<std::uint32_t> slots_;
  const Session* sessions_;
  std::uint64_t seed_;
};

}  // namespace masq::nat
