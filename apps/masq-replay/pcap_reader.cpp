#include "pcap_reader.hpp"

#include <array>

#include "replay_error.hpp"

namespace masq::replay {
namespace {
constexpr std::uint64_t kNsPerSecond = 1'000'000'000;
}  // namespace

PcapReader::PcapReader(const std::filesystem::path& path) : name_(path.string()) {
  std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
  // Nanosecond precision: libpcap scales microsecond files up, so every
  // timestamp below is in ns and tv_usec holds nanoseconds.
  handle_.reset(pcap_open_offline_with_tstamp_precision(name_.c_str(), PCAP_TSTAMP_PRECISION_NANO,
                                                        errbuf.data()));
  if (!handle_) throw ReplayError(kExitUsage, name_ + ": " + errbuf.data());
  const int dlt = pcap_datalink(handle_.get());
  const auto type = link_type_from_dlt(dlt);
  if (!type) {
    const char* dlt_name = pcap_datalink_val_to_name(dlt);
    throw ReplayError(kExitUsage, name_ + ": unsupported link type " +
                                      (dlt_name != nullptr ? dlt_name : std::to_string(dlt)) +
                                      " (want EN10MB, RAW or IPV4)");
  }
  link_type_ = *type;
}

bool PcapReader::next(CapturedFrame& frame) {
  pcap_pkthdr* header = nullptr;
  const std::uint8_t* data = nullptr;
  const int rc = pcap_next_ex(handle_.get(), &header, &data);
  if (rc == PCAP_ERROR_BREAK) return false;
  if (rc != 1) throw ReplayError(kExitUsage, name_ + ": " + pcap_geterr(handle_.get()));
  frame.timestamp_ns = static_cast<std::uint64_t>(header->ts.tv_sec) * kNsPerSecond +
                       static_cast<std::uint64_t>(header->ts.tv_usec);
  frame.bytes.assign(data, data + header->caplen);
  return true;
}

}  // namespace masq::replay
