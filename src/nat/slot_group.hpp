// Probing an index a group of slots at a time: for the aligned eight slots
// (half a cache line) of a SessionIndex, which hold the 8-bit tag `want`
// and which are empty, as one mask bit a slot. SSE2 compares them at once;
// probe_group_portable() is the same answer one slot at a time, the build's
// choice where SSE2 is missing and the reference the tests hold it to.
// Hot: SessionIndex::candidate() runs it for every packet.
#pragma once

#include <cstddef>
#include <cstdint>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace masq::nat {

inline constexpr std::size_t kSlotGroup = 8;

struct GroupMasks {
  std::uint32_t tags;     // bit i: slot i has tag `want` (its top byte)
  std::uint32_t empties;  // bit i: slot i is 0
};

inline GroupMasks probe_group_portable(const std::uint32_t* group, std::uint32_t want) {
  GroupMasks m{0, 0};
  for (unsigned i = 0; i < kSlotGroup; ++i) {
    m.tags |= static_cast<std::uint32_t>((group[i] >> 24) == want) << i;
    m.empties |= static_cast<std::uint32_t>(group[i] == 0) << i;
  }
  return m;
}

// `group` is aligned to 16 bytes.
inline GroupMasks probe_group(const std::uint32_t* group, std::uint32_t want) {
#if defined(__SSE2__)
  const __m128i lo = _mm_load_si128(reinterpret_cast<const __m128i*>(group));
  const __m128i hi = _mm_load_si128(reinterpret_cast<const __m128i*>(group + 4));
  const __m128i w = _mm_set1_epi32(static_cast<int>(want));
  const __m128i zero = _mm_setzero_si128();
  // Compare results packed from 32-bit to 8-bit lanes: one mask bit a slot.
  const auto bits = [zero](__m128i a, __m128i b) {
    return static_cast<std::uint32_t>(
        _mm_movemask_epi8(_mm_packs_epi16(_mm_packs_epi32(a, b), zero)));
  };
  return {
      bits(_mm_cmpeq_epi32(_mm_srli_epi32(lo, 24), w), _mm_cmpeq_epi32(_mm_srli_epi32(hi, 24), w)),
      bits(_mm_cmpeq_epi32(lo, zero), _mm_cmpeq_epi32(hi, zero))};
#else
  return probe_group_portable(group, want);
#endif
}

}  // namespace masq::nat
