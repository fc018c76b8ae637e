// TapPort: a FramePort over a TAP device (IFF_TAP | IFF_NO_PI), the host
// interface's data path. The kernel's frames are read into a fixed arena
// of MTU-sized slots and stay valid until release_rx(); send() writes each
// frame at once (flush() has nothing to do), a TCP super-frame cut into
// its segments first (gso_segment.hpp). No offloads are asked for, so the
// kernel hands over only complete, MTU-sized frames. Internal to io.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "masq/io/frame_port.hpp"
#include "unique_fd.hpp"

namespace masq::io::detail {

class TapPort final : public FramePort {
 public:
  // `tap`: an open, configured TAP descriptor (non-blocking).
  TapPort(UniqueFd tap, PortInfo info, std::uint32_t rx_slots);

  std::size_t receive(std::span<net::Frame> out) override;
  void release_rx() override { rx_used_ = 0; }
  std::size_t send(std::span<const net::Frame> frames) override;
  void flush() override {}
  int wait_fd() const override { return fd_.get(); }
  PortStats stats() override { return stats_; }
  const PortInfo& info() const override { return info_; }
  void close() override { fd_.reset(); }

 private:
  UniqueFd fd_;
  PortInfo info_;
  std::size_t slot_bytes_;
  std::uint32_t rx_slots_;
  bool write_frame(std::span<const std::uint8_t> frame);
  std::size_t send_segments(const net::Frame& frame);

  std::vector<std::uint8_t> arena_;
  std::vector<std::uint8_t> tx_arena_;  // the segments of one super-frame
  std::vector<std::span<std::uint8_t>> tx_segments_;
  std::uint32_t rx_used_ = 0;  // slots handed out since release_rx()
  PortStats stats_;
};

}  // namespace masq::io::detail
