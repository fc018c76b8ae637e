// masq-replay: runs masqd's datapath (router and NAT engine) offline over
// pcap files. How frames are taken and written, next hops included, is
// described in replay.hpp.
//
//   masq-replay --config FILE [--seed N] --lan-in A.pcap --wan-in B.pcap
//               --lan-out C.pcap --wan-out D.pcap
//   masq-replay --lan lan0=192.168.77.1/24 --wan wan0=203.0.113.1/24
//               [--forward tcp/8080=192.168.77.3:8080]... --lan-in ...
//
// Either input may be left out (that side then has no input), not both.
//
// Exit status: 0 done, 2 bad flags, config or input files, 1 a failure
// while running. The summary counters go to stderr (summary.hpp).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "masq/config/config.hpp"
#include "replay.hpp"
#include "replay_error.hpp"
#include "summary.hpp"
#include "version.hpp"

namespace {

namespace fs = std::filesystem;
using masq::replay::kExitRuntime;
using masq::replay::kExitUsage;

constexpr std::string_view kTool = "masq-replay: ";

struct NamedPath {
  std::string_view flag;
  const fs::path* path;
};

// Writing an output over an input (or over the other output) would destroy
// data before it is read, so every file must be distinct.
std::optional<std::string> find_same_file(const std::vector<NamedPath>& paths) {
  std::vector<fs::path> resolved;
  for (const NamedPath& p : paths) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(*p.path, ec);
    resolved.push_back(ec ? *p.path : canonical);
  }
  for (std::size_t i = 0; i < paths.size(); ++i) {
    for (std::size_t j = i + 1; j < paths.size(); ++j) {
      if (resolved[i] == resolved[j]) {
        return std::string(paths[i].flag) + " and " + std::string(paths[j].flag) +
               " name the same file";
      }
    }
  }
  return std::nullopt;
}

int usage_error(const std::string& message) {
  std::cerr << kTool << message << '\n';
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Runs masqd's router and NAT engine offline: LAN and WAN pcap files in, pcap files out.",
      "masq-replay"};
  std::string config_path;
  std::string lan;
  std::string wan;
  std::vector<std::string> forwards;
  std::uint64_t seed = 0;
  std::string lan_in;
  std::string wan_in;
  masq::replay::ReplayFiles files;
  app.set_version_flag("--version", std::string("masq-replay ") + masq::version());
  auto* config_opt = app.add_option("--config", config_path, "TOML configuration (docs/config.md)");
  auto* lan_opt = app.add_option("--lan", lan, "LAN interface, NAME=ADDR/LEN (overrides the file)");
  auto* wan_opt = app.add_option("--wan", wan, "WAN interface, NAME=ADDR/LEN (overrides the file)");
  app.add_option("--forward", forwards, "port forward, PROTO/PORT[-PORT]=ADDR:PORT (repeatable)");
  auto* seed_opt =
      app.add_option("--seed", seed, "seed for port randomisation (overrides nat.seed)");
  auto* lan_in_opt = app.add_option("--lan-in", lan_in, "capture of packets arriving on the LAN");
  auto* wan_in_opt = app.add_option("--wan-in", wan_in, "capture of packets arriving on the WAN");
  app.add_option("--lan-out", files.lan_out, "capture of packets sent out of the LAN")->required();
  app.add_option("--wan-out", files.wan_out, "capture of packets sent out of the WAN")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    return usage_error(e.what());
  }
  if (!*lan_in_opt && !*wan_in_opt) return usage_error("give --lan-in, --wan-in or both");
  if (*lan_in_opt) files.lan_in = lan_in;
  if (*wan_in_opt) files.wan_in = wan_in;

  std::vector<NamedPath> paths{{"--lan-out", &files.lan_out}, {"--wan-out", &files.wan_out}};
  if (files.lan_in) paths.push_back({"--lan-in", &*files.lan_in});
  if (files.wan_in) paths.push_back({"--wan-in", &*files.wan_in});
  if (const auto clash = find_same_file(paths)) return usage_error(*clash);

  masq::config::QuickStart flags;
  if (*lan_opt) flags.lan = lan;
  if (*wan_opt) flags.wan = wan;
  flags.forwards = forwards;
  const std::optional<fs::path> config_file =
      *config_opt ? std::optional<fs::path>(config_path) : std::nullopt;
  masq::config::LoadResult loaded = masq::config::load_file(config_file, flags);
  if (!loaded.config) {
    for (const std::string& error : loaded.errors) std::cerr << kTool << error << '\n';
    return kExitUsage;
  }
  if (*seed_opt) loaded.config->engine.seed = seed;

  try {
    const masq::replay::ReplayStats stats = masq::replay::run_replay(*loaded.config, files);
    masq::replay::write_summary(std::cerr, stats);
  } catch (const masq::replay::ReplayError& e) {
    std::cerr << kTool << e.what() << '\n';
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << kTool << e.what() << '\n';
    return kExitRuntime;
  }
  return 0;
}
