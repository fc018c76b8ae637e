// PcapWriter: a capture file being written, one link type, nanosecond
// timestamps (so an input stamp is written back exactly). Cold.
#pragma once

#include <pcap/pcap.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "link_type.hpp"

namespace masq::replay {

class PcapWriter {
 public:
  // Creates (or truncates) the file. Throws ReplayError(kExitUsage) naming
  // the file when it cannot be created.
  PcapWriter(const std::filesystem::path& path, LinkType link_type);

  void write(std::uint64_t timestamp_ns, std::span<const std::uint8_t> frame);

  // Flushes and closes; throws ReplayError(kExitRuntime) when any write
  // failed. Destroying an open writer closes it without reporting.
  void close();

 private:
  struct PcapCloser {
    void operator()(pcap_t* p) const { pcap_close(p); }
  };
  struct DumperCloser {
    void operator()(pcap_dumper_t* d) const { pcap_dump_close(d); }
  };
  std::string name_;
  std::unique_ptr<pcap_t, PcapCloser> handle_;
  std::unique_ptr<pcap_dumper_t, DumperCloser> dumper_;
};

}  // namespace masq::replay
