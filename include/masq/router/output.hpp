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

// An IPv4 packet that arrived on `side` and belongs to another worker
// (nat::Engine::owner()), untouched: that worker's router takes it through
// Router::process_handed() as if it had arrived there.
struct HandOff {
  std::uint32_t worker = 0;
  Side side = Side::lan;
  std::span<const std::uint8_t> packet;
};

class Output {
 public:
  explicit Output(std::size_t capacity_per_side) {
    for (auto& side : frames_) side.reserve(capacity_per_side);
    local_.reserve(capacity_per_side);
    for (auto& side : host_) side.reserve(capacity_per_side);
    hand_offs_.reserve(capacity_per_side);
  }

  // To the wire of `side`.
  std::span<const net::Frame> frames(Side side) const { return frames_[index(side)]; }
  // To the host interface of `side`.
  std::span<const net::Frame> host(Side side) const { return host_[index(side)]; }
  std::span<const HandOff> hand_offs() const { return hand_offs_; }

  // Precondition: fewer than capacity_per_side frames queued on `side`.
  void push(Side side, net::Frame frame) noexcept { frames_[index(side)].push_back(frame); }
  // Precondition: fewer than capacity_per_side hand-offs (one per rx frame).
  void hand_off(const HandOff& h) noexcept { hand_offs_.push_back(h); }
  void push_host(Side side, net::Frame frame) noexcept { host_[index(side)].push_back(frame); }
  void clear() noexcept {
    for (auto& side : frames_) side.clear();
    local_.clear();
    for (auto& side : host_) side.clear();
    hand_offs_.clear();
  }

  std::span<const LocalDatagram> local() const { return local_; }
  // Precondition: fewer than capacity_per_side datagrams queued.
  void push_local(const LocalDatagram& d) noexcept { local_.push_back(d); }

 private:
  static std::size_t index(Side side) { return side == Side::lan ? 0 : 1; }
  std::vector<net::Frame> frames_[2];
  std::vector<LocalDatagram> local_;
  std::vector<net::Frame> host_[2];
  std::vector<HandOff> hand_offs_;
};

}  // namespace masq::router
