// End-to-end: what masq-replay says and returns when its flags, its config
// or its input files are wrong. Every such failure is exit status 2 with a
// "masq-replay: " line that names the problem.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pcap_files.hpp"
#include "replay_tool.hpp"

namespace masq::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int kUsageExit = 2;

class ReplayErrorsTest : public ::testing::Test {
 protected:
  ReplayErrorsTest() { write_capture(good_input(), {DLT_RAW, true, {}}); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string good_input() const { return path("good.pcap"); }

  // Quick-start flags and outputs, then `args`.
  ToolRun run(const std::vector<std::string>& args) const {
    std::vector<std::string> all{
        "--lan",     "lan0=192.168.77.1/24", "--wan",     "wan0=203.0.113.1/24",
        "--lan-out", path("lan-out.pcap"),   "--wan-out", path("wan-out.pcap")};
    all.insert(all.end(), args.begin(), args.end());
    return run_replay_tool(all, dir_ / "stderr.txt");
  }

  ScratchDir dir_;
};

void expect_usage_error(const ToolRun& run, const std::string& names) {
  EXPECT_EQ(run.exit_code, kUsageExit) << run.stderr_text;
  EXPECT_THAT(run.stderr_text, StartsWith("masq-replay: "));
  EXPECT_THAT(run.stderr_text, HasSubstr(names));
}

TEST_F(ReplayErrorsTest, AFileThatIsNotACapture) {
  std::ofstream(path("lan-in.pcap")) << "GET / HTTP/1.1\r\n\r\n";
  const ToolRun result = run({"--lan-in", path("lan-in.pcap")});
  expect_usage_error(result, path("lan-in.pcap") + ": ");
  // Inputs are checked before any output is created.
  EXPECT_FALSE(std::filesystem::exists(path("lan-out.pcap")));
}

TEST_F(ReplayErrorsTest, AMissingInput) {
  expect_usage_error(run({"--wan-in", path("missing.pcap")}), path("missing.pcap") + ": ");
}

TEST_F(ReplayErrorsTest, AnUnsupportedLinkType) {
  write_capture(path("sll.pcap"), {DLT_LINUX_SLL, true, {}});
  expect_usage_error(run({"--lan-in", path("sll.pcap")}), "unsupported link type");
}

TEST_F(ReplayErrorsTest, ATruncatedCapture) {
  write_capture(path("cut.pcap"), {DLT_RAW, true, {{1, std::vector<std::uint8_t>(60, 0x45)}}});
  std::filesystem::resize_file(path("cut.pcap"), std::filesystem::file_size(path("cut.pcap")) - 1);
  expect_usage_error(run({"--lan-in", path("cut.pcap")}), path("cut.pcap") + ": ");
}

TEST_F(ReplayErrorsTest, AnUnknownFlag) {
  expect_usage_error(run({"--lan-in", good_input(), "--bogus"}), "--bogus");
}

TEST_F(ReplayErrorsTest, ABadFlagValue) {
  expect_usage_error(run({"--lan-in", good_input(), "--lan", "lan0=300.1.1.1/24"}), "--lan");
  expect_usage_error(run({"--lan-in", good_input(), "--seed", "many"}), "--seed");
}

TEST_F(ReplayErrorsTest, NoInputAtAll) {
  expect_usage_error(run({}), "--lan-in");
}

TEST_F(ReplayErrorsTest, AnOutputMissing) {
  const ToolRun result =
      run_replay_tool({"--lan", "lan0=192.168.77.1/24", "--wan", "wan0=203.0.113.1/24", "--lan-in",
                       good_input(), "--lan-out", path("lan-out.pcap")},
                      dir_ / "stderr.txt");
  expect_usage_error(result, "--wan-out");
}

TEST_F(ReplayErrorsTest, AnOutputOverAnInput) {
  expect_usage_error(run({"--lan-in", path("lan-out.pcap")}),
                     "--lan-out and --lan-in name the same file");
}

TEST_F(ReplayErrorsTest, AConfigFileThatIsNotToml) {
  std::ofstream(path("bad.toml")) << "[lan\nname = = 3\n";
  expect_usage_error(run({"--lan-in", good_input(), "--config", path("bad.toml")}), "bad.toml");
}

TEST_F(ReplayErrorsTest, AMissingConfigFile) {
  expect_usage_error(run({"--lan-in", good_input(), "--config", path("nope.toml")}), "nope.toml");
}

}  // namespace
}  // namespace masq::test
