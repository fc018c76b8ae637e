// PcapReader: the frames of one capture file (pcap or pcapng), in file
// order, with nanosecond timestamps whatever the file's own resolution.
// Only the link types in link_type.hpp are accepted. Cold.
#pragma once

#include <pcap/pcap.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "link_type.hpp"

namespace masq::replay {

struct CapturedFrame {
  std::uint64_t timestamp_ns = 0;
  std::vector<std::uint8_t> bytes;  // the captured part (caplen) of the frame
};

class PcapReader {
 public:
  // Throws ReplayError(kExitUsage) with a message naming the file when it
  // cannot be opened, is not a capture, or has an unsupported link type.
  explicit PcapReader(const std::filesystem::path& path);

  LinkType link_type() const { return link_type_; }

  // Reads the next frame into `frame`, reusing its buffer; false at the end
  // of the file. Throws ReplayError(kExitUsage) when the file is damaged
  // (e.g. a truncated record).
  bool next(CapturedFrame& frame);

 private:
  struct Closer {
    void operator()(pcap_t* p) const { pcap_close(p); }
  };
  std::string name_;
  std::unique_ptr<pcap_t, Closer> handle_;
  LinkType link_type_ = LinkType::raw_ip;
};

}  // namespace masq::replay
