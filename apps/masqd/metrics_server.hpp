// MetricsServer: the HTTP side of the Prometheus exporter, served by the
// control plane's thread (never a worker) from its own poll loop. It
// understands what a scraper sends, one GET per connection: GET /metrics
// is handed to the control plane (answered later through reply(), as the
// worker's numbers come), anything else gets 404 or 400 at once, and the
// connection is closed after the answer (HTTP/1.0).
// Bounds: at most kMaxClients connections (the listener is not polled
// while full); a request head over kMaxRequest bytes gets 400; a client
// idle for kIdleTimeoutMs is closed. Non-blocking throughout. Cold.
#pragma once

#include <poll.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "masq/net/ipv4_addr.hpp"

namespace masq::app {

class MetricsServer {
 public:
  static constexpr std::size_t kMaxClients = 8;
  static constexpr std::size_t kMaxRequest = 8192;
  static constexpr int kIdleTimeoutMs = 5000;

  using ClientId = std::uint64_t;
  using OnScrape = std::function<void(ClientId)>;

  struct OpenResult {
    std::unique_ptr<MetricsServer> server;  // set exactly when error is empty
    std::string error;
  };
  // Port 0: one the kernel picks (port() says which).
  static OpenResult open(net::Ipv4Addr address, std::uint16_t port);
  std::uint16_t port() const;
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // As ctl::Server's: what to poll, when the next deadline falls, and one
  // turn of accepting, reading and writing that never blocks.
  std::size_t poll_fds(std::vector<pollfd>& fds) const;
  int next_timeout_ms(std::uint64_t now_ms) const;
  void serve(std::uint64_t now_ms, const OnScrape& on_scrape);
  // The exposition text for a scrape; unknown ids are ignored.
  void reply(ClientId id, const std::string& body, std::uint64_t now_ms);
  // A scrape that cannot be answered (the worker did not deliver).
  void fail(ClientId id, const std::string& why, std::uint64_t now_ms);

 private:
  enum class Phase : std::uint8_t { reading, answering, writing, done };
  struct Client {
    ClientId id = 0;
    int fd = -1;
    Phase phase = Phase::reading;
    std::uint64_t deadline_ms = 0;
    std::string in;
    std::string out;
    std::size_t written = 0;
  };
  explicit MetricsServer(int listen_fd) : listen_fd_(listen_fd) {}
  void read_request(Client& c, std::uint64_t now_ms, const OnScrape& on_scrape);
  void respond(Client& c, std::string_view status, std::string_view type, const std::string& body,
               std::uint64_t now_ms);
  void write_out(Client& c);
  Client* find(ClientId id);

  int listen_fd_;
  ClientId next_id_ = 1;
  std::vector<Client> clients_;
};

}  // namespace masq::app
