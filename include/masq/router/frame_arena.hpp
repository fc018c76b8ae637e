// FrameArena: the transmit buffers for frames the router makes itself (ARP,
// echo replies, ICMP errors, fragments). Slots of one size, allocated once;
// all are handed back at once by reset(), which the router calls at the
// start of each call, after the caller has sent the previous call's frames.
// Hot enough (fragments): allocate() is a bump of an index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace masq::router {

class FrameArena {
 public:
  FrameArena(std::uint32_t slots, std::size_t slot_bytes)
      : storage_(std::size_t{slots} * slot_bytes), slot_bytes_(slot_bytes), slots_(slots) {}

  // A slot of slot_bytes(), or an empty span when all are in use.
  std::span<std::uint8_t> allocate() noexcept {
    if (used_ == slots_) return {};
    return {storage_.data() + used_++ * slot_bytes_, slot_bytes_};
  }
  void reset() noexcept { used_ = 0; }

  std::size_t slot_bytes() const noexcept { return slot_bytes_; }
  std::size_t used() const noexcept { return used_; }
  std::size_t available() const noexcept { return slots_ - used_; }

 private:
  std::vector<std::uint8_t> storage_;
  std::size_t slot_bytes_;
  std::size_t slots_;
  std::size_t used_ = 0;
};

}  // namespace masq::router
