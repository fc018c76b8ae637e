// FakePort: an in-memory io::FramePort for driving masqd's worker in
// tests. Frames to receive come from a generator, as many as fed; sent
// frames are kept. The worker's thread and the test's use it at once, so
// every call takes a mutex (a test double: no hot path to protect). Cold.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "masq/io/frame_port.hpp"

namespace masq::app::test {

using Bytes = std::vector<std::uint8_t>;

class FakePort final : public io::FramePort {
 public:
  // The frame with the given index (0, 1, 2, ... over the port's life).
  using Source = std::function<Bytes(std::uint64_t index)>;

  // At most max_per_receive frames per receive() call: a trickle that
  // keeps the worker's loop turning without flooding it.
  explicit FakePort(io::PortInfo info, std::size_t max_per_receive = 256);
  ~FakePort() override;

  // Hands out `count` more frames made by `source`.
  void feed(Source source, std::uint64_t count);
  // Frames handed to the worker so far, and receive() calls that gave any.
  std::uint64_t received() const;
  std::uint64_t receive_calls() const;
  std::vector<Bytes> sent() const;

  std::size_t receive(std::span<net::Frame> out) override;
  void release_rx() override;
  std::size_t send(std::span<const net::Frame> frames) override;
  void flush() override {}
  int wait_fd() const override { return wait_fd_; }
  io::PortStats stats() override;
  const io::PortInfo& info() const override { return info_; }
  void close() override {}

 private:
  io::PortInfo info_;
  std::size_t max_per_receive_;
  int wait_fd_;  // an eventfd, readable while frames remain to be received
  mutable std::mutex mutex_;
  Source source_;
  std::uint64_t remaining_ = 0;
  std::uint64_t next_index_ = 0;
  std::uint64_t receive_calls_ = 0;
  std::vector<Bytes> held_;  // received, not yet released
  std::vector<Bytes> sent_;
  io::PortStats stats_;
};

}  // namespace masq::app::test
