#include "segment_queue.hpp"

#include <cstring>

namespace masq::io::detail {

SegmentQueue::SegmentQueue(std::size_t arena_bytes, std::size_t max_segments)
    : arena_(arena_bytes), segments_(max_segments) {}

SegmentResult SegmentQueue::push(std::span<const std::uint8_t> frame, GsoKind kind,
                                 std::uint16_t gso_size) {
  const std::span<std::uint8_t> free_bytes = std::span(arena_).subspan(used_);
  const std::span<std::span<std::uint8_t>> free_slots = std::span(segments_).subspan(count_);
  const SegmentResult r = segment_gso(frame, kind, gso_size, free_bytes, free_slots);
  if (r.error == SegmentError::ok) {
    used_ += r.bytes;
    count_ += r.frames;
  }
  return r;
}

void SegmentQueue::release() {
  if (next_ == count_) {
    used_ = next_ = count_ = 0;
    return;
  }
  // The pending segments are the newest, so they sit contiguously at the
  // end of the arena: slide them (and their views) to the front.
  std::uint8_t* const from = segments_[next_].data();
  const std::size_t shift = static_cast<std::size_t>(from - arena_.data());
  const std::size_t keep_bytes = used_ - shift;
  std::memmove(arena_.data(), from, keep_bytes);
  const std::size_t pending = count_ - next_;
  for (std::size_t i = 0; i < pending; ++i) {
    const std::span<std::uint8_t> old = segments_[next_ + i];
    segments_[i] = {old.data() - shift, old.size()};
  }
  used_ = keep_bytes;
  next_ = 0;
  count_ = pending;
}

}  // namespace masq::io::detail
