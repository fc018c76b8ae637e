// IPFIX (RFC 7011) NAT event records (RFC 8158) of session events, as
// CGN logging collectors (nfcapd, ...) take them over UDP. One template,
// NAT44 session create and delete (RFC 8158 §4.1.1, natEvent 1 and 2):
//   observationTimeMilliseconds (323), natEvent (230), protocolIdentifier
//   (4), sourceIPv4Address (8), sourceTransportPort (7),
//   postNATSourceIPv4Address (225), postNAPTSourceTransportPort (227),
// and, when the events carry the remote (RFC 6888 REQ-12: an option),
//   destinationIPv4Address (12), destinationTransportPort (11).
// For ICMP echo the ports are the identifiers. IpfixEncoder builds whole
// messages; IpfixExporter sends them from a UDP socket. Over UDP the
// template is sent again every kTemplateEveryS seconds (RFC 7011 §8.4).
// Cold: the control plane's thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "masq/nat/session_event.hpp"

namespace masq::ctl {

// IANA's natEvent values (RFC 8158 §2.2).
inline constexpr std::uint8_t kNatEventSessionCreate = 1;
inline constexpr std::uint8_t kNatEventSessionDelete = 2;

class IpfixEncoder {
 public:
  static constexpr std::uint16_t kTemplateId = 256;
  // A message fits an Ethernet MTU with IPv4 and UDP headers.
  static constexpr std::size_t kMaxMessage = 1400;

  IpfixEncoder(std::uint32_t observation_domain, bool with_remote);

  // A message holding only the template set.
  std::vector<std::uint8_t> template_message(std::uint32_t export_time_s) const;
  // Messages holding `events` as data records (as many a message as fit),
  // with wall-clock time = engine time + wall_offset_ns; the sequence
  // number counts the data records sent before each (RFC 7011 §3.1).
  std::vector<std::vector<std::uint8_t>> data_messages(std::span<const nat::SessionEvent> events,
                                                       std::int64_t wall_offset_ns,
                                                       std::uint32_t export_time_s);
  std::size_t record_bytes() const { return with_remote_ ? 28 : 22; }

 private:
  void header(std::vector<std::uint8_t>& m, std::uint32_t export_time_s) const;
  std::uint32_t domain_;
  bool with_remote_;
  std::uint32_t sequence_ = 0;
};

class IpfixExporter {
 public:
  static constexpr std::uint32_t kTemplateEveryS = 60;

  struct OpenResult {
    std::unique_ptr<IpfixExporter> exporter;  // set exactly when error is empty
    std::string error;
  };
  // `collector`: "ADDR:PORT".
  static OpenResult open(const std::string& collector, bool with_remote);
  ~IpfixExporter();
  IpfixExporter(const IpfixExporter&) = delete;
  IpfixExporter& operator=(const IpfixExporter&) = delete;

  // Sends `events` (with the template first when it is due). A send that
  // fails is counted; nothing waits.
  void send(std::span<const nat::SessionEvent> events, std::int64_t wall_offset_ns,
            std::uint32_t now_s);
  std::uint64_t messages_sent() const { return sent_; }
  std::uint64_t send_errors() const { return errors_; }

 private:
  IpfixExporter(int fd, bool with_remote);
  void transmit(const std::vector<std::uint8_t>& message);

  int fd_;
  IpfixEncoder encoder_;
  std::uint32_t template_sent_s_ = 0;
  bool template_sent_ = false;
  std::uint64_t sent_ = 0;
  std::uint64_t errors_ = 0;
};

}  // namespace masq::ctl
