// PCP requests for another worker's host. With several workers a LAN
// host's mappings live in the worker its traffic is steered to (LAN
// traffic by source address, port_slice.hpp), so a MAP or PEER request
// that names another host (THIRD_PARTY, RFC 6887 §13.1) is handed to that
// host's worker, which makes the mapping in its own engine and port slice
// and answers the requester. The request travels whole with what the
// answer needs: the requester's MAC, address and port. Cold: per request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "masq/router/local_udp.hpp"

namespace masq::app {

// The host a PCP request's THIRD_PARTY option names; none for a request
// without one, for NAT-PMP and for what does not decode (its own worker
// answers those, with the error).
std::optional<net::Ipv4Addr> third_party_host(const router::LocalDatagram& d);

// Octets a packed datagram takes beyond its payload.
inline constexpr std::size_t kPackedDatagramHeader = 6 + 4 + 2 + 4 + 2;

// `d` (a LAN one) packed into `out`; the octets used, 0 when it does not fit.
std::size_t pack(const router::LocalDatagram& d, std::span<std::uint8_t> out);
// What pack() wrote, its payload pointing into `bytes`; none when too short.
std::optional<router::LocalDatagram> unpack(std::span<const std::uint8_t> bytes);

}  // namespace masq::app
