#include "pcap_writer.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "replay_error.hpp"

namespace masq::replay {
namespace {
constexpr std::uint64_t kNsPerSecond = 1'000'000'000;
// libpcap's own ceiling (MAXIMUM_SNAPLEN); every frame we write fits.
constexpr int kSnapLength = 262144;
}  // namespace

PcapWriter::PcapWriter(const std::filesystem::path& path, LinkType link_type)
    : name_(path.string()),
      handle_(pcap_open_dead_with_tstamp_precision(to_dlt(link_type), kSnapLength,
                                                   PCAP_TSTAMP_PRECISION_NANO)) {
  if (!handle_) throw ReplayError(kExitRuntime, name_ + ": cannot set up a pcap writer");
  dumper_.reset(pcap_dump_open(handle_.get(), name_.c_str()));
  if (!dumper_) throw ReplayError(kExitUsage, name_ + ": " + pcap_geterr(handle_.get()));
}

void PcapWriter::write(std::uint64_t timestamp_ns, std::span<const std::uint8_t> frame) {
  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<time_t>(timestamp_ns / kNsPerSecond);
  header.ts.tv_usec = static_cast<suseconds_t>(timestamp_ns % kNsPerSecond);
  header.caplen = static_cast<bpf_u_int32>(frame.size());
  header.len = header.caplen;
  // pcap_dump's first parameter is the dumper, passed as u_char* by its C API.
  pcap_dump(reinterpret_cast<u_char*>(dumper_.get()), &header, frame.data());
}

void PcapWriter::close() {
  if (!dumper_) return;
  errno = 0;
  const bool failed =
      pcap_dump_flush(dumper_.get()) != 0 || std::ferror(pcap_dump_file(dumper_.get())) != 0;
  const int error = errno;
  dumper_.reset();
  if (failed) {
    throw ReplayError(
        kExitRuntime,
        name_ + ": write failed" + (error != 0 ? std::string(": ") + std::strerror(error) : ""));
  }
}

}  // namespace masq::replay
