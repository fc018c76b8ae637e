#include "kernel_sockets.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace masq::test {
namespace {

constexpr int kUdpSegment = 103;  // UDP_SEGMENT, Linux 4.18+

sockaddr_in address(const std::string& ip, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  return a;
}

void set_timeouts(int fd) {
  const timeval tv{kSocketTimeoutS, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

Socket bound(int type, const std::string& ip, std::uint16_t port) {
  Socket s(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
  if (!s.ok()) return s;
  const int on = 1;
  setsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  set_timeouts(s.fd());
  const sockaddr_in a = address(ip, port);
  if (::bind(s.fd(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) return Socket();
  return s;
}

}  // namespace

Socket::~Socket() {
  if (fd_ >= 0) ::close(fd_);
}

Socket udp_socket(const std::string& ip, std::uint16_t port) {
  return bound(SOCK_DGRAM, ip, port);
}

bool udp_send(const Socket& s, const std::string& ip, std::uint16_t port,
              std::span<const std::uint8_t> payload, std::uint16_t segment_bytes) {
  const int gso_size = segment_bytes;
  if (gso_size != 0 && setsockopt(s.fd(), SOL_UDP, kUdpSegment, &gso_size, sizeof gso_size) != 0) {
    return false;
  }
  const sockaddr_in a = address(ip, port);
  const ssize_t n = ::sendto(s.fd(), payload.data(), payload.size(), 0,
                             reinterpret_cast<const sockaddr*>(&a), sizeof a);
  return n == static_cast<ssize_t>(payload.size());
}

std::optional<std::vector<std::uint8_t>> udp_receive(const Socket& s) {
  std::vector<std::uint8_t> buf(65536);
  const ssize_t n = ::recv(s.fd(), buf.data(), buf.size(), 0);
  if (n < 0) return std::nullopt;
  buf.resize(static_cast<std::size_t>(n));
  return buf;
}

Socket tcp_listen(const std::string& ip, std::uint16_t port) {
  Socket s = bound(SOCK_STREAM, ip, port);
  if (s.ok() && ::listen(s.fd(), 1) != 0) return Socket();
  return s;
}

std::optional<std::vector<std::uint8_t>> tcp_accept_and_read_all(const Socket& listener) {
  const Socket conn(::accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!conn.ok()) return std::nullopt;
  set_timeouts(conn.fd());
  std::vector<std::uint8_t> data;
  std::vector<std::uint8_t> buf(256 * 1024);
  for (;;) {
    const ssize_t n = ::recv(conn.fd(), buf.data(), buf.size(), 0);
    if (n < 0) return std::nullopt;
    if (n == 0) return data;
    data.insert(data.end(), buf.begin(), buf.begin() + n);
  }
}

bool tcp_connect_and_write(const std::string& ip, std::uint16_t port,
                           std::span<const std::uint8_t> data) {
  const Socket s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!s.ok()) return false;
  set_timeouts(s.fd());
  const sockaddr_in a = address(ip, port);
  if (::connect(s.fd(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) return false;
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(s.fd(), data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return ::shutdown(s.fd(), SHUT_WR) == 0;
}

std::vector<std::uint8_t> bulk_pattern(std::size_t bytes) {
  std::vector<std::uint8_t> out(bytes);
  for (std::size_t i = 0; i < bytes; ++i) out[i] = static_cast<std::uint8_t>(i % 251);
  return out;
}

}  // namespace masq::test
