// AfXdpPort: a FramePort over one AF_XDP socket bound to one queue, with a
// UMEM split in two fixed pools: rx chunks circulate fill ring -> rx ring ->
// caller -> fill ring (on release_rx); tx chunks circulate free list -> tx
// ring -> completion ring -> free list. The XDP program is ours to attach
// and detach (xsk_program.hpp). Wakeup syscalls are made only when the
// kernel flags a ring as needing one (XDP_USE_NEED_WAKEUP). Internal to io.
#pragma once

#include <xdp/xsk.h>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "masq/io/frame_port.hpp"
#include "unique_fd.hpp"
#include "xsk_program.hpp"

namespace masq::io::detail {

class AfXdpPort final : public FramePort {
 public:
  // `claim`: the interface's claim (interface_claim.hpp), held until close().
  static OpenResult open(std::string_view ifname, const PortOptions& options, UniqueFd claim);
  ~AfXdpPort() override;

  std::size_t receive(std::span<net::Frame> out) override;
  void release_rx() override;
  std::size_t send(std::span<const net::Frame> frames) override;
  void flush() override;
  int wait_fd() const override;
  PortStats stats() override;
  const PortInfo& info() const override { return info_; }
  void close() override;

 private:
  AfXdpPort(PortInfo info, const PortOptions& options);
  // Creates the UMEM and the socket, binds it, and fills the rings; on
  // failure leaves nothing behind and returns the errno-style code.
  int create_socket(bool zero_copy);
  void destroy_socket();
  void reclaim_completions();
  void kick_tx();

  PortInfo info_;
  const std::uint32_t queue_id_;
  const std::uint32_t rx_slots_;
  const std::uint32_t tx_slots_;
  const std::uint32_t frame_bytes_;
  const bool repair_checksums_;
  const std::size_t max_tx_frame_;

  UniqueFd claim_;
  UniqueFd promiscuous_;  // an AF_PACKET socket holding the promiscuous membership
  std::unique_ptr<XskProgram> program_;
  void* area_ = nullptr;
  std::size_t area_bytes_ = 0;
  xsk_umem* umem_ = nullptr;
  xsk_socket* xsk_ = nullptr;
  // libxdp keeps pointers to these: the port never moves (held by pointer).
  xsk_ring_prod fill_{};
  xsk_ring_cons comp_{};
  xsk_ring_cons rx_{};
  xsk_ring_prod tx_{};

  std::vector<std::uint64_t> held_;     // rx chunks handed out, back to fill at release_rx
  std::vector<std::uint64_t> free_tx_;  // tx chunks ready for send()
  bool tx_pending_ = false;
  PortStats stats_;
};

}  // namespace masq::io::detail
