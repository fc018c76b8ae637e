#include "support/checksum_oracle.hpp"

#include <fmt/format.h>

#include "masq/net/byte_order.hpp"
#include "support/inet_checksum.hpp"

namespace masq::test {
namespace {

constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;

bool is_icmp_error(std::uint8_t type) {
  return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

struct Checker {
  std::vector<std::string>& problems;
  TransportSum transport = TransportSum::complete;

  void report(std::string_view where, std::string message) {
    problems.push_back(std::string(where) + ": " + message);
  }

  // The TCP/UDP pseudo-header (RFC 793 §3.1, RFC 768) of `segment`.
  static OnesSum pseudo_header(const std::uint8_t* ip, std::uint8_t proto,
                               std::span<const std::uint8_t> segment) {
    OnesSum sum;
    sum.add_u32(net::load_be32(ip + 12));
    sum.add_u32(net::load_be32(ip + 16));
    sum.add_u16(proto);
    sum.add_u16(static_cast<std::uint16_t>(segment.size()));
    return sum;
  }

  bool pseudo_verifies(const std::uint8_t* ip, std::uint8_t proto,
                       std::span<const std::uint8_t> segment) {
    OnesSum sum = pseudo_header(ip, proto, segment);
    sum.add(segment);
    return sum.verifies();
  }

  // A seed is a sum, not its complement: 0x0000 and 0xFFFF are the same
  // one's complement zero, and either may stand in the field.
  void check_tcp_seed(const std::uint8_t* ip, std::span<const std::uint8_t> segment) {
    constexpr std::size_t kField = 16;
    if (segment.size() < kField + 2) {
      report("tcp", "header cut short");
      return;
    }
    const std::uint16_t want = pseudo_header(ip, kProtoTcp, segment).folded();
    const auto zero = [](std::uint16_t v) { return v == 0xFFFF ? std::uint16_t{0} : v; };
    const std::uint16_t seed = net::load_be16(segment.data() + kField);
    if (zero(seed) != zero(want)) {
      report("tcp",
             fmt::format("checksum seed 0x{:04x} is wrong (should be 0x{:04x})", seed, want));
    }
  }

  // `quoted`: the datagram sits inside an ICMP error and may be cut short.
  void check_datagram(std::span<const std::uint8_t> bytes, bool quoted, std::string_view where) {
    const std::string ip_where = std::string(where) + "ip";
    if (bytes.size() < 20 || (bytes[0] >> 4) != 4) {
      report(ip_where, fmt::format("not an IPv4 header ({} bytes)", bytes.size()));
      return;
    }
    const std::size_t ihl = std::size_t{bytes[0] & 0x0Fu} * 4;
    if (ihl < 20 || ihl > bytes.size()) {
      report(ip_where, fmt::format("header length {} does not fit in {} bytes", ihl, bytes.size()));
      return;
    }
    OnesSum header;
    header.add(bytes.first(ihl));
    if (!header.verifies()) {
      report(ip_where,
             fmt::format("header checksum 0x{:04x} is wrong (should be 0x{:04x})",
                         net::load_be16(bytes.data() + 10), expected_ip_checksum(bytes, ihl)));
    }
    const std::size_t total = net::load_be16(bytes.data() + 2);
    if (total < ihl) {
      report(ip_where, fmt::format("total length {} below the header length {}", total, ihl));
      return;
    }
    if (total > bytes.size() && !quoted) {
      report(ip_where,
             fmt::format("total length {} beyond the {} bytes present", total, bytes.size()));
      return;
    }
    const std::uint16_t frag = net::load_be16(bytes.data() + 6);
    if ((frag & 0x3FFF) != 0) return;  // MF or an offset: the transport sum spans fragments
    const bool complete = total <= bytes.size();
    const auto l4 = bytes.subspan(ihl, (complete ? total : bytes.size()) - ihl);
    check_transport(bytes.data(), bytes[9], l4, complete, where);
  }

  static std::uint16_t expected_ip_checksum(std::span<const std::uint8_t> bytes, std::size_t ihl) {
    OnesSum sum;
    sum.add(bytes.first(10));
    sum.add(bytes.subspan(12, ihl - 12));
    return sum.checksum();
  }

  void check_transport(const std::uint8_t* ip, std::uint8_t proto, std::span<const std::uint8_t> l4,
                       bool complete, std::string_view where) {
    const bool seeded = transport == TransportSum::seed && where.empty();
    switch (proto) {
      case kProtoTcp:
        if (complete && seeded) {
          check_tcp_seed(ip, l4);
        } else if (complete && !pseudo_verifies(ip, proto, l4)) {
          report(std::string(where) + "tcp", "checksum does not verify");
        }
        return;
      case kProtoUdp: {
        if (!complete) return;
        const std::string udp_where = std::string(where) + "udp";
        if (l4.size() < 8) {
          report(udp_where, "header cut short");
          return;
        }
        if (net::load_be16(l4.data() + 6) == 0) return;  // RFC 768: no checksum
        const std::size_t udp_len = net::load_be16(l4.data() + 4);
        if (udp_len < 8 || udp_len > l4.size()) {
          report(udp_where,
                 fmt::format("length {} does not fit the {} bytes present", udp_len, l4.size()));
          return;
        }
        if (!pseudo_verifies(ip, proto, l4.first(udp_len)))
          report(udp_where, "checksum does not verify");
        return;
      }
      case kProtoIcmp:
        check_icmp(l4, complete, where);
        return;
      default:
        return;
    }
  }

  void check_icmp(std::span<const std::uint8_t> msg, bool complete, std::string_view where) {
    const std::string icmp_where = std::string(where) + "icmp";
    if (complete) {
      OnesSum sum;
      sum.add(msg);
      if (!sum.verifies()) report(icmp_where, "checksum does not verify");
    }
    // Only the outermost error's quote is walked: RFC 1812 §4.3.2.7 forbids
    // errors about errors, so a deeper level is never legitimate output.
    if (!where.empty() || msg.size() < 8 || !is_icmp_error(msg[0])) return;
    check_datagram(msg.subspan(8), /*quoted=*/true, "inner.");
  }
};

}  // namespace

std::vector<std::string> checksum_problems(std::span<const std::uint8_t> packet,
                                           TransportSum transport) {
  std::vector<std::string> problems;
  Checker{problems, transport}.check_datagram(packet, /*quoted=*/false, "");
  return problems;
}

}  // namespace masq::test
