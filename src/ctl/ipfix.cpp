#include "masq/ctl/ipfix.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "masq/ctl/protocol.hpp"

namespace masq::ctl {
namespace {

constexpr std::uint16_t kVersion = 10;
constexpr std::uint16_t kTemplateSetId = 2;
constexpr std::size_t kHeaderBytes = 16;
constexpr std::size_t kSetHeaderBytes = 4;

struct Field {
  std::uint16_t id;
  std::uint16_t length;
};
// The template's fields in record order; the last two only with the remote.
constexpr std::array<Field, 9> kFields{{
    {323, 8},  // observationTimeMilliseconds
    {230, 1},  // natEvent
    {4, 1},    // protocolIdentifier
    {8, 4},    // sourceIPv4Address
    {7, 2},    // sourceTransportPort
    {225, 4},  // postNATSourceIPv4Address
    {227, 2},  // postNAPTSourceTransportPort
    {12, 4},   // destinationIPv4Address
    {11, 2},   // destinationTransportPort
}};

void put16(std::vector<std::uint8_t>& m, std::uint16_t v) {
  m.push_back(static_cast<std::uint8_t>(v >> 8));
  m.push_back(static_cast<std::uint8_t>(v));
}
void put32(std::vector<std::uint8_t>& m, std::uint32_t v) {
  put16(m, static_cast<std::uint16_t>(v >> 16));
  put16(m, static_cast<std::uint16_t>(v));
}
void put64(std::vector<std::uint8_t>& m, std::uint64_t v) {
  put32(m, static_cast<std::uint32_t>(v >> 32));
  put32(m, static_cast<std::uint32_t>(v));
}
void set16(std::vector<std::uint8_t>& m, std::size_t at, std::size_t v) {
  m[at] = static_cast<std::uint8_t>(v >> 8);
  m[at + 1] = static_cast<std::uint8_t>(v);
}

}  // namespace

IpfixEncoder::IpfixEncoder(std::uint32_t observation_domain, bool with_remote)
    : domain_(observation_domain), with_remote_(with_remote) {}

void IpfixEncoder::header(std::vector<std::uint8_t>& m, std::uint32_t export_time_s) const {
  put16(m, kVersion);
  put16(m, 0);  // the length, set when the message is complete
  put32(m, export_time_s);
  put32(m, sequence_);
  put32(m, domain_);
}

std::vector<std::uint8_t> IpfixEncoder::template_message(std::uint32_t export_time_s) const {
  std::vector<std::uint8_t> m;
  header(m, export_time_s);
  const std::size_t fields = with_remote_ ? kFields.size() : kFields.size() - 2;
  put16(m, kTemplateSetId);
  put16(m, static_cast<std::uint16_t>(kSetHeaderBytes + 4 + fields * 4));
  put16(m, kTemplateId);
  put16(m, static_cast<std::uint16_t>(fields));
  for (std::size_t i = 0; i < fields; ++i) {
    put16(m, kFields[i].id);
    put16(m, kFields[i].length);
  }
  set16(m, 2, m.size());
  return m;
}

std::vector<std::vector<std::uint8_t>> IpfixEncoder::data_messages(
    std::span<const nat::SessionEvent> events, std::int64_t wall_offset_ns,
    std::uint32_t export_time_s) {
  std::vector<std::vector<std::uint8_t>> out;
  const std::size_t per_message = (kMaxMessage - kHeaderBytes - kSetHeaderBytes) / record_bytes();
  for (std::size_t first = 0; first < events.size(); first += per_message) {
    const std::size_t n = std::min(per_message, events.size() - first);
    std::vector<std::uint8_t> m;
    m.reserve(kHeaderBytes + kSetHeaderBytes + n * record_bytes());
    header(m, export_time_s);
    put16(m, kTemplateId);  // a data set bears its template's id
    put16(m, static_cast<std::uint16_t>(kSetHeaderBytes + n * record_bytes()));
    for (const nat::SessionEvent& e : events.subspan(first, n)) {
      const std::int64_t wall_ns = static_cast<std::int64_t>(e.time_ns) + wall_offset_ns;
      put64(m, static_cast<std::uint64_t>(wall_ns / 1'000'000));
      m.push_back(e.type == nat::EventType::create ? kNatEventSessionCreate
                                                   : kNatEventSessionDelete);
      m.push_back(static_cast<std::uint8_t>(e.proto));
      put32(m, e.internal_addr.value());
      put16(m, e.internal_port.value());
      put32(m, e.external_addr.value());
      put16(m, e.external_port.value());
      if (with_remote_) {
        put32(m, e.remote_addr.value());
        put16(m, e.remote_port.value());
      }
    }
    set16(m, 2, m.size());
    sequence_ += static_cast<std::uint32_t>(n);
    out.push_back(std::move(m));
  }
  return out;
}

IpfixExporter::OpenResult IpfixExporter::open(const std::string& collector, bool with_remote) {
  net::Ipv4Addr addr;
  net::Port port;
  if (std::string e = parse_endpoint(collector, addr, port); !e.empty())
    return {nullptr, "IPFIX collector: " + e};
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return {nullptr, std::string("IPFIX socket: ") + std::strerror(errno)};
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(addr.value());
  to.sin_port = htons(port.value());
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    std::string error = "IPFIX collector " + collector + ": " + std::strerror(errno);
    ::close(fd);
    return {nullptr, std::move(error)};
  }
  return {std::unique_ptr<IpfixExporter>(new IpfixExporter(fd, with_remote)), {}};
}

IpfixExporter::IpfixExporter(int fd, bool with_remote) : fd_(fd), encoder_(0, with_remote) {}

IpfixExporter::~IpfixExporter() {
  ::close(fd_);
}

void IpfixExporter::transmit(const std::vector<std::uint8_t>& message) {
  // A collector that is not (yet) there answers with ICMP: the error is
  // reported on a later send and counted, and the exporter goes on.
  if (::send(fd_, message.data(), message.size(), MSG_DONTWAIT) ==
      static_cast<ssize_t>(message.size())) {
    ++sent_;
  } else {
    ++errors_;
  }
}

void IpfixExporter::send(std::span<const nat::SessionEvent> events, std::int64_t wall_offset_ns,
                         std::uint32_t now_s) {
  if (events.empty()) return;
  if (!template_sent_ || now_s - template_sent_s_ >= kTemplateEveryS) {
    transmit(encoder_.template_message(now_s));
    template_sent_ = true;
    template_sent_s_ = now_s;
  }
  for (const auto& m : encoder_.data_messages(events, wall_offset_ns, now_s)) transmit(m);
}

}  // namespace masq::ctl
