#include "pcap_files.hpp"

#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <stdlib.h>

#include <array>
#include <string>

namespace masq::test {
namespace {
constexpr std::uint64_t kNsPerSecond = 1'000'000'000;
constexpr std::uint64_t kNsPerMicrosecond = 1'000;
constexpr int kSnapLength = 262144;
}  // namespace

void write_capture(const std::filesystem::path& path, const TestCapture& capture) {
  const unsigned precision =
      capture.nanosecond ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO;
  pcap_t* handle = pcap_open_dead_with_tstamp_precision(capture.dlt, kSnapLength, precision);
  ASSERT_NE(handle, nullptr);
  pcap_dumper_t* dumper = pcap_dump_open(handle, path.c_str());
  ASSERT_NE(dumper, nullptr) << pcap_geterr(handle);
  for (const TestFrame& frame : capture.frames) {
    pcap_pkthdr header{};
    const std::uint64_t fraction = frame.timestamp_ns % kNsPerSecond;
    header.ts.tv_sec = static_cast<time_t>(frame.timestamp_ns / kNsPerSecond);
    header.ts.tv_usec =
        static_cast<suseconds_t>(capture.nanosecond ? fraction : fraction / kNsPerMicrosecond);
    header.caplen = static_cast<bpf_u_int32>(frame.bytes.size());
    header.len = header.caplen;
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, frame.bytes.data());
  }
  pcap_dump_close(dumper);
  pcap_close(handle);
}

TestCapture read_capture(const std::filesystem::path& path) {
  TestCapture capture;
  std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
  pcap_t* handle = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO,
                                                           errbuf.data());
  EXPECT_NE(handle, nullptr) << path << ": " << errbuf.data();
  if (handle == nullptr) return capture;
  capture.dlt = pcap_datalink(handle);
  pcap_pkthdr* header = nullptr;
  const std::uint8_t* data = nullptr;
  int rc = 0;
  while ((rc = pcap_next_ex(handle, &header, &data)) == 1) {
    capture.frames.push_back({static_cast<std::uint64_t>(header->ts.tv_sec) * kNsPerSecond +
                                  static_cast<std::uint64_t>(header->ts.tv_usec),
                              {data, data + header->caplen}});
  }
  EXPECT_EQ(rc, PCAP_ERROR_BREAK) << path << ": " << pcap_geterr(handle);
  pcap_close(handle);
  return capture;
}

ScratchDir::ScratchDir() {
  std::string pattern =
      (std::filesystem::path(::testing::TempDir()) / "masq-replay-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp " << pattern;
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace masq::test
