// Link and address changes through rtnetlink (libnl-route-3): what masqd
// sets up on the host interfaces. Each call opens its own netlink socket in
// the calling thread's network namespace. Errors come back as a message,
// empty on success. Internal to io; cold.
#pragma once

#include <cstdint>
#include <string>

#include "masq/io/frame_port.hpp"
#include "masq/net/ipv4_addr.hpp"

namespace masq::io::detail {

// Sets the link's MAC and MTU and brings it up.
std::string configure_link(int ifindex, const MacAddr& mac, std::uint32_t mtu);

// Adds address/prefix_length to the link (the kernel adds the prefix route).
std::string add_ipv4_address(int ifindex, net::Ipv4Addr address, std::uint8_t prefix_length);

// Adds a default route via `gateway` (on a prefix of the link) out of the link.
std::string add_default_route(int ifindex, net::Ipv4Addr gateway);

}  // namespace masq::io::detail
