#include "gateway.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "masq/config/router_config.hpp"

namespace masq::app {
namespace {

// The control plane's nice value, relative to the worker's 0.
constexpr int kControlNice = 10;

std::string describe(const config::Interface& i, const io::PortInfo& port) {
  return i.name + " " + i.address.to_string() + "/" + std::to_string(i.prefix.length()) + " mtu " +
         std::to_string(port.mtu) + " " + port.mode;
}

}  // namespace

Gateway::Gateway(const config::Config& cfg, std::unique_ptr<io::FramePort> lan,
                 std::unique_ptr<io::FramePort> wan, std::unique_ptr<ctl::Server> control,
                 std::unique_ptr<MetricsServer> metrics, HostPorts host,
                 std::unique_ptr<Watch> watch)
    : info_{MASQ_VERSION, describe(cfg.lan, lan->info()), describe(cfg.wan, wan->info()),
            cfg.engine.max_sessions},
      router_cfg_(config::router_config(cfg, {lan->info().mac, lan->info().mtu},
                                        {wan->info().mac, wan->info().mtu})),
      worker_(config::engine_config(cfg, router_cfg_), router_cfg_, std::move(lan), std::move(wan),
              mailbox_, WorkerOptions{.busy_poll_ns = std::uint64_t{cfg.busy_poll_us} * 1000},
              cfg.pcp, std::move(host), std::move(watch)) {
  if (control || metrics) {
    control_.emplace(
        std::move(control), std::move(metrics), mailbox_, info_,
        ControlPlane::kWorkerTimeoutMs + walk_bound_ms(cfg.engine.max_sessions, WorkerOptions{}));
  }
}

void Gateway::run(int stop_fd) {
  spdlog::info("lan {}", info_.lan);
  spdlog::info("wan {}", info_.wan);
  std::thread control;
  if (control_) {
    control = std::thread([this, stop_fd] {
      // Linux's nice applies per thread: building a large reply must take
      // CPU time from anything before the worker's forwarding.
      if (::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kControlNice) != 0)
        spdlog::warn("control plane keeps the worker's priority: {}", std::strerror(errno));
      control_->run(stop_fd);
    });
  }
  worker_.run(stop_fd);
  if (control.joinable()) control.join();
}

}  // namespace masq::app
