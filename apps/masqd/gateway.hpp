// Gateway: masqd's parts wired together: one Worker per pair of frame
// ports (a LAN and a WAN port each), each with its engine slice and its
// Mailbox, joined by HandOffs when there are several, and a ControlPlane
// on a thread of its own that merges them and, with its Supervisor, watches
// them (always: it speaks sd_notify and derives the operator's log lines).
// Cold: run() spends its life in the workers' run().
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "control_plane.hpp"
#include "hand_offs.hpp"
#include "mailbox.hpp"
#include "masq/config/config.hpp"
#include "masq/ctl/server.hpp"
#include "masq/io/frame_port.hpp"
#include "masq/router/router_config.hpp"
#include "state_saver.hpp"
#include "worker.hpp"

namespace masq::app {

// Slots of each hand-off ring: a few batches' worth, so that a burst of
// what the kernel could not steer waits rather than drops.
inline constexpr std::size_t kHandOffSlots = 1024;

// Session events an engine holds between two drains by its worker (one
// per loop turn): far more than the sessions a turn's batches can make.
inline constexpr std::uint32_t kEventRingCapacity = 16384;

class Gateway {
 public:
  // One worker per element of `lans` (and of `wans`, as many), worker k
  // owning slice k of the port space. `host`: the host interfaces (empty
  // without); `watch`: link and signal events (null: none); worker 0 owns
  // both, and the others pass it what is the host's; `wan`: the WAN's
  // DHCP lease to follow (null: a static address), on the control plane's
  // thread; `reload`: where the config came from (`loaded`, as it read
  // before masqd completed it into `cfg`), for masqctl reload, and
  // `hup_fd`, a signalfd for SIGHUP, which reloads too (taken over).
  // Throws std::invalid_argument when the engine or router config is
  // invalid.
  Gateway(const config::Config& cfg, std::vector<std::unique_ptr<io::FramePort>> lans,
          std::vector<std::unique_ptr<io::FramePort>> wans, std::unique_ptr<ctl::Server> control,
          std::unique_ptr<MetricsServer> metrics, HostPorts host, std::unique_ptr<Watch> watch,
          std::unique_ptr<WanFollower> wan, Reloader::Options reload, const config::Config& loaded,
          int hup_fd);

  // Runs worker 0 on the calling thread, the others and the control plane
  // on their own, until `stop_fd` (a signalfd, polled by all) becomes
  // readable.
  void run(int stop_fd);

 private:
  StaticStatus info_;
  router::RouterConfig router_cfg_;
  std::optional<HandOffs> hand_offs_;
  std::vector<std::unique_ptr<Mailbox>> mailboxes_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<StateSaver> saver_;  // with [state] path
  std::optional<ControlPlane> control_;
};

}  // namespace masq::app
