// A packet scenario: an engine configuration and a script of packets sent
// at given times, each with the verdict and packet expected back, plus
// checks on counters and captured values. In router mode (a config with
// router.lan and router.wan) the packets go as Ethernet frames through a
// router::Router driving the engine, and each call is followed by the
// frames expected out of it. The file syntax is in README.md; this is its
// parsed form. Packet lines stay as words until the script runs, because
// they may use values captured from earlier output. Cold.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "masq/nat/engine_config.hpp"
#include "masq/nat/verdict.hpp"
#include "masq/router/router_config.hpp"

namespace masq::test {

struct ScenarioLine {
  int number = 0;
  std::vector<std::string> words;
};

// One packet sent and what must come of it. `packet` holds the words of
// the packet only; `expect` the whole expect line (engine mode only).
struct Send {
  ScenarioLine packet;
  ScenarioLine expect;
};

// Packets given to one Engine::process() call, or in router mode to one
// Router::process() call (a Router::tick() call when `tick`); then
// `outputs` holds its expect lines, one per frame out, or `expect nothing`.
struct Batch {
  int line = 0;  // of its `at`
  std::uint64_t now_ns = 0;
  Side side = Side::lan;
  bool tick = false;
  std::vector<Send> sends;
  std::vector<ScenarioLine> outputs;
};

// A `counter` or `check` line, evaluated between batches.
struct Assertion {
  ScenarioLine line;
};

using Step = std::variant<Batch, Assertion>;

// Router mode: the gateway's links (MACs fixed, see router_text.hpp) and
// the neighbours it knows from the start (Router::learn()).
struct RouterSetup {
  router::RouterConfig config;
  std::vector<net::Ipv4Addr> neighbours;
  bool lan_given = false;
  bool wan_given = false;
};

struct Scenario {
  std::string name;
  int config_line = 0;
  nat::EngineConfig config;
  std::optional<RouterSetup> router;
  std::vector<Step> steps;
};

// The steps in order: each batch to `on_batch`, each assertion's line to
// `on_assertion`. Both runners (engine and router) walk a scenario so.
template <typename OnBatch, typename OnAssertion>
void for_each_step(const Scenario& s, OnBatch&& on_batch, OnAssertion&& on_assertion) {
  for (const Step& step : s.steps) {
    if (const auto* batch = std::get_if<Batch>(&step)) {
      on_batch(*batch);
    } else {
      on_assertion(std::get<Assertion>(step).line);
    }
  }
}

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(int line, const std::string& message) : std::runtime_error(message), line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

// Throws ScenarioError naming the line of the first problem.
Scenario parse_scenario(std::string_view text, std::string name);
Scenario load_scenario(const std::filesystem::path& path);

// "12.5" seconds -> nanoseconds, exactly (no floating point).
std::uint64_t parse_seconds_ns(std::string_view text);

}  // namespace masq::test
