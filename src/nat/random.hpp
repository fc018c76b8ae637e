// SplitMix64: a small, fast, seedable generator for port randomisation
// (RFC 6056). Deterministic for a given seed, which makes replays and
// tests reproducible; the seed itself should be random in production.
#pragma once

#include <cstdint>

namespace masq::nat {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [0, bound) by multiply-shift; bias below 2^-32 for 16-bit bounds.
  std::uint32_t below(std::uint32_t bound) {
    return static_cast<std::uint32_t>(((next() >> 32) * bound) >> 32);
  }

 private:
  std::uint64_t state_;
};

}  // namespace masq::nat
