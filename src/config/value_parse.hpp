// Parsers for the text forms that the TOML file and the quick-start flags
// share: addresses, prefixes, pool entries, port ranges, ADDR:PORT endpoints,
// enum names. Each returns the value or a short reason that quotes the bad
// text ("bad port '80x'"); the caller adds the key or flag in front.
// Internal to the config component. Cold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "masq/config/config.hpp"
#include "masq/nat/engine_config.hpp"
#include "masq/net/ipv4_addr.hpp"
#include "masq/net/port.hpp"

namespace masq::config {

// A value, or why the text does not hold one (error is set exactly when
// value is empty).
template <typename T>
struct Parsed {
  std::optional<T> value;
  std::string error;

  static Parsed ok(T v) { return {std::move(v), {}}; }
  static Parsed fail(std::string why) { return {std::nullopt, std::move(why)}; }
};

// 'TEXT', for messages that quote what was given.
std::string quoted(std::string_view text);

// "192.0.2.1".
Parsed<net::Ipv4Addr> parse_address(std::string_view text);

// "10.0.0.0/8": the host bits must be zero, so that a typo such as
// "10.0.0.1/8" is not silently widened.
Parsed<net::Ipv4Prefix> parse_prefix(std::string_view text);

// "192.168.77.1/24": an interface address inside its connected prefix. The
// network and broadcast addresses of prefixes up to /30 are refused.
struct AddressOnLink {
  net::Ipv4Addr address;
  net::Ipv4Prefix prefix;
};
Parsed<AddressOnLink> parse_address_on_link(std::string_view text);
// The WAN's: as parse_address_on_link(), or "dhcp" (`dhcp` set, the address
// unspecified until a lease comes: 0.0.0.0/32).
struct WanAddress {
  AddressOnLink on_link;
  bool dhcp = false;
};
Parsed<WanAddress> parse_wan_address(std::string_view text);

// A Linux interface name: 1 to 15 characters (IFNAMSIZ - 1), no '/', ':',
// '=' or white space.
Parsed<std::string> parse_interface_name(std::string_view text);

// A pool entry: "203.0.113.1", "198.51.100.10-198.51.100.20" (inclusive) or
// "198.51.100.64/30" (every address of the prefix: a routed pool has no
// network or broadcast address).
Parsed<nat::AddressRange> parse_pool_entry(std::string_view text);

// "8080" or "8000-8010", ports 1..65535, first <= last.
Parsed<nat::PortRange> parse_port_range(std::string_view text);

// One port 1..65535.
Parsed<std::uint16_t> parse_port(std::string_view text);

// "192.168.77.3:8080".
struct Endpoint {
  net::Ipv4Addr address;
  std::uint16_t port = 0;
};
Parsed<Endpoint> parse_endpoint(std::string_view text);

// "tcp" or "udp": the protocols a port forward can name.
Parsed<net::Proto> parse_forward_proto(std::string_view text);

// "0660": permission bits in octal, as chmod takes them (at most 0777).
Parsed<std::uint32_t> parse_file_mode(std::string_view text);

// A file to write: an absolute path, not a directory ("/var/log/masq/t.log").
Parsed<std::string> parse_log_path(std::string_view text);

// "af_packet" or "af_xdp".
Parsed<IoBackend> parse_io_backend(std::string_view text);

// "overload" or "exclusive".
Parsed<nat::PoolMode> parse_pool_mode(std::string_view text);
// "eim" | "adm" | "apdm", and "eif" | "adf" | "apdf" (RFC 4787 §4.1, §5).
Parsed<nat::Dependence> parse_mapping(std::string_view text);
Parsed<nat::Dependence> parse_filtering(std::string_view text);

// A forward maps external ports first..last onto internal_port..internal_port
// + (last - first); that last internal port must exist.
Parsed<nat::PortForward> make_forward(net::Proto proto, nat::PortRange external_ports,
                                      Endpoint internal);

// "tcp/8080=192.168.77.3:80", "udp/5000-5010=192.168.77.3:5000", or with
// the external address, "tcp/203.0.113.1:8080=192.168.77.3:80" (0.0.0.0
// when not given: the WAN address's, filled in later).
Parsed<nat::PortForward> parse_forward_spec(std::string_view text);

// "192.168.77.9=203.0.113.9": static 1:1 NAT, internal=external.
Parsed<nat::StaticNat> parse_static_spec(std::string_view text);

}  // namespace masq::config
