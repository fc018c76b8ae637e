#include "reloader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "masq/config/router_config.hpp"
#include "masq/config/runtime_rules.hpp"

namespace masq::app {
namespace {

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string all;
  for (const std::string& p : parts) all += (all.empty() ? "" : std::string(separator)) + p;
  return all;
}

// Adds `rule` to `rules` or deletes it; what is wrong with that, or "".
template <typename Rule>
std::string edit_rules(std::vector<Rule>& rules, const Rule& rule, ctl::RuleEdit edit,
                       std::string_view kind) {
  const auto it = std::find(rules.begin(), rules.end(), rule);
  if (edit == ctl::RuleEdit::add) {
    if (it != rules.end()) return std::string(kind) + " " + config::to_text(rule) + " exists";
    rules.push_back(rule);
    return {};
  }
  if (it == rules.end()) {
    std::vector<std::string> texts;
    for (const Rule& r : rules) texts.push_back(config::to_text(r));
    return "no " + std::string(kind) + " " + config::to_text(rule) +
           (texts.empty() ? std::string(" (there are none)")
                          : " (there are: " + joined(texts, ", ") + ")");
  }
  rules.erase(it);
  return {};
}

}  // namespace

Reloader::Reloader(Options options, config::Config loaded, config::Config running,
                   router::RouterConfig router)
    : options_(std::move(options)),
      loaded_(std::move(loaded)),
      running_(std::move(running)),
      router_(std::move(router)) {}

nat::EngineConfig Reloader::engine_config(const config::Config& cfg) const {
  nat::EngineConfig engine = config::engine_config(cfg, router_);
  engine.event_ring_capacity = options_.event_ring_capacity;
  engine.events_with_remote = cfg.log.translations_remote;
  return engine;
}

Reloader::Change Reloader::reload() {
  ++counters_.reloads;
  const std::string source = options_.file ? options_.file->string() : "the command line";
  auto loaded = config::load_file(options_.file, options_.flags);
  if (!loaded.config) return refuse(joined(loaded.errors, "; "));
  if (const auto changed = config::restart_only_changes(loaded_, *loaded.config);
      !changed.empty()) {
    return refuse(source + ": only a restart applies changes to " + joined(changed, ", "));
  }
  config::Config next = *loaded.config;
  // What masqd completed at start from the kernel stays.
  next.host.ports = running_.host.ports;
  next.engine.host_ports = running_.engine.host_ports;
  Change change = take(std::move(next));
  if (change.engine) {
    loaded_ = std::move(*loaded.config);
    spdlog::info("reload: {} applied", source);
  }
  return change;
}

Reloader::Change Reloader::edit(const ctl::Request& request) {
  ++counters_.rule_changes;
  config::Config next = running_;
  std::string error;
  if (request.command == ctl::Command::forwards) {
    const auto spec = config::parse_forward(request.rule, running_.wan.address);
    if (!spec.forward) return refuse(spec.error);
    error = edit_rules(next.engine.forwards, *spec.forward, request.edit, "forward");
  } else {
    const auto spec = config::parse_static(request.rule);
    if (!spec.rule) return refuse(spec.error);
    error = edit_rules(next.engine.static_nat, *spec.rule, request.edit, "static rule");
  }
  if (!error.empty()) return refuse(std::move(error));
  if (const auto errors = config::engine_errors(next.engine); !errors.empty()) {
    return refuse(joined(errors, "; "));
  }
  spdlog::info("{} {} {}", request.edit == ctl::RuleEdit::add ? "added" : "deleted",
               request.command == ctl::Command::forwards ? "forward" : "static rule", request.rule);
  return take(std::move(next));
}

std::vector<std::string> Reloader::rules(ctl::Command which) const {
  std::vector<std::string> texts;
  if (which == ctl::Command::forwards) {
    for (const auto& f : running_.engine.forwards) texts.push_back(config::to_text(f));
  } else {
    for (const auto& s : running_.engine.static_nat) texts.push_back(config::to_text(s));
  }
  return texts;
}

ctl::CounterGroup Reloader::counter_group() const {
  ctl::CounterGroup g{"config", {}};
  for (const auto& f : kReloadCounterFields) g.values.emplace_back(f.name, f.read(counters_));
  return g;
}

Reloader::Change Reloader::take(config::Config next) {
  running_ = std::move(next);
  return {std::make_shared<const nat::EngineConfig>(engine_config(running_)), {}};
}

Reloader::Change Reloader::refuse(std::string error) {
  ++counters_.refused;
  spdlog::warn("config change refused, the running config is kept: {}", error);
  return {nullptr, std::move(error)};
}

}  // namespace masq::app
