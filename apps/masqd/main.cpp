// masqd: the masq gateway daemon. Takes over a LAN and a WAN interface and
// forwards traffic between them through the NAT engine.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "gateway.hpp"
#include "host_firewall.hpp"
#include "host_setup.hpp"
#include "interface_check.hpp"

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

// SIGHUP would end masqd by default; it asks for a reload, which masqd
// does not have yet: the worker's Watch reads it, logs and ignores it.
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

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("masqd"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  CLI::App app{"masqd: user-space NAT44 gateway"};
  masq::config::QuickStart flags;
  std::optional<std::string> config_file;
  std::vector<std::string> forwards;
  app.add_option("--config", config_file, "TOML configuration file (docs/config.md)");
  app.add_option("--lan", flags.lan, "LAN interface and address, NAME=ADDR/LEN");
  app.add_option("--wan", flags.wan, "WAN interface and address, NAME=ADDR/LEN");
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
  bool check = false;
  app.add_flag("--check", check,
               "validate the configuration (file and flags), print what is wrong, and exit: "
               "0 when it is valid, 1 when not");
  app.add_flag("--pcp", flags.pcp, "serve PCP and NAT-PMP on UDP 5351 of the LAN address");
  app.set_version_flag("--version", MASQ_VERSION);
  CLI11_PARSE(app, argc, argv);
  flags.forwards = forwards;

  const auto loaded = masq::config::load_file(
      config_file ? std::optional<std::filesystem::path>(*config_file) : std::nullopt, flags);
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
  auto lan = masq::io::open_port(backend, cfg.lan.name, options);
  if (!lan.port) return fail(lan.error);
  auto wan = masq::io::open_port(backend, cfg.wan.name, options);
  if (!wan.port) return fail(wan.error);

  // The gateway host: a TAP per link with the gateway's addresses, its
  // ports kept from the NAT, its WAN side behind its own firewall.
  masq::app::HostPorts host;
  std::unique_ptr<masq::app::HostFirewall> firewall;
  if (cfg.host.interfaces) {
    std::string error;
    const auto ports = masq::app::host_port_range(cfg, error);
    if (!ports) return fail(error);
    cfg.host.ports = ports;
    cfg.engine.host_ports = masq::nat::HostPorts{cfg.wan.address, *ports};
    auto opened = masq::app::open_host_ports(cfg, lan.port->info(), wan.port->info());
    if (!opened.error.empty()) return fail(opened.error);
    host = std::move(opened.ports);
    auto installed = masq::app::HostFirewall::install(
        {cfg.lan.name, cfg.wan.name, cfg.host.wan_name, cfg.host.open});
    if (!installed.firewall) return fail(installed.error);
    firewall = std::move(installed.firewall);
    spdlog::info("host interfaces {} and {}; the host's own ports {}-{} on {}", cfg.host.lan_name,
                 cfg.host.wan_name, ports->first, ports->last, cfg.wan.address.to_string());
  }
  auto watch = masq::app::Watch::open(lan.port->info().ifindex, wan.port->info().ifindex, hup_fd);
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
    masq::app::Gateway gateway(cfg, std::move(lan.port), std::move(wan.port), std::move(control),
                               std::move(metrics), std::move(host), std::move(watch.watch));
    spdlog::info("masqd {} running ({} sessions max)", MASQ_VERSION, cfg.engine.max_sessions);
    gateway.run(stop_fd);
  } catch (const std::invalid_argument& e) {
    return fail(e.what());
  }
  ::close(stop_fd);
  return 0;
}
