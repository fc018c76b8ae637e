#include "support/packet_dissect.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "masq/net/byte_order.hpp"
#include "masq/net/ipv4_addr.hpp"

namespace masq::test {
namespace {

using Bytes = std::span<const std::uint8_t>;

std::string hex(Bytes bytes) {
  std::string out;
  for (const std::uint8_t b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

bool is_icmp_error(std::uint8_t type) {
  return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

class Dissector {
 public:
  explicit Dissector(std::vector<Field>& out) : out_(out) {}

  void datagram(Bytes bytes, const std::string& prefix, int depth) {
    if (bytes.size() < 20 || (bytes[0] >> 4) != 4) {
      blob(prefix + "raw", bytes);
      return;
    }
    const std::size_t ihl = std::size_t{bytes[0] & 0x0Fu} * 4;
    const std::string ip = prefix + "ip.";
    number(ip + "version", bytes[0] >> 4);
    number(ip + "ihl", bytes[0] & 0x0F);
    number(ip + "tos", bytes[1]);
    const std::size_t total = net::load_be16(bytes.data() + 2);
    number(ip + "total_length", total);
    number(ip + "id", net::load_be16(bytes.data() + 4));
    const std::uint16_t frag = net::load_be16(bytes.data() + 6);
    number(ip + "df", (frag >> 14) & 1);
    number(ip + "mf", (frag >> 13) & 1);
    number(ip + "frag_offset", std::size_t{frag & 0x1FFFu} * 8);
    number(ip + "ttl", bytes[8]);
    number(ip + "protocol", bytes[9]);
    number(ip + "checksum", net::load_be16(bytes.data() + 10), /*checksum=*/true);
    address(ip + "src", net::load_be32(bytes.data() + 12));
    address(ip + "dst", net::load_be32(bytes.data() + 16));
    if (ihl < 20 || ihl > bytes.size() || total < ihl) {
      blob(prefix + "rest", bytes.subspan(20));
      return;
    }
    if (ihl > 20) blob(ip + "options", bytes.subspan(20, ihl - 20));
    const std::size_t end = std::min(total, bytes.size());
    const Bytes l4 = bytes.subspan(ihl, end - ihl);
    if (end < bytes.size()) blob(prefix + "trailer", bytes.subspan(end));
    if ((frag & 0x1FFF) != 0) {
      blob(prefix + "payload", l4);
      return;
    }
    switch (bytes[9]) {
      case 6:
        tcp(l4, prefix);
        return;
      case 17:
        udp(l4, prefix);
        return;
      case 1:
        icmp(l4, prefix, depth);
        return;
      default:
        blob(prefix + "payload", l4);
    }
  }

 private:
  void number(std::string name, std::uint64_t v, bool checksum = false) {
    out_.push_back({std::move(name), fmt::format("{}", v), v, checksum});
  }
  void address(std::string name, std::uint32_t v) {
    out_.push_back({std::move(name), net::Ipv4Addr(v).to_string(), v, false});
  }
  void blob(std::string name, Bytes b) {
    if (!b.empty()) out_.push_back({std::move(name), hex(b), b.size(), false});
  }

  void tcp(Bytes l4, const std::string& prefix) {
    const std::string t = prefix + "tcp.";
    if (l4.size() < 8) {
      blob(t + "partial", l4);
      return;
    }
    number(t + "src_port", net::load_be16(l4.data()));
    number(t + "dst_port", net::load_be16(l4.data() + 2));
    number(t + "seq", net::load_be32(l4.data() + 4));
    if (l4.size() < 20) {  // an ICMP error may quote only the first 8 bytes
      blob(t + "partial", l4.subspan(8));
      return;
    }
    const std::size_t off = std::size_t{l4[12]} >> 4 << 2;
    number(t + "ack", net::load_be32(l4.data() + 8));
    number(t + "offset", off / 4);
    number(t + "reserved", l4[12] & 0x0F);
    number(t + "flags", l4[13]);
    number(t + "window", net::load_be16(l4.data() + 14));
    number(t + "checksum", net::load_be16(l4.data() + 16), /*checksum=*/true);
    number(t + "urgent", net::load_be16(l4.data() + 18));
    const std::size_t header = std::clamp<std::size_t>(off, 20, l4.size());
    if (header > 20) blob(t + "options", l4.subspan(20, header - 20));
    blob(prefix + "payload", l4.subspan(header));
  }

  void udp(Bytes l4, const std::string& prefix) {
    const std::string u = prefix + "udp.";
    if (l4.size() < 8) {
      blob(u + "partial", l4);
      return;
    }
    number(u + "src_port", net::load_be16(l4.data()));
    number(u + "dst_port", net::load_be16(l4.data() + 2));
    number(u + "length", net::load_be16(l4.data() + 4));
    number(u + "checksum", net::load_be16(l4.data() + 6), /*checksum=*/true);
    blob(prefix + "payload", l4.subspan(8));
  }

  void icmp(Bytes l4, const std::string& prefix, int depth) {
    const std::string c = prefix + "icmp.";
    if (l4.size() < 8) {
      blob(c + "partial", l4);
      return;
    }
    const std::uint8_t type = l4[0];
    number(c + "type", type);
    number(c + "code", l4[1]);
    number(c + "checksum", net::load_be16(l4.data() + 2), /*checksum=*/true);
    if (type == 0 || type == 8) {
      number(c + "id", net::load_be16(l4.data() + 4));
      number(c + "seq", net::load_be16(l4.data() + 6));
    } else {
      number(c + "rest", net::load_be32(l4.data() + 4));
    }
    if (is_icmp_error(type) && depth == 0) {
      datagram(l4.subspan(8), prefix + "inner.", depth + 1);
    } else {
      blob(prefix + "payload", l4.subspan(8));
    }
  }

  std::vector<Field>& out_;
};

const Field* find(const std::vector<Field>& fields, std::string_view name) {
  const auto it =
      std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.name == name; });
  return it == fields.end() ? nullptr : &*it;
}

bool is_udp_checksum(std::string_view name) {
  return name == "udp.checksum" || name == "inner.udp.checksum";
}

}  // namespace

std::vector<Field> dissect(std::span<const std::uint8_t> packet) {
  std::vector<Field> out;
  Dissector(out).datagram(packet, "", 0);
  return out;
}

std::optional<std::uint64_t> field_value(const std::vector<Field>& fields, std::string_view name) {
  const Field* f = find(fields, name);
  if (f == nullptr) return std::nullopt;
  return f->value;
}

std::vector<std::string> compare_fields(const std::vector<Field>& expected,
                                        const std::vector<Field>& actual) {
  std::vector<std::string> out;
  for (const Field& e : expected) {
    const Field* a = find(actual, e.name);
    if (a == nullptr) {
      out.push_back(fmt::format("{}: expected {}, missing", e.name, e.text));
    } else if (e.is_checksum) {
      if (is_udp_checksum(e.name) && (e.value == 0) != (a->value == 0)) {
        out.push_back(fmt::format("{}: expected {}, got {} (RFC 768: zero means no checksum)",
                                  e.name, e.value == 0 ? "zero" : "a checksum", a->text));
      }
    } else if (e.text != a->text) {
      out.push_back(fmt::format("{}: expected {}, got {}", e.name, e.text, a->text));
    }
  }
  for (const Field& a : actual) {
    if (find(expected, a.name) == nullptr) {
      out.push_back(fmt::format("{}: unexpected, got {}", a.name, a.text));
    }
  }
  return out;
}

}  // namespace masq::test
