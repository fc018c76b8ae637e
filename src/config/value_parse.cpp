#include "value_parse.hpp"

#include <array>
#include <charconv>
#include <limits>

namespace masq::config {
std::string quoted(std::string_view text) {
  std::string out{"'"};
  out += text;
  out += '\'';
  return out;
}

Parsed<net::Ipv4Addr> parse_address(std::string_view text) {
  const auto addr = net::Ipv4Addr::parse(text);
  if (!addr) return Parsed<net::Ipv4Addr>::fail("bad address " + quoted(text));
  return Parsed<net::Ipv4Addr>::ok(*addr);
}

Parsed<net::Ipv4Prefix> parse_prefix(std::string_view text) {
  using Result = Parsed<net::Ipv4Prefix>;
  const auto slash = text.find('/');
  const auto prefix = net::Ipv4Prefix::parse(text);
  if (slash == std::string_view::npos || !prefix) {
    return Result::fail("bad prefix " + quoted(text) + " (want ADDR/LEN)");
  }
  if (net::Ipv4Addr::parse(text.substr(0, slash)) != prefix->network()) {
    return Result::fail("host bits set in " + quoted(text) + " (did you mean " +
                        prefix->to_string() + "?)");
  }
  return Result::ok(*prefix);
}

Parsed<WanAddress> parse_wan_address(std::string_view text) {
  using Result = Parsed<WanAddress>;
  if (text == "dhcp")
    return Result::ok({{net::Ipv4Addr(), net::Ipv4Prefix(net::Ipv4Addr(), 32)}, true});
  auto on_link = parse_address_on_link(text);
  if (!on_link.value) {
    return Result::fail(std::move(on_link.error) + "; or \"dhcp\" for a leased address");
  }
  return Result::ok({*on_link.value, false});
}

Parsed<AddressOnLink> parse_address_on_link(std::string_view text) {
  using Result = Parsed<AddressOnLink>;
  const auto slash = text.find('/');
  const auto prefix = net::Ipv4Prefix::parse(text);
  if (slash == std::string_view::npos || !prefix) {
    return Result::fail("bad address " + quoted(text) + " (want ADDR/LEN)");
  }
  const auto address = *net::Ipv4Addr::parse(text.substr(0, slash));
  // RFC 3021: /31 and /32 have no network or broadcast address to avoid.
  if (prefix->length() <= 30) {
    if (address == prefix->network()) {
      return Result::fail(quoted(text) + " is the network address of its prefix");
    }
    if (address == prefix->broadcast()) {
      return Result::fail(quoted(text) + " is the broadcast address of its prefix");
    }
  }
  return Result::ok({address, *prefix});
}

Parsed<std::string> parse_interface_name(std::string_view text) {
  using Result = Parsed<std::string>;
  constexpr std::size_t kMaxNameLength = 15;  // IFNAMSIZ - 1
  if (text.empty()) return Result::fail("empty interface name");
  if (text.size() > kMaxNameLength) {
    return Result::fail("interface name " + quoted(text) + " is longer than 15 characters");
  }
  if (text.find_first_of("/:= \t\n") != std::string_view::npos) {
    return Result::fail("bad interface name " + quoted(text));
  }
  return Result::ok(std::string{text});
}

Parsed<nat::AddressRange> parse_pool_entry(std::string_view text) {
  using Result = Parsed<nat::AddressRange>;
  if (text.find('/') != std::string_view::npos) {
    auto prefix = parse_prefix(text);
    if (!prefix.value) return Result::fail(std::move(prefix.error));
    return Result::ok({prefix.value->network(), prefix.value->broadcast()});
  }
  const auto dash = text.find('-');
  auto first = parse_address(text.substr(0, dash));
  if (!first.value) return Result::fail(std::move(first.error));
  if (dash == std::string_view::npos) return Result::ok({*first.value, *first.value});
  auto last = parse_address(text.substr(dash + 1));
  if (!last.value) return Result::fail(std::move(last.error));
  if (*first.value > *last.value) {
    return Result::fail("bad range " + quoted(text) + " (first address after last)");
  }
  return Result::ok({*first.value, *last.value});
}

Parsed<std::uint16_t> parse_port(std::string_view text) {
  using Result = Parsed<std::uint16_t>;
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value == 0 ||
      value > std::numeric_limits<std::uint16_t>::max()) {
    return Result::fail("bad port " + quoted(text));
  }
  return Result::ok(static_cast<std::uint16_t>(value));
}

Parsed<nat::PortRange> parse_port_range(std::string_view text) {
  using Result = Parsed<nat::PortRange>;
  const auto dash = text.find('-');
  auto first = parse_port(text.substr(0, dash));
  if (!first.value) return Result::fail(std::move(first.error));
  if (dash == std::string_view::npos) return Result::ok({*first.value, *first.value});
  auto last = parse_port(text.substr(dash + 1));
  if (!last.value) return Result::fail(std::move(last.error));
  if (*first.value > *last.value) {
    return Result::fail("bad port range " + quoted(text) + " (first port after last)");
  }
  return Result::ok({*first.value, *last.value});
}

Parsed<Endpoint> parse_endpoint(std::string_view text) {
  using Result = Parsed<Endpoint>;
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return Result::fail("bad endpoint " + quoted(text) + " (want ADDR:PORT)");
  }
  auto address = parse_address(text.substr(0, colon));
  if (!address.value) return Result::fail(std::move(address.error));
  auto port = parse_port(text.substr(colon + 1));
  if (!port.value) return Result::fail(std::move(port.error));
  return Result::ok({*address.value, *port.value});
}

Parsed<net::Proto> parse_forward_proto(std::string_view text) {
  if (text == "tcp") return Parsed<net::Proto>::ok(net::Proto::tcp);
  if (text == "udp") return Parsed<net::Proto>::ok(net::Proto::udp);
  return Parsed<net::Proto>::fail("bad protocol " + quoted(text) + " (want tcp or udp)");
}

Parsed<std::uint32_t> parse_file_mode(std::string_view text) {
  std::uint32_t mode = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), mode, 8);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || mode > 0777) {
    return Parsed<std::uint32_t>::fail("bad mode " + quoted(text) +
                                       " (want octal permission bits, e.g. \"0660\")");
  }
  return Parsed<std::uint32_t>::ok(mode);
}

Parsed<std::string> parse_log_path(std::string_view text) {
  if (text.empty() || text.front() != '/' || text.back() == '/') {
    return Parsed<std::string>::fail("bad log file " + quoted(text) +
                                     " (want an absolute file path, e.g. "
                                     "\"/var/log/masq/translations.log\")");
  }
  return Parsed<std::string>::ok(std::string{text});
}

Parsed<IoBackend> parse_io_backend(std::string_view text) {
  if (text == "af_packet") return Parsed<IoBackend>::ok(IoBackend::af_packet);
  if (text == "af_xdp") return Parsed<IoBackend>::ok(IoBackend::af_xdp);
  return Parsed<IoBackend>::fail("bad backend " + quoted(text) + " (want af_packet or af_xdp)");
}

Parsed<nat::PoolMode> parse_pool_mode(std::string_view text) {
  if (text == "overload") return Parsed<nat::PoolMode>::ok(nat::PoolMode::overload);
  if (text == "exclusive") return Parsed<nat::PoolMode>::ok(nat::PoolMode::exclusive);
  return Parsed<nat::PoolMode>::fail("bad pool mode " + quoted(text) +
                                     " (want overload or exclusive)");
}

namespace {

// `names` in Dependence order: independent, address, address and port.
Parsed<nat::Dependence> parse_dependence(std::string_view text, std::string_view what,
                                         const std::array<std::string_view, 3>& names) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (text == names[i]) return Parsed<nat::Dependence>::ok(static_cast<nat::Dependence>(i));
  }
  return Parsed<nat::Dependence>::fail("bad " + std::string(what) + " " + quoted(text) + " (want " +
                                       std::string(names[0]) + ", " + std::string(names[1]) +
                                       " or " + std::string(names[2]) + ")");
}

}  // namespace

Parsed<nat::Dependence> parse_mapping(std::string_view text) {
  return parse_dependence(text, "mapping", {"eim", "adm", "apdm"});
}

Parsed<nat::Dependence> parse_filtering(std::string_view text) {
  return parse_dependence(text, "filtering", {"eif", "adf", "apdf"});
}

Parsed<nat::PortForward> make_forward(net::Proto proto, nat::PortRange external_ports,
                                      Endpoint internal) {
  const std::uint32_t span = std::uint32_t{external_ports.last} - external_ports.first;
  if (std::uint32_t{internal.port} + span > std::numeric_limits<std::uint16_t>::max()) {
    return Parsed<nat::PortForward>::fail("internal ports " + std::to_string(internal.port) + ".." +
                                          std::to_string(std::uint32_t{internal.port} + span) +
                                          " run past 65535");
  }
  nat::PortForward forward;
  forward.proto = proto;
  forward.external_ports = external_ports;
  forward.internal_addr = internal.address;
  forward.internal_port = internal.port;
  return Parsed<nat::PortForward>::ok(forward);
}

Parsed<nat::PortForward> parse_forward_spec(std::string_view text) {
  using Result = Parsed<nat::PortForward>;
  const auto slash = text.find('/');
  const auto equals = text.find('=');
  if (slash == std::string_view::npos || equals == std::string_view::npos || equals < slash) {
    return Result::fail("bad forward " + quoted(text) +
                        " (want PROTO/[ADDR:]PORTS=ADDR:PORT, e.g. tcp/8080=192.168.77.3:80)");
  }
  auto proto = parse_forward_proto(text.substr(0, slash));
  if (!proto.value) return Result::fail(std::move(proto.error));
  std::string_view outside = text.substr(slash + 1, equals - slash - 1);
  net::Ipv4Addr external;
  if (const auto colon = outside.find(':'); colon != std::string_view::npos) {
    auto address = parse_address(outside.substr(0, colon));
    if (!address.value) return Result::fail(std::move(address.error));
    external = *address.value;
    outside = outside.substr(colon + 1);
  }
  auto ports = parse_port_range(outside);
  if (!ports.value) return Result::fail(std::move(ports.error));
  auto internal = parse_endpoint(text.substr(equals + 1));
  if (!internal.value) return Result::fail(std::move(internal.error));
  auto forward = make_forward(*proto.value, *ports.value, *internal.value);
  if (forward.value) forward.value->external_addr = external;
  return forward;
}

Parsed<nat::StaticNat> parse_static_spec(std::string_view text) {
  using Result = Parsed<nat::StaticNat>;
  const auto equals = text.find('=');
  if (equals == std::string_view::npos) {
    return Result::fail("bad static rule " + quoted(text) +
                        " (want INTERNAL=EXTERNAL, e.g. 192.168.77.9=203.0.113.9)");
  }
  auto internal = parse_address(text.substr(0, equals));
  if (!internal.value) return Result::fail(std::move(internal.error));
  auto external = parse_address(text.substr(equals + 1));
  if (!external.value) return Result::fail(std::move(external.error));
  return Result::ok({*internal.value, *external.value});
}

}  // namespace masq::config
