// masqd: the masq gateway daemon. Takes over a LAN and a WAN interface and
// forwards traffic between them through the NAT engine.
#include <sched.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "config_summary.hpp"
#include "gateway.hpp"
#include "host_firewall.hpp"
#include "host_setup.hpp"
#include "interface_check.hpp"
#include "log_setup.hpp"
#include "steering.hpp"
#include "version.hpp"

namespace {

// SIGTERM/SIGINT arrive through a signalfd that the worker and the control
// plane both poll (and neither reads), so each stops at its next turn and
// the ports are shut down cleanly. Blocked here, before any thread starts,
// so that every thread inherits the mask.
int stop_signals_fd() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  return ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

// SIGHUP would end masqd by default; it asks for a reload, which the
// control plane reads from this descriptor and runs.
int hup_signal_fd() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  return ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

int fail(const std::string& message) {
  spdlog::error("{}", message);
  return 2;
}

// The CPUs this process may run on: the default number of workers.
std::uint32_t usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return static_cast<std::uint32_t>(std::max(1, CPU_COUNT(&set)));
}

// How many workers run: asked for, or one per usable CPU. AF_XDP binds
// worker k to queue k of each interface, so its default is also capped at
// their queue count; asking for more is refused when the ports open, with
// the way to add queues.
std::optional<std::uint32_t> worker_count(const masq::config::Config& cfg,
                                          std::optional<std::uint32_t> flag, std::string& error) {
  const std::optional<std::uint32_t> asked = flag ? flag : cfg.workers;
  if (asked && (*asked == 0 || *asked > masq::nat::kMaxWorkers)) {
    error = "--workers: must be 1.." + std::to_string(masq::nat::kMaxWorkers);
    return std::nullopt;
  }
  if (asked) return *asked;
  const std::uint32_t cpus = std::min(usable_cpus(), masq::nat::kMaxWorkers);
  if (cfg.io != masq::config::IoBackend::af_xdp) return cpus;
  std::uint32_t workers = cpus;
  for (const auto* side : {&cfg.lan, &cfg.wan}) {
    // A missing interface is reported when its port opens.
    const masq::io::QueueCount queues = masq::io::queue_count(side->name);
    if (!queues.error.empty() || std::min(queues.rx, queues.tx) >= workers) continue;
    workers = std::max<std::uint32_t>(1, std::min(queues.rx, queues.tx));
    spdlog::info(
        "af_xdp: {} worker(s) for {} CPUs: {} has {} rx and {} tx queues (one worker per "
        "queue; ethtool -L adds queues)",
        workers, cpus, side->name, queues.rx, queues.tx);
  }
  return workers;
}

// Frames the NIC puts on a queue no AF_XDP worker reads go to the kernel's
// stack (the program passes what has no socket), not to masqd.
void warn_unread_queues(const masq::config::Config& cfg, std::uint32_t workers) {
  for (const auto* side : {&cfg.lan, &cfg.wan}) {
    const masq::io::QueueCount queues = masq::io::queue_count(side->name);
    if (!queues.error.empty() || queues.rx <= workers) continue;
    spdlog::warn(
        "{} has {} rx queues and af_xdp reads queues 0 to {} (one per worker): what lands on the "
        "others reaches the kernel, not masqd; match them with `ethtool -L {} combined {}` (or "
        "rx {}) or run {} workers",
        side->name, queues.rx, workers - 1, side->name, workers, workers, queues.rx);
  }
}

}  // namespace

int main(int argc, char** argv) {
  masq::app::setup_early_log();

  CLI::App app{"masqd: user-space NAT44 gateway"};
  masq::config::QuickStart flags;
  std::optional<std::string> config_file;
  std::vector<std::string> forwards;
  std::optional<std::uint32_t> workers_flag;
  app.add_option("--config", config_file, "TOML configuration file (docs/config.md)");
  app.add_option("--lan", flags.lan, "LAN interface and address, NAME=ADDR/LEN");
  app.add_option("--wan", flags.wan,
                 "WAN interface and address, NAME=ADDR/LEN, or NAME=dhcp for a leased one");
  app.add_option("--gateway", flags.gateway, "next hop on the WAN for off-link destinations");
  app.add_option("--forward", forwards,
                 "port forward, e.g. tcp/8080=192.168.77.3:8080 (repeatable)");
  app.add_option("--io", flags.io, "packet I/O backend: af_packet or af_xdp");
  app.add_option("--metrics", flags.metrics,
                 "serve Prometheus metrics at http://ADDR:PORT/metrics ([metrics] listen)");
  app.add_option("--control", flags.control,
                 "control socket path for masqctl (default " +
                     std::string(masq::ctl::kDefaultSocketPath) +
                     "; [control] socket = \"\" for none)");
  app.add_option("--state", flags.state,
                 "keep sessions across restarts in this snapshot file ([state] path; default "
                 "none, \"\" for none)");
  app.add_option("--translation-log", flags.translation_log,
                 "write session create and delete events as JSON lines to this file "
                 "([log] translations)");
  bool check = false;
  app.add_flag("--check", check,
               "validate the configuration (file and flags), print what is wrong, and exit: "
               "0 when it is valid, 1 when not");
  app.add_flag("--pcp", flags.pcp, "serve PCP and NAT-PMP on UDP 5351 of the LAN address");
  app.add_option("--log", flags.log, "where the log goes: stderr or journal ([log] target)");
  app.add_option("--log-level", flags.log_level,
                 "trace, debug, info, warning, error, critical or off ([log] level)");
  app.add_option("--workers", workers_flag,
                 "forwarding threads (default: one per CPU masqd may use; af_xdp: at most one per "
                 "interface queue)");
  app.set_version_flag("--version", std::string("masqd ") + masq::version());
  CLI11_PARSE(app, argc, argv);
  flags.forwards = forwards;

  const auto config_path =
      config_file ? std::optional<std::filesystem::path>(*config_file) : std::nullopt;
  const auto loaded = masq::config::load_file(config_path, flags);
  if (check) {
    // Plain lines on stderr, one per problem ("FILE:LINE: KEY: message"),
    // for an operator or a script before a (re)start.
    for (const auto& e : loaded.errors) std::cerr << e << "\n";
    if (loaded.config) std::cout << config_file.value_or("command line") << ": valid\n";
    return loaded.config ? 0 : 1;
  }
  if (!loaded.config) {
    for (const auto& e : loaded.errors) spdlog::error("{}", e);
    return 2;
  }
  masq::config::Config cfg = *loaded.config;
  masq::app::setup_log(cfg.log);
  const int hup_fd = hup_signal_fd();
  for (const auto* side : {&cfg.lan, &cfg.wan}) {
    if (const auto problem = masq::app::kernel_ipv4_problem(side->name); !problem.empty())
      return fail(problem);
  }

  const auto backend = cfg.io == masq::config::IoBackend::af_xdp ? masq::io::Backend::af_xdp
                                                                 : masq::io::Backend::af_packet;
  masq::io::PortOptions options;
  // The engine rewrites headers only, so TCP super-frames can cross whole:
  // one trip through the gateway per 64 KiB (docs/adr/0003-tcp-super-frames.md).
  options.keep_tcp_gso = cfg.tcp_gso;
  if (cfg.rx_frames) options.rx_frames = *cfg.rx_frames;
  if (cfg.tx_frames) options.tx_frames = *cfg.tx_frames;
  std::string error;
  const auto workers = worker_count(cfg, workers_flag, error);
  if (!workers) return fail(error);
  if (backend == masq::io::Backend::af_xdp) warn_unread_queues(cfg, *workers);
  // The gateway host's ports on the WAN address, kept from the NAT (and
  // steered to worker 0, which serves the host interfaces).
  if (cfg.host.interfaces) {
    const auto ports = masq::app::host_port_range(cfg, error);
    if (!ports) return fail(error);
    cfg.host.ports = ports;
    cfg.engine.host_ports = masq::nat::HostPorts{cfg.wan.address, *ports};
  }
  std::unique_ptr<masq::app::Steering> steering;
  // AF_XDP has no fanout: the NIC's RSS picks the queue, and so the worker.
  if (*workers > 1 && backend == masq::io::Backend::af_packet) {
    auto steer = masq::app::Steering::load(*workers, cfg.engine.host_ports);
    if (!steer.steering) return fail(steer.error);
    steering = std::move(steer.steering);
  }
  auto lan = masq::io::open_ports(backend, cfg.lan.name, options, *workers,
                                  steering ? steering->lan_fd() : -1);
  if (!lan.error.empty()) return fail(lan.error);
  auto wan = masq::io::open_ports(backend, cfg.wan.name, options, *workers,
                                  steering ? steering->wan_fd() : -1);
  if (!wan.error.empty()) return fail(wan.error);

  // The gateway host: a TAP per link with the gateway's addresses, its
  // ports kept from the NAT, its WAN side behind its own firewall.
  masq::app::HostPorts host;
  std::unique_ptr<masq::app::HostFirewall> firewall;
  std::unique_ptr<masq::app::WanFollower> wan_follower;
  if (cfg.wan.dhcp && !cfg.host.interfaces) {
    return fail(
        "wan: address = \"dhcp\" needs the host interfaces ([host] interfaces = true): "
        "the DHCP client runs on " +
        cfg.host.wan_name);
  }
  if (cfg.host.interfaces) {
    const auto& ports = cfg.host.ports;
    auto opened =
        masq::app::open_host_ports(cfg, lan.ports.front()->info(), wan.ports.front()->info());
    if (!opened.error.empty()) return fail(opened.error);
    host = std::move(opened.ports);
    auto installed = masq::app::HostFirewall::install(
        {cfg.lan.name, cfg.wan.name, cfg.host.wan_name, cfg.host.open});
    if (!installed.firewall) return fail(installed.error);
    firewall = std::move(installed.firewall);
    spdlog::info("host interfaces {} and {}; the host's own ports {}-{} on {}", cfg.host.lan_name,
                 cfg.host.wan_name, ports->first, ports->last,
                 cfg.wan.dhcp ? "the WAN's leased address" : cfg.wan.address.to_string());
    if (cfg.wan.dhcp) {
      auto lease = masq::app::LeaseWatch::open(host.wan->info().ifindex);
      if (!lease.watch) return fail(lease.error);
      auto client = masq::app::DhcpClient::start(cfg.host.wan_name);
      if (!client.client) return fail(client.error);
      spdlog::info("wan: udhcpc (pid {}) asks for a lease on {}", client.client->pid(),
                   cfg.host.wan_name);
      wan_follower = std::make_unique<masq::app::WanFollower>(std::move(client.client),
                                                              std::move(lease.watch));
    }
  }
  auto watch =
      masq::app::Watch::open(lan.ports.front()->info().ifindex, wan.ports.front()->info().ifindex);
  if (!watch.watch) return fail(watch.error);

  std::unique_ptr<masq::ctl::Server> control;
  if (cfg.control.path != "") {
    masq::ctl::SocketOptions socket{
        cfg.control.path.value_or(std::string(masq::ctl::kDefaultSocketPath)), cfg.control.mode,
        cfg.control.owner, cfg.control.group};
    auto opened = masq::ctl::Server::open(socket);
    if (!opened.server) return fail(opened.error);
    control = std::move(opened.server);
  }

  std::unique_ptr<masq::app::MetricsServer> metrics;
  if (cfg.metrics) {
    auto opened = masq::app::MetricsServer::open(cfg.metrics->address, cfg.metrics->port);
    if (!opened.server) return fail(opened.error);
    metrics = std::move(opened.server);
  }

  const int stop_fd = stop_signals_fd();
  try {
    masq::app::Gateway gateway(cfg, std::move(lan.ports), std::move(wan.ports), std::move(control),
                               std::move(metrics), std::move(host), std::move(watch.watch),
                               std::move(wan_follower), {config_path, flags}, *loaded.config,
                               hup_fd);
    spdlog::info("masqd {} starting: {}", masq::version(),
                 masq::app::effective_config(cfg, *workers));
    gateway.run(stop_fd);
    spdlog::info("masqd {} stopped", masq::version());
  } catch (const std::invalid_argument& e) {
    return fail(e.what());
  }
  ::close(stop_fd);
  return 0;
}
