// Driving FramePorts in the io integration tests: audit every received
// frame (size within the MTU, IPv4 checksums verified from scratch by the
// tests' own oracle), bridge two ports, or wait for a particular frame.
// Cold.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "masq/io/frame_port.hpp"

namespace masq::test {

// A TCPv4 super-frame (gso_size != 0) is judged by the frames it becomes
// on the wire: its headers plus gso_size must fit, its IPv4 header checksum
// must verify, and its TCP checksum field must hold the seed the egress
// device finishes each segment's checksum from (docs/adr/0004). Whether
// the segments' checksums come out right, the receiving kernel judges.
struct FrameAudit {
  std::size_t max_frame_bytes = 1514;  // MTU 1500 + Ethernet header
  std::size_t frames = 0;
  std::size_t ipv4_frames = 0;
  std::size_t super_frames = 0;
  std::size_t largest = 0;            // on the wire: a super-frame counts by its segments
  std::vector<std::string> problems;  // the first few, for the failure message

  void check(std::span<const std::uint8_t> frame, std::uint16_t gso_size = 0);
};

// Forwards frames both ways between a and b until `done` is set (then one
// more second, for the last ACKs) or `limit` has passed; audits each one.
void bridge(io::FramePort& a, io::FramePort& b, const std::atomic<bool>& done,
            std::chrono::seconds limit, FrameAudit& audit);

// Receives from `port` for up to `limit`, auditing each frame, until
// `wanted` returns true for one; returns whether it did.
bool receive_until(io::FramePort& port, std::chrono::milliseconds limit, FrameAudit& audit,
                   const std::function<bool(std::span<const std::uint8_t>)>& wanted);

}  // namespace masq::test
