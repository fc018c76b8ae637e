// AfPacketPort: a FramePort over one AF_PACKET socket with TPACKET_V2 RX
// and TX rings of MTU-sized slots (TX sent by one send() kick).
// RX slots are handed over one by one, each the moment the kernel fills it,
// so a lone packet crosses at once and poll() wakes for it (TPACKET_V3
// hands over whole blocks, a lone packet only when its block's timer, 1 ms
// at least, retires it; docs/adr/0006-af-packet-latency.md). A frame larger
// than a slot, a GSO super-frame, is queued whole to the socket as well
// (PACKET_COPY_THRESH) and read from there into a copy buffer.
// PACKET_VNET_HDR gives every received frame its offload state, which is
// undone here (docs/adr/0002-offloads.md); transmitted frames carry a zero
// virtio-net header. With keep_tcp_gso, TCPv4 super-frames are handed over
// whole and sent whole through a second, ringless socket (a ring slot holds
// one MTU frame) with a header that leaves segmentation to the kernel
// (docs/adr/0003-tcp-super-frames.md). Internal to io.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "masq/io/frame_port.hpp"
#include "segment_queue.hpp"
#include "unique_fd.hpp"

struct tpacket2_hdr;

namespace masq::io::detail {

class AfPacketPort final : public FramePort {
 public:
  // `claim`: the interface's claim (interface_claim.hpp), held until close().
  static OpenResult open(std::string_view ifname, const PortOptions& options, UniqueFd claim);
  ~AfPacketPort() override;

  std::size_t receive(std::span<net::Frame> out) override;
  void release_rx() override;
  std::size_t send(std::span<const net::Frame> frames) override;
  void flush() override;
  int wait_fd() const override { return fd_.get(); }
  PortStats stats() override;
  const PortInfo& info() const override { return info_; }
  void close() override;

  // Joins the interface's PACKET_FANOUT group (its id: the ifindex), in
  // which `program_fd` (when >= 0) steers each frame to one member: its
  // return value modulo the members is the member's index, members indexed
  // in the order they joined. Empty, or what failed.
  std::string join_fanout(int program_fd);

  // Ring sizes, derived from the options and the MTU.
  struct Ring {
    std::size_t slot_bytes;
    std::size_t block_bytes;
    std::uint32_t slots;
  };
  struct Geometry {
    Ring rx;
    Ring tx;
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
  Take take(tpacket2_hdr& packet, net::Frame& slot);
  // The whole of a frame its slot holds only the start of (TP_STATUS_COPY),
  // from the socket queue; `vnet` then points at its virtio-net header.
  // nullopt: no copy buffer is free until release_rx(). Empty: lost.
  std::optional<std::span<std::uint8_t>> copied_frame(std::uint8_t*& vnet);
  bool send_super_frame(std::span<const std::uint8_t> bytes, std::uint16_t gso_size);
  std::uint8_t* rx_slot(std::uint32_t index) const;
  std::uint8_t* tx_slot(std::uint32_t index) const;

  PortInfo info_;
  const Geometry geometry_;
  UniqueFd claim_;
  UniqueFd fd_;
  UniqueFd gso_fd_;  // sends super-frames; open only with keep_tcp_gso
  std::uint8_t* map_ = nullptr;
  std::size_t map_bytes_ = 0;

  std::uint32_t rx_head_ = 0;   // the next slot to look at
  std::uint32_t rx_taken_ = 0;  // slots before rx_head_ not yet handed back
  std::vector<std::uint8_t> copies_;
  std::size_t copies_used_ = 0;

  std::uint32_t tx_head_ = 0;
  bool tx_pending_ = false;

  SegmentQueue segments_;
  PortStats stats_;
};

}  // namespace masq::io::detail
