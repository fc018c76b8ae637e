// Runs the real masq-replay binary (path from the build: MASQ_REPLAY_PATH)
// for the end-to-end tests, and reads back its exit status, its stderr and
// the summary counters in it. Cold.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace masq::test {

struct ToolRun {
  int exit_code = -1;
  std::string stderr_text;
  std::map<std::string, std::uint64_t, std::less<>> summary;  // "name value" lines

  // A summary counter; 0 when the summary leaves it out (as it does zero drops).
  std::uint64_t counter(const std::string& name) const;
};

// stderr is captured in `stderr_file`, which is overwritten.
ToolRun run_replay_tool(const std::vector<std::string>& args,
                        const std::filesystem::path& stderr_file);

}  // namespace masq::test
