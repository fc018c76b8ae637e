#include "fake_port.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>

namespace masq::app::test {

FakePort::FakePort(io::PortInfo info, std::size_t max_per_receive)
    : info_(std::move(info)),
      max_per_receive_(max_per_receive),
      wait_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

FakePort::~FakePort() {
  ::close(wait_fd_);
}

void FakePort::feed(Source source, std::uint64_t count) {
  const std::lock_guard lock(mutex_);
  source_ = std::move(source);
  remaining_ += count;
  const std::uint64_t one = 1;
  static_cast<void>(::write(wait_fd_, &one, sizeof one));
}

std::uint64_t FakePort::received() const {
  const std::lock_guard lock(mutex_);
  return stats_.rx_frames;
}

std::uint64_t FakePort::receive_calls() const {
  const std::lock_guard lock(mutex_);
  return receive_calls_;
}

std::vector<Bytes> FakePort::sent() const {
  const std::lock_guard lock(mutex_);
  return sent_;
}

std::size_t FakePort::receive(std::span<net::Frame> out) {
  const std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (; n < std::min(out.size(), max_per_receive_) && remaining_ > 0; ++n, --remaining_) {
    // A moved vector keeps its buffer: earlier frames stay where they are.
    held_.push_back(source_(next_index_++));
    out[n] = {held_.back(), 0};
    ++stats_.rx_frames;
    stats_.rx_bytes += held_.back().size();
  }
  if (n > 0) ++receive_calls_;
  if (remaining_ == 0) {
    std::uint64_t count;
    static_cast<void>(::read(wait_fd_, &count, sizeof count));
  }
  return n;
}

void FakePort::release_rx() {
  const std::lock_guard lock(mutex_);
  held_.clear();
}

std::size_t FakePort::send(std::span<const net::Frame> frames) {
  const std::lock_guard lock(mutex_);
  for (const net::Frame& f : frames) {
    sent_.emplace_back(f.bytes.begin(), f.bytes.end());
    ++stats_.tx_frames;
    stats_.tx_bytes += f.bytes.size();
  }
  return frames.size();
}

io::PortStats FakePort::stats() {
  const std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace masq::app::test
