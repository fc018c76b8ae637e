// AfXdpPort: a FramePort over one AF_XDP socket bound to one queue, with a
// UMEM split in two fixed pools: rx chunks circulate fill ring -> rx ring ->
// caller -> fill ring (on release_rx); tx chunks circulate free list -> tx
// ring -> completion ring -> free list. The ports of one interface (one per
// queue) share its claim, its promiscuous membership and the XDP program
// (xsk_program.hpp), which redirects each frame to the socket of the queue
// it arrived on; the last port to close releases them. Wakeup syscalls are
// made only when the kernel flags a ring as needing one
// (XDP_USE_NEED_WAKEUP). Internal to io.
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

// What the ports of one interface hold together. The program is
// destroyed first (members go in reverse order): nothing is steered to
// the interface's sockets once the claim is released.
struct XdpInterface {
  UniqueFd claim;        // interface_claim.hpp
  UniqueFd promiscuous;  // an AF_PACKET socket holding the promiscuous membership
  std::unique_ptr<XskProgram> program;
};

class AfXdpPort final : public FramePort {
 public:
  // `count` ports on queues queue_id, queue_id + 1, ...; all of them or an
  // error. `claim`: the interface's claim, held until the last one closes.
  static OpenManyResult open(std::string_view ifname, const PortOptions& options, std::size_t count,
                             UniqueFd claim);
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
  AfXdpPort(PortInfo info, const PortOptions& options, std::uint32_t queue_id,
            std::shared_ptr<XdpInterface> shared);
  // The socket in zero-copy mode when asked and possible, else in copy
  // mode; an error message, empty on success.
  std::string bind(bool native, bool try_zero_copy);
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

  std::shared_ptr<XdpInterface> shared_;
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
