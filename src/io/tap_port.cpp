#include "tap_port.hpp"

#include <unistd.h>

#include "gso_segment.hpp"

namespace masq::io::detail {
namespace {

constexpr std::size_t kLinkHeaderBytes = 14 + 4;  // Ethernet and one VLAN tag
constexpr std::size_t kMinFrameBytes = 14;
// The most segments one super-frame may become: 64 KiB in 1448-byte
// segments is 46.
constexpr std::size_t kMaxSegments = 64;

}  // namespace

TapPort::TapPort(UniqueFd tap, PortInfo info, std::uint32_t rx_slots)
    : fd_(std::move(tap)),
      info_(std::move(info)),
      slot_bytes_(std::size_t{info_.mtu} + kLinkHeaderBytes),
      rx_slots_(rx_slots),
      arena_(slot_bytes_ * rx_slots),
      tx_arena_(slot_bytes_ * kMaxSegments),
      tx_segments_(kMaxSegments) {}

std::size_t TapPort::receive(std::span<net::Frame> out) {
  std::size_t n = 0;
  while (n < out.size() && rx_used_ < rx_slots_) {
    std::uint8_t* const slot = arena_.data() + std::size_t{rx_used_} * slot_bytes_;
    const ssize_t got = ::read(fd_.get(), slot, slot_bytes_);
    if (got < 0) break;  // EAGAIN: nothing more now (other errors: the same)
    if (static_cast<std::size_t>(got) < kMinFrameBytes) {
      ++stats_.rx_dropped_truncated;
      continue;
    }
    ++rx_used_;
    out[n++] = {{slot, static_cast<std::size_t>(got)}, 0};
    stats_.rx_bytes += static_cast<std::uint64_t>(got);
  }
  stats_.rx_frames += n;
  return n;
}

bool TapPort::write_frame(std::span<const std::uint8_t> frame) {
  if (::write(fd_.get(), frame.data(), frame.size()) != static_cast<ssize_t>(frame.size())) {
    ++stats_.tx_dropped_kernel;
    return false;
  }
  stats_.tx_bytes += frame.size();
  return true;
}

std::size_t TapPort::send_segments(const net::Frame& f) {
  const SegmentResult r = segment_gso(f.bytes, GsoKind::tcp4, f.gso_size, tx_arena_, tx_segments_);
  if (r.error != SegmentError::ok) {
    ++stats_.tx_dropped_bad_size;
    return 0;
  }
  ++stats_.tx_gso_frames;
  std::size_t sent = 0;
  for (std::size_t i = 0; i < r.frames; ++i)
    if (write_frame(tx_segments_[i])) ++sent;
  return sent;
}

std::size_t TapPort::send(std::span<const net::Frame> frames) {
  std::size_t sent = 0;
  for (const net::Frame& f : frames) {
    if (f.gso_size != 0) {
      sent += send_segments(f);
      continue;
    }
    if (f.bytes.size() < kMinFrameBytes || f.bytes.size() > slot_bytes_) {
      ++stats_.tx_dropped_bad_size;
      continue;
    }
    if (write_frame(f.bytes)) ++sent;
  }
  stats_.tx_frames += sent;
  return sent;
}

}  // namespace masq::io::detail
