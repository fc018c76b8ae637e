// Capture files for the replay tests, written and read with libpcap
// directly, so that masq-replay's own reader and writer are checked against
// the library rather than against themselves. Cold.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace masq::test {

struct TestFrame {
  std::uint64_t timestamp_ns = 0;
  std::vector<std::uint8_t> bytes;
  bool operator==(const TestFrame&) const = default;
};

struct TestCapture {
  int dlt = 0;
  bool nanosecond = false;  // write_capture: the file's timestamp resolution
  std::vector<TestFrame> frames;
};

// Writes a classic pcap file. With nanosecond = false the timestamps are cut
// to microseconds, as a microsecond file stores them.
void write_capture(const std::filesystem::path& path, const TestCapture& capture);

// Reads a whole capture; timestamps in ns whatever the file's resolution. Fails the current test
// (and returns what it has) on a libpcap error.
TestCapture read_capture(const std::filesystem::path& path);

// A fresh directory under the test temporary directory, removed by the destructor.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace masq::test
