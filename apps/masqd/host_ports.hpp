// HostPorts: the host interfaces of the LAN and WAN sides
// (io/host_interface.hpp), the gateway machine's own view of its links.
// The worker that serves them owns them: what the router hands a side's
// host goes there, and what the host sends there goes through the router
// to the wire. Either may be absent (no host interfaces: both are).
// Hot as the host's own traffic; cold to make.
#pragma once

#include <memory>

#include "masq/io/frame_port.hpp"
#include "masq/net/side.hpp"

namespace masq::app {

struct HostPorts {
  std::unique_ptr<io::FramePort> lan;
  std::unique_ptr<io::FramePort> wan;

  io::FramePort* port(Side side) const { return side == Side::lan ? lan.get() : wan.get(); }
};

}  // namespace masq::app
