#include "port_harness.hpp"

#include <poll.h>

#include <algorithm>
#include <array>

#include "support/checksum_oracle.hpp"

namespace masq::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kBatch = 64;
constexpr std::size_t kMaxProblems = 10;
constexpr auto kDrainAfterDone = std::chrono::seconds(1);

bool is_ipv4(std::span<const std::uint8_t> frame) {
  return frame.size() >= 14 && frame[12] == 0x08 && frame[13] == 0x00;
}

void wait_readable(io::FramePort& a, io::FramePort* b) {
  std::array<pollfd, 2> fds{{{a.wait_fd(), POLLIN, 0}, {b ? b->wait_fd() : -1, POLLIN, 0}}};
  ::poll(fds.data(), fds.size(), 5);
}

// Moves one batch from `from` to `to`; returns how many frames moved.
std::size_t forward(io::FramePort& from, io::FramePort& to, FrameAudit& audit) {
  std::array<net::Frame, kBatch> rx;
  const std::size_t n = from.receive(rx);
  for (std::size_t i = 0; i < n; ++i) audit.check(rx[i].bytes, rx[i].gso_size);
  to.send(std::span(rx).first(n));
  from.release_rx();
  to.flush();
  return n;
}

// The Ethernet, IPv4 and TCP headers of an untagged TCPv4 frame; 0 when
// it is not one.
std::size_t tcp_headers(std::span<const std::uint8_t> frame) {
  if (!is_ipv4(frame) || frame.size() < 14 + 20 || frame[14 + 9] != 6) return 0;
  const std::size_t l4 = 14 + std::size_t{frame[14] & 0x0Fu} * 4;
  if (frame.size() < l4 + 20) return 0;
  return l4 + (std::size_t{frame[l4 + 12]} >> 4) * 4;
}

}  // namespace

void FrameAudit::check(std::span<const std::uint8_t> frame, std::uint16_t gso_size) {
  ++frames;
  auto note = [this](std::string p) {
    if (problems.size() < kMaxProblems) problems.push_back(std::move(p));
  };
  std::size_t on_wire = frame.size();
  test::TransportSum transport = test::TransportSum::complete;
  if (gso_size != 0) {
    transport = test::TransportSum::seed;
    ++super_frames;
    const std::size_t headers = tcp_headers(frame);
    if (headers == 0) note("a super-frame that is not TCPv4");
    on_wire = std::min(frame.size(), headers + gso_size);
  }
  largest = std::max(largest, on_wire);
  if (on_wire > max_frame_bytes) {
    note("frame of " + std::to_string(on_wire) + " bytes on the wire exceeds the MTU");
  }
  if (!is_ipv4(frame)) return;
  ++ipv4_frames;
  for (const std::string& p : checksum_problems(frame.subspan(14), transport)) note(p);
}

void bridge(io::FramePort& a, io::FramePort& b, const std::atomic<bool>& done,
            std::chrono::seconds limit, FrameAudit& audit) {
  const auto deadline = Clock::now() + limit;
  auto stop_at = deadline;
  while (Clock::now() < stop_at) {
    if (done.load() && stop_at == deadline)
      stop_at = std::min(deadline, Clock::now() + kDrainAfterDone);
    const std::size_t moved = forward(a, b, audit) + forward(b, a, audit);
    if (moved == 0) wait_readable(a, &b);
  }
}

bool receive_until(io::FramePort& port, std::chrono::milliseconds limit, FrameAudit& audit,
                   const std::function<bool(std::span<const std::uint8_t>)>& wanted) {
  const auto deadline = Clock::now() + limit;
  std::array<net::Frame, kBatch> rx;
  while (Clock::now() < deadline) {
    const std::size_t n = port.receive(rx);
    bool found = false;
    for (std::size_t i = 0; i < n; ++i) {
      audit.check(rx[i].bytes, rx[i].gso_size);
      found = found || wanted(rx[i].bytes);
    }
    port.release_rx();
    if (found) return true;
    if (n == 0) wait_readable(port, nullptr);
  }
  return false;
}

}  // namespace masq::test
