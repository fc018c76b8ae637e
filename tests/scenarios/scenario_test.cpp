// Runs every tests/scenarios/*.scn file as its own test case.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "scenarios/scenario_runner.hpp"

namespace masq::test {
namespace {

namespace fs = std::filesystem;

// MASQ_SOURCE_DIR is set for the test runs; test discovery runs without
// it, so the directory is also compiled in.
fs::path scenario_dir() {
  if (const char* src = std::getenv("MASQ_SOURCE_DIR"))
    return fs::path(src) / "tests" / "scenarios";
  return MASQ_SCENARIO_DIR;
}

std::vector<std::string> scenario_files() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(scenario_dir())) {
    if (entry.path().extension() == ".scn") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class Scenarios : public testing::TestWithParam<std::string> {};

TEST_P(Scenarios, Run) {
  const fs::path path = scenario_dir() / GetParam();
  Scenario scenario;
  try {
    scenario = load_scenario(path);
  } catch (const ScenarioError& e) {
    ADD_FAILURE_AT(path.c_str(), e.line()) << e.what();
    return;
  }
  for (const Failure& f : run_scenario(scenario)) ADD_FAILURE_AT(path.c_str(), f.line) << f.message;
}

INSTANTIATE_TEST_SUITE_P(Files, Scenarios, testing::ValuesIn(scenario_files()),
                         [](const testing::TestParamInfo<std::string>& file) {
                           std::string name = fs::path(file.param).stem().string();
                           std::replace_if(
                               name.begin(), name.end(), [](char c) { return !std::isalnum(c); },
                               '_');
                           return name;
                         });

}  // namespace
}  // namespace masq::test
