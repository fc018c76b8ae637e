// The translation log file: rotation by size, and lookups over the file
// and its rotated predecessors.
#include "masq/ctl/translation_log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "masq/ctl/translation_lookup.hpp"

namespace masq::ctl {
namespace {

constexpr std::int64_t kS = 1'000'000'000;
const net::Ipv4Addr kPublic = net::Ipv4Addr::from_octets(203, 0, 113, 1);

struct TempDir {
  TempDir()
      : path(std::filesystem::temp_directory_path() /
             ("masq-tlog-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::filesystem::path path;
};

std::vector<std::string> lines_of(const std::string& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

nat::SessionEvent event(nat::EventType type, std::uint8_t host, std::uint16_t outside_port,
                        std::int64_t t_s) {
  nat::SessionEvent e;
  e.type = type;
  e.reason = type == nat::EventType::create ? nat::DeleteReason::none : nat::DeleteReason::expired;
  e.time_ns = static_cast<std::uint64_t>(t_s * kS);
  e.internal_addr = net::Ipv4Addr::from_octets(192, 168, 77, host);
  e.internal_port = net::Port(5000);
  e.external_addr = kPublic;
  e.external_port = net::Port(outside_port);
  return e;
}

TEST(TranslationLog, RotatesBySizeAndKeepsSoMany) {
  TempDir dir;
  TranslationLogOptions o{(dir.path / "t.log").string(), 100, 2};
  auto opened = TranslationLog::open(o);
  ASSERT_TRUE(opened.log) << opened.error;
  const std::string line(39, 'x');  // 40 bytes with its newline: two a file
  for (int i = 0; i < 7; ++i) {
    opened.log->append(line + std::to_string(i % 10).substr(0, 0));
    opened.log->flush();
  }
  EXPECT_EQ(opened.log->rotations(), 3u);
  EXPECT_EQ(opened.log->lines_written(), 7u);
  EXPECT_EQ(lines_of(o.path).size(), 1u);
  EXPECT_EQ(lines_of(o.path + ".1").size(), 2u);
  EXPECT_EQ(lines_of(o.path + ".2").size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(o.path + ".3"));  // the oldest went
  EXPECT_EQ(translation_log_files(o),
            (std::vector<std::string>{o.path + ".2", o.path + ".1", o.path}));
  for (const auto& f : translation_log_files(o))
    EXPECT_LE(std::filesystem::file_size(f), o.max_bytes);
}

TEST(TranslationLog, AReopenedLogIsAppendedTo) {
  TempDir dir;
  TranslationLogOptions o{(dir.path / "t.log").string(), 1000, 1};
  {
    auto opened = TranslationLog::open(o);
    opened.log->append("one");
  }  // flushed when closed
  auto opened = TranslationLog::open(o);
  opened.log->append("two");
  opened.log->flush();
  EXPECT_EQ(lines_of(o.path), (std::vector<std::string>{"one", "two"}));
}

TEST(TranslationLog, AnUnwritablePathIsAClearError) {
  const auto opened = TranslationLog::open({"/nonexistent-dir/t.log", 100, 1});
  EXPECT_FALSE(opened.log);
  EXPECT_NE(opened.error.find("/nonexistent-dir/t.log"), std::string::npos);
}

TEST(TranslationLookup, FindsTheHostThatHeldTheEndpointAcrossRotatedFiles) {
  TempDir dir;
  // Small files: the history spreads over several.
  TranslationLogOptions o{(dir.path / "t.log").string(), 300, 10};
  auto log = std::move(TranslationLog::open(o).log);
  ASSERT_TRUE(log);
  const std::int64_t offset = 1764678000LL * kS;
  using nat::EventType;
  for (const auto& e :
       {event(EventType::create, 2, 40001, 10),
        event(EventType::create, 9, 40002, 15),  // another endpoint
        event(EventType::delete_, 2, 40001, 20), event(EventType::create, 3, 40001, 30),
        event(EventType::delete_, 3, 40001, 40), event(EventType::create, 4, 40001, 50)}) {
    log->append(event_json(e, offset).dump());
    log->flush();
  }
  ASSERT_GE(log->rotations(), 2u);
  const auto files = translation_log_files(o);
  const auto at = [&](std::int64_t t_s) {
    LookupQuery q{kPublic, net::Port(40001), offset + t_s * kS, std::nullopt};
    return lookup(files, q, 0);
  };
  ASSERT_EQ(at(12).hits.size(), 1u);
  EXPECT_EQ(at(12).hits[0].inside, "192.168.77.2:5000");
  EXPECT_EQ(at(12).hits[0].reason, "expired");
  EXPECT_EQ(at(35).hits.at(0).inside, "192.168.77.3:5000");
  EXPECT_TRUE(at(45).hits.empty());  // nobody
  EXPECT_TRUE(at(5).hits.empty());
  // Still held: no delete yet.
  ASSERT_EQ(at(1000).hits.size(), 1u);
  EXPECT_EQ(at(1000).hits[0].inside, "192.168.77.4:5000");
  EXPECT_EQ(at(1000).hits[0].deleted, "");
  // Default time: now.
  LookupQuery now{kPublic, net::Port(40001), std::nullopt, std::nullopt};
  EXPECT_EQ(lookup(files, now, offset + 60 * kS).hits.at(0).inside, "192.168.77.4:5000");
  // Another protocol held nothing.
  LookupQuery tcp{kPublic, net::Port(40001), offset + 12 * kS, net::Proto::tcp};
  EXPECT_TRUE(lookup(files, tcp, 0).hits.empty());
  const auto j = lookup_json(at(12));
  EXPECT_EQ(j.at("hits").at(0).at("inside"), "192.168.77.2:5000");
}

}  // namespace
}  // namespace masq::ctl
