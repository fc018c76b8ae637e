// SessionIndex: a fixed-capacity open-addressing hash index from a FlowKey
// to a session number. Slots are 4 bytes (8-bit hash tag | 24-bit session
// number + 1), so 16 share a cache line and a probe rarely leaves it; the
// tag lets a probe skip non-matching sessions without touching them. The
// key itself lives in the session (KeyOf derives it), never in the index.
// Linear probing with backward-shift deletion: no tombstones, so probe
// lengths do not grow with churn. Capacity is fixed at construction.
// Hot: find() and candidate() are on the fast path.
#pragma once

#include <bit>
#include <cstdint>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "masq/nat/session.hpp"
#include "masq/nat/table_array.hpp"

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
  // candidate to prefetch. kNone if the probe meets an empty slot first.
  std::uint32_t candidate(std::uint64_t h) const {
    const std::uint32_t want = tag(h);
    std::size_t start = home(h);
#if defined(__SSE2__)
    // The aligned group of eight slots (half a cache line) holding the home
    // slot, at once: the probe averages about 2.5 slots, and a loop of
    // unpredictable length costs a mispredicted exit per lookup. The table
    // is whole cache lines, so the group is inside it and inside one line.
    {
      const std::size_t group = start & ~std::size_t{7};
      const auto lanes_from_home = static_cast<unsigned>(2 * (start - group));
      auto [tags, empties] = probe8(&slots_[group], want);
      // Lanes are two mask bits each, shifted to start at the home slot; a
      // match counts only before the first empty slot, which ends the
      // cluster (with no empty slot, the mask below is all ones).
      tags >>= lanes_from_home;
      empties >>= lanes_from_home;
      const std::uint32_t before_empty = (empties & -empties) - 1;
      if (const std::uint32_t hits = tags & before_empty; hits != 0) {
        return (slots_[start + static_cast<unsigned>(std::countr_zero(hits)) / 2] & 0xFFFFFF) - 1;
      }
      if (empties != 0) return kNone;
      start = group + 8 == slots_.size() ? 0 : group + 8;
    }
#endif
    for (std::size_t i = start;; i = next(i)) {
      const std::uint32_t s = slots_[i];
      if (s == 0) return kNone;
      if ((s >> 24) == want) return (s & 0xFFFFFF) - 1;
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
      if ((s >> 24) == want) {
        const std::uint32_t idx = (s & 0xFFFFFF) - 1;
        if ((sessions_[idx].*key_of)() == k) return idx;
      }
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
      const std::size_t k = home(hash_of((s & 0xFFFFFF) - 1));
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

#if defined(__SSE2__)
  struct Probe8 {
    std::uint32_t tags;     // two bits per slot whose tag is `want`
    std::uint32_t empties;  // two bits per empty slot
  };
  static Probe8 probe8(const std::uint32_t* first, std::uint32_t want) {
    const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(first));
    const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(first + 4));
    const __m128i w = _mm_set1_epi32(static_cast<int>(want));
    const __m128i zero = _mm_setzero_si128();
    const __m128i tags = _mm_packs_epi32(_mm_cmpeq_epi32(_mm_srli_epi32(lo, 24), w),
                                         _mm_cmpeq_epi32(_mm_srli_epi32(hi, 24), w));
    const __m128i empties =
        _mm_packs_epi32(_mm_cmpeq_epi32(lo, zero), _mm_cmpeq_epi32(hi, zero));
    return {static_cast<std::uint32_t>(_mm_movemask_epi8(tags)),
            static_cast<std::uint32_t>(_mm_movemask_epi8(empties))};
  }
#endif

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
