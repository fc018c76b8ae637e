// Choosing an external port (or ICMP identifier) for a new mapping.
// RFC 4787 REQ-3a / RFC 6056 / RFC 7857 §10: keep the internal port when
// allowed and free; otherwise try at most probe_limit ports of the same
// class (1-1023 for well-known ports, 1024-65535 otherwise; any
// identifier for ICMP): runs of kProbeRun consecutive ports, each from a
// new random start (between RFC 6056 §3.3.1 and §3.3.2: a single linear
// probe could not cross a long run of used ports, so flows would be
// refused while the address still had free ones). When probe_limit covers
// the whole class the probe is one exhaustive sweep. With parity kept
// (RFC 4787 REQ-4, optional since RFC 7857 §3) only ports of the internal
// port's parity are tried, so RTP on an even port keeps RTCP beside it.
// Slow path only. `is_free(port)` answers for the chosen external address.
#pragma once

#include <cstdint>
#include <optional>

#include "masq/nat/engine_config.hpp"
#include "masq/nat/port_slice.hpp"
#include "masq/net/port.hpp"
#include "random.hpp"

namespace masq::nat {

// The internal port's class, narrowed to the worker's slice of it: a
// worker hands out only ports it owns (port_slice.hpp).
inline PortRange port_class(net::Proto proto, std::uint16_t internal_port, WorkerSlice slice = {}) {
  if (proto == net::Proto::icmp) return slice_range({0, 65535}, slice);
  return slice_range(internal_port < 1024 ? PortRange{1, 1023} : PortRange{1024, 65535}, slice);
}

// The ports a new mapping may take: `count` ports from `first`, 1 << shift
// apart: the internal port's class, or with parity kept the half of it
// with the internal port's parity (TCP and UDP; ICMP identifiers have none).
struct PortSeries {
  std::uint16_t first = 0;
  std::uint32_t count = 0;
  std::uint32_t shift = 0;
  std::uint16_t at(std::uint32_t offset) const {
    return static_cast<std::uint16_t>(first + (offset << shift));
  }
};

inline PortSeries port_series(net::Proto proto, std::uint16_t internal_port, bool parity,
                              WorkerSlice slice = {}) {
  const PortRange r = port_class(proto, internal_port, slice);
  if (!parity || proto == net::Proto::icmp) {
    return {r.first, std::uint32_t{r.last} - r.first + 1, 0};
  }
  const auto first = static_cast<std::uint16_t>(r.first + ((r.first ^ internal_port) & 1u));
  return {first, (std::uint32_t{r.last} - first) / 2 + 1, 1};
}

inline constexpr std::uint32_t kProbeRun = 32;

struct PortChoice {
  bool preserve = true;
  std::uint32_t probe_limit = 512;
  // The offset of the first random start in the port series, when drawn
  // ahead from the same generator (the engine draws it while it prefetches,
  // so that it can prefetch that port too); otherwise drawn here.
  std::optional<std::uint32_t> first_start;
  bool parity = false;  // keep the internal port's parity (RFC 4787 REQ-4)
};

// The offset of a random start in a class of `span` ports.
inline std::uint32_t random_start(SplitMix64& rng, std::uint32_t span) {
  return rng.below(span);
}

// The offset a linear probe tries after `offset`, wrapping in the class.
inline std::uint32_t next_offset(std::uint32_t offset, std::uint32_t span) {
  return offset + 1 == span ? 0 : offset + 1;
}

template <class IsFree>
[[gnu::always_inline]] inline std::optional<std::uint16_t> choose_port(
    net::Proto proto, std::uint16_t internal_port, const PortChoice& how, SplitMix64& rng,
    IsFree&& is_free, WorkerSlice slice = {}) {
  const PortRange range = port_class(proto, internal_port, slice);
  if (how.preserve && range.contains(internal_port) && is_free(internal_port)) {
    return internal_port;
  }
  const PortSeries series = port_series(proto, internal_port, how.parity, slice);
  const std::uint32_t span = series.count;
  const std::uint32_t tries = how.probe_limit < span ? how.probe_limit : span;
  const bool exhaustive = tries == span;
  std::uint32_t offset = 0;
  for (std::uint32_t i = 0; i < tries; ++i) {
    if (i == 0 && how.first_start && *how.first_start < span) {
      offset = *how.first_start;
    } else if (i == 0 || (!exhaustive && i % kProbeRun == 0)) {
      offset = random_start(rng, span);
    } else {
      offset = next_offset(offset, span);
    }
    const std::uint16_t port = series.at(offset);
    if (is_free(port)) return port;
  }
  return std::nullopt;
}

}  // namespace masq::nat
