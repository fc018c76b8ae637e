// Start-up checks of the interfaces masqd takes over. Cold.
#pragma once

#include <string>

namespace masq::app {

// masqd owns the addresses of its interfaces: a kernel IPv4 address on one
// would make the kernel answer ARP and ICMP beside us. Empty when the
// interface has none; otherwise a message that says what to do.
std::string kernel_ipv4_problem(const std::string& ifname);

}  // namespace masq::app
