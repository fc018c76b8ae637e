// AfPacketPort: a FramePort over one AF_PACKET socket with a TPACKET_V3 RX
// ring (blocks of frames, handed over when full or after block_timeout_ms)
// and a TPACKET_V3 TX ring (fixed-size slots, sent by one send() kick).
// PACKET_VNET_HDR gives every received frame its offload state, which is
// undone here (docs/adr/0002-offloads.md); transmitted frames carry a zero
// virtio-net header. With keep_tcp_gso, TCPv4 super-frames are handed over
// whole and sent whole through a second, ringless socket (a ring slot holds
// one MTU frame) with a header that leaves segmentation to the kernel
// (docs/adr/0003-tcp-super-frames.md). Internal to io.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "masq/io/frame_port.hpp"
#include "segment_queue.hpp"
#include "unique_fd.hpp"

struct tpacket3_hdr;

namespace masq::io::detail {

class AfPacketPort final : public FramePort {
 public:
  static OpenResult open(std::string_view ifname, const PortOptions& options);
  ~AfPacketPort() override;

  std::size_t receive(std::span<net::Frame> out) override;
  void release_rx() override;
  std::size_t send(std::span<const net::Frame> frames) override;
  void flush() override;
  int wait_fd() const override { return fd_.get(); }
  PortStats stats() override;
  const PortInfo& info() const override { return info_; }
  void close() override;

  // Ring sizes, derived from the options and the MTU.
  struct Geometry {
    std::uint32_t rx_blocks;
    std::size_t tx_slot_bytes;
    std::size_t tx_block_bytes;
    std::uint32_t tx_slots;
    std::size_t max_tx_frame;
  };

 private:
  AfPacketPort(PortInfo info, const PortOptions& options);
  std::string setup(const PortOptions& options);

  // What happened to one ring frame: consumed (the ring may move on) and
  // whether a frame was written to the caller's slot.
  struct Take {
    bool consumed;
    bool emitted;
  };
  Take take(tpacket3_hdr& packet, net::Frame& slot);
  bool send_super_frame(std::span<const std::uint8_t> bytes, std::uint16_t gso_size);
  bool open_block();
  void finish_block();
  std::uint8_t* rx_block(std::uint32_t index) const;
  std::uint8_t* tx_slot(std::uint32_t index) const;

  PortInfo info_;
  const Geometry geometry_;
  UniqueFd fd_;
  UniqueFd gso_fd_;  // sends super-frames; open only with keep_tcp_gso
  std::uint8_t* map_ = nullptr;
  std::size_t map_bytes_ = 0;

  std::uint32_t block_index_ = 0;  // the block being walked or waited for
  bool in_block_ = false;
  std::uint32_t block_remaining_ = 0;
  std::uint8_t* next_packet_ = nullptr;
  std::vector<std::uint32_t> walked_blocks_;  // done, handed back at release_rx

  std::uint32_t tx_head_ = 0;
  bool tx_pending_ = false;

  SegmentQueue segments_;
  PortStats stats_;
};

}  // namespace masq::io::detail
