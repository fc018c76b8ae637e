#include "tap_port.hpp"

#include <unistd.h>

namespace masq::io::detail {
namespace {

constexpr std::size_t kLinkHeaderBytes = 14 + 4;  // Ethernet and one VLAN tag
constexpr std::size_t kMinFrameBytes = 14;

}  // namespace

TapPort::TapPort(UniqueFd tap, PortInfo info, std::uint32_t rx_slots)
    : fd_(std::move(tap)),
      info_(std::move(info)),
      slot_bytes_(std::size_t{info_.mtu} + kLinkHeaderBytes),
      rx_slots_(rx_slots),
      arena_(slot_bytes_ * rx_slots) {}

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

std::size_t TapPort::send(std::span<const net::Frame> frames) {
  std::size_t sent = 0;
  for (const net::Frame& f : frames) {
    if (f.gso_size != 0 || f.bytes.size() < kMinFrameBytes || f.bytes.size() > slot_bytes_) {
      ++stats_.tx_dropped_bad_size;
      continue;
    }
    if (::write(fd_.get(), f.bytes.data(), f.bytes.size()) !=
        static_cast<ssize_t>(f.bytes.size())) {
      ++stats_.tx_dropped_kernel;
      continue;
    }
    ++sent;
    stats_.tx_bytes += f.bytes.size();
  }
  stats_.tx_frames += sent;
  return sent;
}

}  // namespace masq::io::detail
