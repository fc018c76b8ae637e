// Reloader: the control plane's side of changing a running gateway's
// config: masqctl reload and SIGHUP (the config file read again, with the
// flags masqd was started with), and masqctl forwards|static add|del. Each
// change is checked whole before any worker sees it: a file that does not
// load, a setting only a restart applies, a rule that clashes, and the
// running config stays as it was, with the reason. What passes becomes
// the engine config every worker takes (WorkerCommand::config,
// Engine::reconfigure). Runtime rules live until the next reload, which
// goes back to the file, as with ip and nft. Cold: the control plane's
// thread.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "masq/config/config.hpp"
#include "masq/ctl/protocol.hpp"
#include "masq/net/names.hpp"
#include "masq/router/router_config.hpp"

namespace masq::app {

#define MASQD_RELOAD_COUNTERS(X) \
  X(reloads)                     \
  X(rule_changes)                \
  X(refused)

struct ReloadCounters {
  MASQD_RELOAD_COUNTERS(MASQ_COUNTER_MEMBER)
};

#define MASQD_RELOAD_FIELD(name) \
  net::CounterField<ReloadCounters>{#name, [](const ReloadCounters& c) { return c.name; }},
inline constexpr std::array kReloadCounterFields{MASQD_RELOAD_COUNTERS(MASQD_RELOAD_FIELD)};
#undef MASQD_RELOAD_FIELD

class Reloader {
 public:
  struct Options {
    std::optional<std::filesystem::path> file;  // none: the flags alone
    config::QuickStart flags;
    // Session events on (the engine's event ring; gateway.hpp).
    std::uint32_t event_ring_capacity = 0;
  };

  // `loaded`: the config as the file and flags gave it; `running`: as
  // masqd completed it at start (the host's ports, read from the kernel).
  Reloader(Options options, config::Config loaded, config::Config running,
           router::RouterConfig router);

  // The engine config of `cfg` that every worker starts from (each takes
  // its own WorkerSlice).
  nat::EngineConfig engine_config(const config::Config& cfg) const;

  // A change checked and taken as the running config: `engine` for the
  // workers, or, when refused, `error` (and nothing changed).
  struct Change {
    std::shared_ptr<const nat::EngineConfig> engine;
    std::string error;
  };
  Change reload();
  // A forwards or static_rules request that edits (RuleEdit::add, del).
  Change edit(const ctl::Request& request);
  // The running rules as ctl::reconfigured_json() lists them.
  std::vector<std::string> rules(ctl::Command which) const;

  // Reloads and rule changes asked, and those refused: group "config".
  ctl::CounterGroup counter_group() const;

 private:
  Change take(config::Config next);
  Change refuse(std::string error);

  Options options_;
  config::Config loaded_;
  config::Config running_;
  router::RouterConfig router_;
  ReloadCounters counters_;
};

}  // namespace masq::app
