// Output: the frames one Router call wants transmitted, per side, in the
// form io's FramePort::send() takes them: to the wire of each side, and to
// each side's host interface (the gateway machine's own view of the link,
// io/host_interface.hpp). The frames refer to the caller's own rx frames
// (rewritten in place) or to router-owned buffers; all stay valid until
// the router's next call.
// Beside them, the datagrams for the gateway's own services (local
// delivery, local_udp.hpp), which the caller serves rather than sends.
// Capacity is fixed at construction and sized by the router so that a
// call can never overflow it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "masq/net/frame.hpp"
#include "masq/net/side.hpp"
#include "masq/router/local_udp.hpp"

namespace masq::router {

class Output {
 public:
  explicit Output(std::size_t capacity_per_side) {
    for (auto& side : frames_) side.reserve(capacity_per_side);
    local_.reserve(capacity_per_side);
    for (auto& side : host_) side.reserve(capacity_per_side);
  }

  // To the wire of `side`.
  std::span<const net::Frame> frames(Side side) const { return frames_[index(side)]; }
  // To the host interface of `side`.
  std::span<const net::Frame> host(Side side) const { return host_[index(side)]; }

  // Precondition: fewer than capacity_per_side frames queued on `side`.
  void push(Side side, net::Frame frame) noexcept { frames_[index(side)].push_back(frame); }
  void push_host(Side side, net::Frame frame) noexcept { host_[index(side)].push_back(frame); }
  void clear() noexcept {
    for (auto& side : frames_) side.clear();
    local_.clear();
    for (auto& side : host_) side.clear();
  }

  std::span<const LocalDatagram> local() const { return local_; }
  // Precondition: fewer than capacity_per_side datagrams queued.
  void push_local(const LocalDatagram& d) noexcept { local_.push_back(d); }

 private:
  static std::size_t index(Side side) { return side == Side::lan ? 0 : 1; }
  std::vector<net::Frame> frames_[2];
  std::vector<LocalDatagram> local_;
  std::vector<net::Frame> host_[2];
};

}  // namespace masq::router
