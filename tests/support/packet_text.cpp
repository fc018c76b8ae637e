#include "support/packet_text.hpp"

#include <array>
#include <utility>

namespace masq::test {
namespace {

class Parser {
 public:
  Parser(std::span<const std::string> words, const VariableResolver& resolve, std::string prefix)
      : words_(words), resolve_(resolve), prefix_(std::move(prefix)) {}

  PacketText parse(const PacketSpec& base) {
    PacketText out{base, {}};
    PacketSpec& s = out.spec;
    const std::string kind = next("a packet kind (udp, tcp, icmp, ip, raw)");
    if (kind == "raw") {
      std::string hex;
      while (pos_ < words_.size()) hex += words_[pos_++];
      s = PacketSpec{};
      s.raw = parse_hex(hex, "raw");
      return out;
    }
    s.raw.clear();
    if (kind == "udp" || kind == "tcp") {
      s.kind = kind == "udp" ? L4Kind::udp : L4Kind::tcp;
      endpoints(s, kind);
    } else if (kind == "icmp") {
      s.kind = L4Kind::icmp;
      icmp_type(s, next("an ICMP type (echo, echo-reply or T/C)"));
      addresses(s);
    } else if (kind == "ip") {
      s.kind = L4Kind::other;
      addresses(s);
    } else {
      throw TextError("unknown packet kind '" + kind + "'");
    }
    while (pos_ < words_.size()) {
      const std::string& word = words_[pos_++];
      if (word == "inner") {
        inner(s);
        break;
      }
      field(s, word);
      out.given.insert(word.substr(0, word.find('=')));
    }
    if (s.kind == L4Kind::other && !s.protocol_override) throw TextError("ip: proto=N is required");
    return out;
  }

 private:
  const std::string& next(std::string_view what) {
    if (pos_ >= words_.size()) throw TextError(std::string("expected ") + std::string(what));
    return words_[pos_++];
  }

  std::uint32_t value(std::string_view text, std::string_view field, std::uint64_t max) {
    if (text.starts_with('$')) {
      const std::uint32_t v = resolve_(text.substr(1), prefix_ + std::string(field));
      if (v > max)
        throw TextError(std::string(text) + " = " + std::to_string(v) + " is out of range");
      return v;
    }
    return static_cast<std::uint32_t>(parse_uint(text, max, field));
  }

  net::Ipv4Addr address(std::string_view text, std::string_view field) {
    if (text.starts_with('$')) return net::Ipv4Addr(value(text, field, 0xFFFFFFFFu));
    const auto a = net::Ipv4Addr::parse(text);
    if (!a) throw TextError("'" + std::string(text) + "' is not an IPv4 address");
    return *a;
  }

  void arrow() {
    if (next("'>'") != ">") throw TextError("expected '>' between source and destination");
  }

  void addresses(PacketSpec& s) {
    s.src = address(next("a source address"), "ip.src");
    arrow();
    s.dst = address(next("a destination address"), "ip.dst");
  }

  void endpoints(PacketSpec& s, const std::string& proto) {
    const auto split = [&](const std::string& ep, std::string_view which) {
      const auto colon = ep.rfind(':');
      if (colon == std::string::npos) throw TextError("'" + ep + "': expected ADDR:PORT");
      const std::string_view text(ep);
      return std::pair{
          address(text.substr(0, colon), "ip." + std::string(which)),
          static_cast<std::uint16_t>(
              value(text.substr(colon + 1), proto + "." + std::string(which) + "_port", 0xFFFF))};
    };
    std::tie(s.src, s.src_port) = split(next("a source ADDR:PORT"), "src");
    arrow();
    std::tie(s.dst, s.dst_port) = split(next("a destination ADDR:PORT"), "dst");
  }

  static void icmp_type(PacketSpec& s, const std::string& word) {
    if (word == "echo" || word == "echo-reply") {
      s.icmp_type = word == "echo" ? 8 : 0;
      s.icmp_code = 0;
      return;
    }
    const auto slash = word.find('/');
    if (slash == std::string::npos)
      throw TextError("'" + word + "': expected echo, echo-reply or T/C");
    const std::string_view w(word);
    s.icmp_type = static_cast<std::uint8_t>(parse_uint(w.substr(0, slash), 255, "icmp type"));
    s.icmp_code = static_cast<std::uint8_t>(parse_uint(w.substr(slash + 1), 255, "icmp code"));
  }

  static std::uint8_t tcp_flags(std::string_view letters) {
    static constexpr std::array<std::pair<char, std::uint8_t>, 6> kFlags{{
        {'F', tcp_flag::kFin},
        {'S', tcp_flag::kSyn},
        {'R', tcp_flag::kRst},
        {'P', tcp_flag::kPsh},
        {'A', tcp_flag::kAck},
        {'U', tcp_flag::kUrg},
    }};
    std::uint8_t flags = 0;
    if (letters == "-") return flags;
    for (const char c : letters) {
      bool known = false;
      for (const auto& [letter, bit] : kFlags) {
        if (c == letter) {
          flags |= bit;
          known = true;
        }
      }
      if (!known) throw TextError(std::string("flags: unknown flag '") + c + "' (FSRPAU or -)");
    }
    return flags;
  }

  void require(const PacketSpec& s, L4Kind kind, std::string_view key) {
    if (s.kind != kind) throw TextError(std::string(key) + "= does not apply to this packet kind");
  }

  void corrupt(PacketSpec& s, std::string_view what) {
    while (!what.empty()) {
      const auto comma = what.find(',');
      const std::string_view item = what.substr(0, comma);
      if (item == "ipcsum") {
        s.corrupt_ip_checksum = true;
      } else if (item == "l4csum") {
        s.corrupt_l4_checksum = true;
      } else {
        throw TextError("corrupt=: unknown '" + std::string(item) + "' (ipcsum, l4csum)");
      }
      what = comma == std::string_view::npos ? std::string_view{} : what.substr(comma + 1);
    }
  }

  bool flag_value(std::string_view v, std::string_view key) {
    return v.empty() || parse_uint(v, 1, key) == 1;
  }

  void field(PacketSpec& s, const std::string& word) {
    const auto eq = word.find('=');
    const std::string key = word.substr(0, eq);
    const std::string v = eq == std::string::npos ? "" : word.substr(eq + 1);
    const bool has_value = eq != std::string::npos;
    const auto need_value = [&] {
      if (!has_value) throw TextError(key + ": expected " + key + "=VALUE");
    };
    if (key == "df") {
      s.dont_fragment = flag_value(v, key);
    } else if (key == "mf") {
      s.more_fragments = flag_value(v, key);
    } else if (key == "nocsum") {
      require(s, L4Kind::udp, key);
      s.udp_no_checksum = flag_value(v, key);
    } else if (key == "csumseed") {
      require(s, L4Kind::tcp, key);
      s.tcp_checksum_seed = flag_value(v, key);
    } else if (!has_value) {
      need_value();
    } else if (key == "ttl") {
      s.ttl = static_cast<std::uint8_t>(parse_uint(v, 255, key));
    } else if (key == "ipid") {
      s.ip_id = static_cast<std::uint16_t>(value(v, "ip.id", 0xFFFF));
    } else if (key == "tos") {
      s.tos = static_cast<std::uint8_t>(parse_uint(v, 255, key));
    } else if (key == "frag") {
      s.fragment_offset_bytes = static_cast<std::uint16_t>(parse_uint(v, 0x1FFF * 8, key));
      if (s.fragment_offset_bytes % 8 != 0) throw TextError("frag: offset must be a multiple of 8");
    } else if (key == "opts") {
      s.ip_options = parse_hex(v, key);
    } else if (key == "ihl") {
      s.ihl_override = static_cast<std::uint8_t>(parse_uint(v, 15, key));
    } else if (key == "totlen") {
      s.total_length_override = static_cast<std::uint16_t>(parse_uint(v, 0xFFFF, key));
    } else if (key == "proto") {
      s.protocol_override = static_cast<std::uint8_t>(parse_uint(v, 255, key));
    } else if (key == "version") {
      s.version = static_cast<std::uint8_t>(parse_uint(v, 15, key));
    } else if (key == "corrupt") {
      corrupt(s, v);
    } else if (key == "truncate") {
      s.truncate_to = parse_uint(v, 0xFFFF, key);
    } else if (key == "len") {
      s.payload = pattern_payload(parse_uint(v, 0xFFFF, key));
    } else if (key == "payload") {
      s.payload = parse_hex(v, key);
    } else if (key == "flags") {
      require(s, L4Kind::tcp, key);
      s.tcp_flags = tcp_flags(v);
    } else if (key == "ack") {
      require(s, L4Kind::tcp, key);
      s.tcp_ack = static_cast<std::uint32_t>(parse_uint(v, 0xFFFFFFFFu, key));
    } else if (key == "win") {
      require(s, L4Kind::tcp, key);
      s.tcp_window = static_cast<std::uint16_t>(parse_uint(v, 0xFFFF, key));
    } else if (key == "tcpoff") {
      require(s, L4Kind::tcp, key);
      s.tcp_offset_override = static_cast<std::uint8_t>(parse_uint(v, 15, key));
    } else if (key == "tcpopts") {
      require(s, L4Kind::tcp, key);
      s.tcp_options = parse_hex(v, key);
    } else if (key == "udplen") {
      require(s, L4Kind::udp, key);
      s.udp_length_override = static_cast<std::uint16_t>(parse_uint(v, 0xFFFF, key));
    } else if (key == "seq" && s.kind == L4Kind::tcp) {
      s.tcp_seq = static_cast<std::uint32_t>(parse_uint(v, 0xFFFFFFFFu, key));
    } else if (key == "seq") {
      require(s, L4Kind::icmp, key);
      s.icmp_rest_low = static_cast<std::uint16_t>(value(v, "icmp.seq", 0xFFFF));
    } else if (key == "id") {
      require(s, L4Kind::icmp, key);
      s.icmp_rest_high = static_cast<std::uint16_t>(value(v, "icmp.id", 0xFFFF));
    } else if (key == "mtu") {
      require(s, L4Kind::icmp, key);
      s.icmp_rest_low = static_cast<std::uint16_t>(parse_uint(v, 0xFFFF, key));
    } else if (key == "rest") {
      require(s, L4Kind::icmp, key);
      const auto rest = static_cast<std::uint32_t>(parse_uint(v, 0xFFFFFFFFu, key));
      s.icmp_rest_high = static_cast<std::uint16_t>(rest >> 16);
      s.icmp_rest_low = static_cast<std::uint16_t>(rest);
    } else if (key == "quote") {
      require(s, L4Kind::icmp, key);
      s.quote_bytes = parse_uint(v, 0xFFFF, key);
    } else {
      throw TextError("unknown field '" + key + "'");
    }
  }

  void inner(PacketSpec& s) {
    if (s.kind != L4Kind::icmp) throw TextError("inner: only an ICMP error quotes a datagram");
    const PacketSpec inner_base = s.inner.empty() ? PacketSpec{} : s.inner.front();
    Parser sub(words_.subspan(pos_), resolve_, prefix_ + "inner.");
    s.inner = {sub.parse(inner_base).spec};
    pos_ = words_.size();
  }

  std::span<const std::string> words_;
  const VariableResolver& resolve_;
  std::string prefix_;
  std::size_t pos_ = 0;
};

}  // namespace

PacketText parse_packet_text(std::span<const std::string> words, const PacketSpec& base,
                             const VariableResolver& resolve) {
  return Parser(words, resolve, "").parse(base);
}

std::uint32_t no_variables(std::string_view name, std::string_view field) {
  throw TextError("$" + std::string(name) + " (" + std::string(field) +
                  "): variables are not allowed here");
}

}  // namespace masq::test
