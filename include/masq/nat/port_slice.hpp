// Port slices: which worker owns an external port, an ICMP identifier or a
// subscriber, and which ports a worker's binder may hand out. One worker
// per slice of every port class on every external address, so that a
// WAN packet's destination port names the worker holding its session
// (docs/architecture.md, "Workers and steering"). The formulas are
// worker_owner.h's, shared with the kernel-side steering program.
// Pure; hot (the owner functions run per packet when there are workers).
#pragma once

#include <cstdint>

#include "masq/nat/engine_config.hpp"
#include "masq/nat/worker_owner.h"
#include "masq/net/ipv4_addr.hpp"
#include "masq/net/port.hpp"

namespace masq::nat {

// The worker whose slice holds `port` (an ICMP identifier for ICMP).
inline std::uint32_t port_owner(net::Proto proto, std::uint16_t port, std::uint32_t count) {
  return masq_port_owner(proto == net::Proto::icmp, port, count);
}

// The worker a subscriber (an inside host) belongs to.
inline std::uint32_t address_owner(net::Ipv4Addr addr, std::uint32_t count) {
  return masq_address_owner(addr.value(), count);
}

// The part of `cls` (a whole port class) that `slice` owns: exactly the
// ports p of the class with port_owner(p) == slice.index.
inline PortRange slice_range(PortRange cls, WorkerSlice slice) {
  if (slice.count <= 1) return cls;
  const std::uint64_t span = std::uint64_t{cls.last} - cls.first + 1;
  const auto start = [&](std::uint64_t k) { return (k * span + slice.count - 1) / slice.count; };
  return {static_cast<std::uint16_t>(cls.first + start(slice.index)),
          static_cast<std::uint16_t>(cls.first + start(slice.index + 1) - 1)};
}

// The IPv4 Identification a worker gives the k-th non-atomic datagram of a
// stream: worker w of N gives only IDs equal to w modulo N (below the
// largest multiple of N that fits 16 bits), so two workers sending from
// one address never give the same ID (RFC 6864 §4.1).
inline std::uint16_t slice_ip_id(std::uint16_t k, WorkerSlice slice) {
  const std::uint32_t count = slice.count == 0 ? 1 : slice.count;
  const std::uint32_t span = 65536 / count;
  return static_cast<std::uint16_t>((k % span) * count + slice.index);
}

}  // namespace masq::nat
