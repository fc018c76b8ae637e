// Gateway: masqd's parts wired together: one Worker that forwards, and
// (with a control socket or a metrics listener) a ControlPlane on a thread
// of its own, joined by a Mailbox. Cold: run() spends its life in Worker::run().
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "control_plane.hpp"
#include "mailbox.hpp"
#include "masq/config/config.hpp"
#include "masq/ctl/server.hpp"
#include "masq/io/frame_port.hpp"
#include "masq/router/router_config.hpp"
#include "worker.hpp"

namespace masq::app {

class Gateway {
 public:
  // Throws std::invalid_argument when the engine or router config is invalid.
  // `host`: the host interfaces (empty without); `watch`: link and signal
  // events (null: none). The worker owns both.
  Gateway(const config::Config& cfg, std::unique_ptr<io::FramePort> lan,
          std::unique_ptr<io::FramePort> wan, std::unique_ptr<ctl::Server> control,
          std::unique_ptr<MetricsServer> metrics, HostPorts host = {},
          std::unique_ptr<Watch> watch = nullptr);

  // Runs the worker on the calling thread and the control plane on its
  // own, until `stop_fd` (a signalfd, polled by both) becomes readable.
  void run(int stop_fd);

 private:
  StaticStatus info_;
  router::RouterConfig router_cfg_;
  Mailbox mailbox_;
  Worker worker_;
  std::optional<ControlPlane> control_;
};

}  // namespace masq::app
