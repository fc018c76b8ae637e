#include "replay_tool.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace masq::test {

std::uint64_t ToolRun::counter(const std::string& name) const {
  const auto it = summary.find(name);
  return it == summary.end() ? 0 : it->second;
}

ToolRun run_replay_tool(const std::vector<std::string>& args,
                        const std::filesystem::path& stderr_file) {
  ToolRun run;
  std::vector<std::string> argv_strings{MASQ_REPLAY_PATH};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(rc, 0) << "cannot start " << argv[0];
  if (rc != 0) return run;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  EXPECT_TRUE(WIFEXITED(status)) << "masq-replay died, status " << status;
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);

  std::ifstream in(stderr_file);
  std::ostringstream text;
  text << in.rdbuf();
  run.stderr_text = text.str();
  std::istringstream lines(run.stderr_text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name;
    std::uint64_t value = 0;
    std::string rest;
    if (words >> name >> value && !(words >> rest)) run.summary[name] = value;
  }
  return run;
}

}  // namespace masq::test
