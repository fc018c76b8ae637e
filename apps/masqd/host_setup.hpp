// The gateway host's side of masqd's start: the host interfaces made for
// the links masqd owns (named, addressed and routed as the config says)
// and the port range kept for the host's own connections. Cold.
#pragma once

#include <optional>
#include <string>

#include "host_ports.hpp"
#include "masq/config/config.hpp"
#include "masq/io/frame_port.hpp"

namespace masq::app {

// The kernel's net.ipv4.ip_local_port_range (the ports its own
// connections take), or nothing when it cannot be read.
std::optional<nat::PortRange> kernel_local_port_range();

// cfg.host.ports, or the kernel's range. Empty on failure, with `error` set.
std::optional<nat::PortRange> host_port_range(const config::Config& cfg, std::string& error);

struct OpenedHost {
  HostPorts ports;
  std::string error;  // empty on success
};

// A TAP per side with the link's MAC and MTU and the gateway's address on
// it; the WAN one also carries the default route via cfg.gateway (with
// DHCP on the WAN, neither: the lease brings them).
OpenedHost open_host_ports(const config::Config& cfg, const io::PortInfo& lan,
                           const io::PortInfo& wan);

}  // namespace masq::app
