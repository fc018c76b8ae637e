// A packet scenario: an engine configuration and a script of packets sent
// at given times, each with the verdict and packet expected back, plus
// checks on counters and captured values. The file syntax is in
// README.md; this is its parsed form. Packet lines stay as words until the
// script runs, because they may use values captured from earlier output.
// Cold.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "masq/nat/engine_config.hpp"
#include "masq/nat/verdict.hpp"

namespace masq::test {

struct ScenarioLine {
  int number = 0;
  std::vector<std::string> words;
};

// One packet sent and what must come of it. `packet` holds the words of
// the packet only; `expect` the whole expect line.
struct Send {
  ScenarioLine packet;
  ScenarioLine expect;
};

// Packets given to one Engine::process() call.
struct Batch {
  std::uint64_t now_ns = 0;
  Side side = Side::lan;
  std::vector<Send> sends;
};

// A `counter` or `check` line, evaluated between batches.
struct Assertion {
  ScenarioLine line;
};

using Step = std::variant<Batch, Assertion>;

struct Scenario {
  std::string name;
  int config_line = 0;
  nat::EngineConfig config;
  std::vector<Step> steps;
};

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
