// The host interface: the gateway machine's own view of an interface that
// masqd owns, as FD.io VPP's linux-cp builds it. masqd holds lan0 and wan0
// without kernel addresses, which keeps the kernel off the data path but
// would cut the machine itself off its networks. So for each one, masqd
// makes a TAP in the kernel with the same MAC and MTU and the gateway's
// address on it: SSH, dnsmasq, a DHCP client and routing daemons use it as
// they would use the interface itself. What the kernel sends on the TAP
// comes out of receive(), to be sent on the wire; what the router hands the
// host goes in through send(). The TAP lives as long as the port (it is not
// persistent): closing it, or the death of the process, removes it.
// Cold to open; the port's calls are as hot as the host's own traffic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "masq/io/frame_port.hpp"
#include "masq/net/ipv4_addr.hpp"

namespace masq::io {

struct HostInterfaceSpec {
  std::string name;  // e.g. "masq-lan0"; at most 15 characters
  MacAddr mac{};     // the owned interface's MAC
  std::uint32_t mtu = 1500;
  // The gateway's address on the link, given to the kernel; none when the
  // kernel takes it itself (a DHCP client on the TAP).
  std::optional<net::Ipv4Addr> address;
  std::uint8_t prefix_length = 24;
  // The default route via this next hop (on the WAN: the host reaches
  // the internet as the gateway does); none on the LAN.
  std::optional<net::Ipv4Addr> gateway;
};

// A FramePort over a fresh TAP set up as `spec` says, up. send() takes TCP
// super-frames (net::Frame::gso_size) too, and cuts them first: the host
// sees only MTU-sized frames. Failures (no
// /dev/net/tun, a name in use, netlink refusing) come back as a message.
OpenResult open_host_interface(const HostInterfaceSpec& spec);

}  // namespace masq::io
