#include "gateway.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "masq/config/router_config.hpp"
#include "version.hpp"

namespace masq::app {
namespace {

// The control plane's nice value, relative to the worker's 0.
constexpr int kControlNice = 10;

// One port per worker: their modes, each once (AF_XDP names each queue).
std::string describe(const config::Interface& i,
                     const std::vector<std::unique_ptr<io::FramePort>>& ports) {
  const std::string address =
      i.dhcp ? "dhcp" : i.address.to_string() + "/" + std::to_string(i.prefix.length());
  std::string modes = ports.front()->info().mode;
  for (std::size_t k = 1; k < ports.size(); ++k) {
    const std::string& mode = ports[k]->info().mode;
    if (mode != ports[k - 1]->info().mode) modes += ", " + mode;
  }
  return i.name + " " + address + " mtu " + std::to_string(ports.front()->info().mtu) + " " + modes;
}

Supervisor::Options supervisor_options(const config::Config& cfg,
                                       std::vector<XdpWatch::Link> xdp_links) {
  return {ServiceNotifier::from_environment(),
          {cfg.engine.max_sessions, cfg.gateway ? cfg.gateway->to_string() : std::string()},
          std::move(xdp_links)};
}

// The control plane's clock (ControlPlane::now_ms()).
std::uint64_t steady_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

Gateway::Gateway(const config::Config& cfg, std::vector<std::unique_ptr<io::FramePort>> lans,
                 std::vector<std::unique_ptr<io::FramePort>> wans,
                 std::unique_ptr<ctl::Server> control, std::unique_ptr<MetricsServer> metrics,
                 HostPorts host, std::unique_ptr<Watch> watch, std::unique_ptr<WanFollower> wan,
                 Reloader::Options reload, const config::Config& loaded, int hup_fd)
    : info_{masq::version(), describe(cfg.lan, lans), describe(cfg.wan, wans),
            // Each worker's tables are sized from the config.
            std::uint64_t{cfg.engine.max_sessions} * lans.size()},
      router_cfg_(config::router_config(cfg, {lans.front()->info().mac, lans.front()->info().mtu},
                                        {wans.front()->info().mac, wans.front()->info().mtu})) {
  const auto count = static_cast<std::uint32_t>(lans.size());
  std::vector<XdpWatch::Link> xdp_links;
  if (cfg.io == config::IoBackend::af_xdp) {
    xdp_links = {{cfg.lan.name, lans.front()->info().ifindex},
                 {cfg.wan.name, wans.front()->info().ifindex}};
  }
  if (count > 1) {
    // A slot holds what a link carries: an IPv4 packet up to the MTU, or
    // an Ethernet frame (ARP, or one for the host interface).
    hand_offs_.emplace(count, kHandOffSlots,
                       std::max(router_cfg_.lan.mtu, router_cfg_.wan.mtu) + std::size_t{18});
  }
  // Session events feed the translation log and masqctl events.
  const bool events =
      control != nullptr || cfg.log.translations.has_value() || cfg.log.ipfix.has_value();
  reload.event_ring_capacity = events ? kEventRingCapacity : 0;
  auto reloader = std::make_unique<Reloader>(std::move(reload), loaded, cfg, router_cfg_);
  const nat::EngineConfig engine = reloader->engine_config(cfg);
  const WorkerOptions options{.busy_poll_ns = std::uint64_t{cfg.busy_poll_us} * 1000};
  std::vector<Mailbox*> boxes;
  for (std::uint32_t k = 0; k < count; ++k) {
    nat::EngineConfig slice = engine;
    slice.worker = {k, count};
    mailboxes_.push_back(std::make_unique<Mailbox>());
    boxes.push_back(mailboxes_.back().get());
    workers_.push_back(std::make_unique<Worker>(
        slice, router_cfg_, std::move(lans[k]), std::move(wans[k]), *mailboxes_.back(), options,
        hand_offs_ ? &*hand_offs_ : nullptr, cfg.pcp, k == 0 ? std::move(host) : HostPorts{},
        k == 0 ? std::move(watch) : nullptr));
  }
  if (cfg.state.path) {
    saver_ = std::make_unique<StateSaver>(*cfg.state.path, cfg.state.interval_s, steady_ms());
    saver_->restore(workers_);
  }
  // The control plane runs without a socket or metrics too: it supervises.
  control_.emplace(
      std::move(control), std::move(metrics), boxes, info_,
      ControlPlane::kWorkerTimeoutMs + walk_bound_ms(cfg.engine.max_sessions, WorkerOptions{}),
      std::make_unique<Supervisor>(boxes, supervisor_options(cfg, xdp_links)), saver_.get(),
      std::move(wan));
  control_->set_reloader(std::move(reloader), hup_fd);
  if (events) {
    std::unique_ptr<ctl::TranslationLog> log;
    if (cfg.log.translations) {
      auto opened = ctl::TranslationLog::open(
          {*cfg.log.translations, cfg.log.translations_max_bytes, cfg.log.translations_keep});
      if (!opened.log) throw std::invalid_argument(opened.error);
      log = std::move(opened.log);
    }
    std::unique_ptr<ctl::IpfixExporter> ipfix;
    if (cfg.log.ipfix) {
      auto opened = ctl::IpfixExporter::open(*cfg.log.ipfix, cfg.log.translations_remote);
      if (!opened.exporter) throw std::invalid_argument(opened.error);
      ipfix = std::move(opened.exporter);
    }
    control_->set_events(
        std::make_unique<TranslationEvents>(boxes, std::move(log), std::move(ipfix)));
  }
}

void Gateway::run(int stop_fd) {
  spdlog::info("lan {}", info_.lan);
  spdlog::info("wan {}", info_.wan);
  std::thread control;
  if (control_) {
    control = std::thread([this, stop_fd] {
      // Linux's nice applies per thread: building a large reply must take
      // CPU time from anything before the workers' forwarding.
      if (::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kControlNice) != 0)
        spdlog::warn("control plane keeps the workers' priority: {}", std::strerror(errno));
      control_->run(stop_fd);
    });
  }
  std::vector<std::thread> others;
  for (std::size_t k = 1; k < workers_.size(); ++k) {
    others.emplace_back([this, k, stop_fd] { workers_[k]->run(stop_fd); });
  }
  workers_.front()->run(stop_fd);
  for (std::thread& t : others) t.join();
  if (control.joinable()) control.join();
  if (saver_) saver_->save(workers_);
}

}  // namespace masq::app
