// Plain kernel sockets for the io integration tests: the far ends that a
// FramePort's frames must satisfy. Every call that waits has a timeout.
// Create them on a thread that is inside the right namespace. Cold.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace masq::test {

class Socket {
 public:
  explicit Socket(int fd = -1) : fd_(fd) {}
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket& operator=(Socket&&) = delete;
  Socket(const Socket&) = delete;
  ~Socket();
  int fd() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

inline constexpr int kSocketTimeoutS = 10;

// A UDP socket bound to ip:port (receive timeout kSocketTimeoutS).
Socket udp_socket(const std::string& ip, std::uint16_t port);
// Sends one datagram; with segment_bytes, as one UDP_SEGMENT (GSO) send.
bool udp_send(const Socket& s, const std::string& ip, std::uint16_t port,
              std::span<const std::uint8_t> payload, std::uint16_t segment_bytes = 0);
std::optional<std::vector<std::uint8_t>> udp_receive(const Socket& s);

// TCP: a listener on ip:port; accept one connection and read everything
// until the peer closes; connect and write everything, then close.
Socket tcp_listen(const std::string& ip, std::uint16_t port);
std::optional<std::vector<std::uint8_t>> tcp_accept_and_read_all(const Socket& listener);
bool tcp_connect_and_write(const std::string& ip, std::uint16_t port,
                           std::span<const std::uint8_t> data);

// The byte pattern used for bulk payloads (period 251, a prime, so a
// misplaced segment shows).
std::vector<std::uint8_t> bulk_pattern(std::size_t bytes);

}  // namespace masq::test
