// What an engine's external addresses and subscribers hold, for the
// operator (masqd's warnings of an address nearing full and of the hosts
// that hit their quotas). Plain values, copied out between batches. Cold.
#pragma once

#include <cstdint>

#include "masq/net/ipv4_addr.hpp"
#include "masq/net/names.hpp"

namespace masq::nat {

// One pool address, one protocol: the mappings (external ports, ICMP
// identifiers) held there, and the ports new mappings are given from
// there: this worker's slice of 1024-65535 (of every identifier for
// ICMP), less the gateway host's own ports on that address. A host whose
// source port is below 1024 gets one below 1024, beyond `ports`.
struct AddressUse {
  net::Ipv4Addr addr;
  net::Proto proto = net::Proto::udp;
  std::uint32_t mappings = 0;
  std::uint32_t ports = 0;
  bool operator==(const AddressUse&) const = default;
};

// One subscriber (inside host): its sessions and mappings (RFC 6888
// REQ-4/5 count them against its quotas).
struct SubscriberUse {
  net::Ipv4Addr addr;
  std::uint32_t sessions = 0;
  std::uint32_t mappings = 0;
  bool operator==(const SubscriberUse&) const = default;
};

}  // namespace masq::nat
