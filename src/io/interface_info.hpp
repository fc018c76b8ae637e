// Looking up an interface by name in the calling thread's network namespace:
// index, MAC address and MTU. Internal to io; cold (once per open).
#pragma once

#include <string>
#include <string_view>

#include "masq/io/frame_port.hpp"

namespace masq::io::detail {

struct InterfaceLookup {
  PortInfo info;      // mode left empty for the backend to fill
  std::string error;  // set when the interface is missing or not Ethernet
};

InterfaceLookup lookup_interface(std::string_view ifname);

// Puts the interface in promiscuous mode for as long as `packet_fd` (any
// AF_PACKET socket) stays open: the kernel counts such memberships and
// drops them with the socket, so a crash cannot leave the mode on.
// Returns an error message, empty on success.
std::string add_promiscuous_membership(int packet_fd, int ifindex);

// strerror(errnum) as a std::string, thread-safe.
std::string error_text(int errnum);

}  // namespace masq::io::detail
