#include "config/log_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/quick_start.hpp"
#include "config/read_toml.hpp"

namespace masq::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::read;

TEST(ReadLog, TheDefaultIsStderrAtInfo) {
  const auto r = read("");
  EXPECT_EQ(r.draft.log.target, LogTarget::standard_error);
  EXPECT_EQ(r.draft.log.level, LogLevel::info);
}

TEST(ReadLog, TargetAndLevelAreRead) {
  const auto r = read("[log]\ntarget = \"journal\"\nlevel = \"debug\"\n");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.draft.log.target, LogTarget::journal);
  EXPECT_EQ(r.draft.log.level, LogLevel::debug);
}

TEST(ReadLog, BadValuesAndKeysAreNamedWithTheValidOnes) {
  const auto r = read("[log]\ntarget = \"syslog\"\nlevel = \"loud\"\ncolour = true\n");
  EXPECT_THAT(r.errors,
              ElementsAre(HasSubstr("masq.toml:2: log.target: bad log target 'syslog' (want one "
                                    "of stderr, journal)"),
                          HasSubstr("masq.toml:3: log.level: bad log level 'loud' (want one of "
                                    "trace, debug, info, warning, error, critical, off)"),
                          HasSubstr("log.colour")));
}

TEST(ReadLog, FlagsOverrideTheFile) {
  auto r = read("[log]\ntarget = \"journal\"\nlevel = \"debug\"\n");
  QuickStart flags;
  flags.log = "stderr";
  flags.log_level = "warning";
  apply_flags(flags, r.draft, r.errors);
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.draft.log.target, LogTarget::standard_error);
  EXPECT_EQ(r.draft.log.level, LogLevel::warning);
  flags.log = "console";
  apply_flags(flags, r.draft, r.errors);
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("--log console: bad log target 'console'")));
}

}  // namespace
}  // namespace masq::config
