// Gateway: masqd's worker. Owns the two frame ports, the engine, the
// router and the control socket, and runs the loop: receive a batch from a
// port, let the router (and through it the engine) decide, transmit what
// comes out, answer control requests between batches, tick the ARP timers.
// One thread: the engine and router are single-threaded by design. Hot: run().
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "masq/config/config.hpp"
#include "masq/ctl/server.hpp"
#include "masq/io/frame_port.hpp"
#include "masq/nat/engine.hpp"
#include "masq/router/router.hpp"

namespace masq::app {

class Gateway {
 public:
  Gateway(const config::Config& cfg, std::unique_ptr<io::FramePort> lan,
          std::unique_ptr<io::FramePort> wan, std::unique_ptr<ctl::Server> control);

  // Runs until `stop_fd` (a signalfd) becomes readable.
  void run(int stop_fd);

  // The state as the control socket reports it (one source of truth).
  nlohmann::json answer(ctl::Command command);

 private:
  using Clock = std::chrono::steady_clock;
  std::uint64_t now_ns() const;
  bool pump(io::FramePort& port, Side side);
  void transmit(const router::Output& out);
  io::FramePort& port(Side side) { return side == Side::lan ? *lan_ : *wan_; }

  const config::Config cfg_;
  std::unique_ptr<io::FramePort> lan_;
  std::unique_ptr<io::FramePort> wan_;
  std::unique_ptr<ctl::Server> control_;
  nat::Engine engine_;
  router::Router router_;
  Clock::time_point started_;
  std::vector<net::Frame> rx_;
};

router::RouterConfig router_config(const config::Config& cfg, const io::PortInfo& lan,
                                   const io::PortInfo& wan);

}  // namespace masq::app
