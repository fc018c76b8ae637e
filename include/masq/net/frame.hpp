// Frame: one Ethernet frame as io hands it out and takes it back, and as
// the router reads and emits it: the one description of those bytes, so a
// worker passes a received batch to the router and the router's output to
// io without converting.
//
// bytes is a view, writable in place; the frame's owner (an io ring, the
// router's buffers) says how long it stays valid. gso_size is 0 for an
// ordinary frame; otherwise the frame is a TCPv4 super-frame: IPv4 and TCP
// headers valid for the whole, the TCP checksum field holding the folded
// pseudo-header sum (the seed Linux leaves for CHECKSUM_PARTIAL), and a
// payload the egress link cuts into segments of at most gso_size bytes, each
// with a copy of the headers (docs/adr/0003-tcp-super-frames.md,
// 0004-super-frame-checksum-seed.md). Hot: a plain value, no behaviour.
#pragma once

#include <cstdint>
#include <span>

namespace masq::net {

struct Frame {
  std::span<std::uint8_t> bytes;
  std::uint16_t gso_size = 0;
};

}  // namespace masq::net
