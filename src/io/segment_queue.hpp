// SegmentQueue: where a receive path cuts GSO super-frames into segments and
// keeps those it could not hand out yet (the caller's batch was full).
// Segments handed out stay valid until release(); pending ones survive it
// (they are moved to the front of the arena). Fixed capacity, allocated once.
// Internal to io; warm (only super-frames come here).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gso_segment.hpp"

namespace masq::io::detail {

class SegmentQueue {
 public:
  SegmentQueue(std::size_t arena_bytes, std::size_t max_segments);

  // Segments `frame` into the queue. no_room means "not now": retry after
  // release(), unless empty() already holds, in which case it never fits.
  SegmentResult push(std::span<const std::uint8_t> frame, GsoKind kind, std::uint16_t gso_size);

  bool has_pending() const { return next_ < count_; }
  bool empty() const { return count_ == 0; }
  std::span<std::uint8_t> pop() { return segments_[next_++]; }

  // Every segment popped so far is no longer in use.
  void release();

 private:
  std::vector<std::uint8_t> arena_;
  std::vector<std::span<std::uint8_t>> segments_;
  std::size_t used_ = 0;   // arena bytes holding segments
  std::size_t next_ = 0;   // first segment not yet popped
  std::size_t count_ = 0;  // segments in the queue, popped or not
};

}  // namespace masq::io::detail
