#include "quick_start.hpp"

#include <utility>

#include "log_reader.hpp"
#include "value_parse.hpp"

namespace masq::config {
namespace {

// "lan0=192.168.77.1/24"; the WAN's may be "wan0=dhcp".
template <bool wan>
Parsed<Interface> parse_interface_flag(std::string_view text) {
  using Result = Parsed<Interface>;
  const auto equals = text.find('=');
  if (equals == std::string_view::npos) {
    return Result::fail("bad interface " + quoted(text) +
                        (wan ? " (want NAME=ADDR/LEN or NAME=dhcp)" : " (want NAME=ADDR/LEN)"));
  }
  auto name = parse_interface_name(text.substr(0, equals));
  if (!name.value) return Result::fail(std::move(name.error));
  if constexpr (wan) {
    auto address = parse_wan_address(text.substr(equals + 1));
    if (!address.value) return Result::fail(std::move(address.error));
    const AddressOnLink& on_link = address.value->on_link;
    return Result::ok({*name.value, on_link.address, on_link.prefix, {}, address.value->dhcp});
  } else {
    auto on_link = parse_address_on_link(text.substr(equals + 1));
    if (!on_link.value) return Result::fail(std::move(on_link.error));
    return Result::ok({*name.value, on_link.value->address, on_link.value->prefix});
  }
}

Parsed<std::string> parse_socket_path(std::string_view text) {
  if (text.empty()) return Parsed<std::string>::fail("empty socket path");
  return Parsed<std::string>::ok(std::string{text});
}

// Runs `parser` on the flag's value; on success hands the value and the
// flag's location to `apply`, otherwise reports the error.
template <typename T, typename Apply>
bool apply_flag(std::string_view flag, const std::string& text,
                Parsed<T> (*parser)(std::string_view), std::vector<std::string>& errors,
                Apply apply) {
  auto parsed = parser(text);
  const auto where = flag_location(flag, text);
  if (!parsed.value) {
    errors.push_back(error_at(where, parsed.error));
    return false;
  }
  apply(std::move(*parsed.value), where);
  return true;
}

template <bool wan>
void apply_interface(std::string_view flag, const std::optional<std::string>& text,
                     InterfaceDraft& slot, std::vector<std::string>& errors) {
  if (!text) return;
  slot.value.reset();
  slot.rejected = !apply_flag(flag, *text, parse_interface_flag<wan>, errors,
                              [&slot](Interface iface, const std::string& where) {
                                slot.value = Sourced<Interface>{std::move(iface), where};
                              });
}

}  // namespace

void apply_flags(const QuickStart& flags, Draft& draft, std::vector<std::string>& errors) {
  apply_interface<false>("--lan", flags.lan, draft.lan, errors);
  apply_interface<true>("--wan", flags.wan, draft.wan, errors);
  if (flags.gateway) {
    apply_flag("--gateway", *flags.gateway, parse_address, errors,
               [&draft](net::Ipv4Addr gateway, const std::string& where) {
                 draft.gateway = Sourced<net::Ipv4Addr>{gateway, where};
               });
  }
  if (flags.io) {
    apply_flag("--io", *flags.io, parse_io_backend, errors,
               [&draft](IoBackend io, const std::string&) { draft.io = io; });
  }
  if (flags.control) {
    apply_flag(
        "--control", *flags.control, parse_socket_path, errors,
        [&draft](std::string path, const std::string&) { draft.control.path = std::move(path); });
  }
  if (flags.metrics) {
    apply_flag("--metrics", *flags.metrics, parse_endpoint, errors,
               [&draft](Endpoint listen, const std::string&) {
                 draft.metrics = MetricsListen{listen.address, listen.port};
               });
  }
  if (flags.log) {
    apply_flag("--log", *flags.log, parse_log_target, errors,
               [&draft](LogTarget target, const std::string&) { draft.log.target = target; });
  }
  if (flags.log_level) {
    apply_flag("--log-level", *flags.log_level, parse_log_level, errors,
               [&draft](LogLevel level, const std::string&) { draft.log.level = level; });
  }
  if (flags.state) draft.state.path = *flags.state;
  if (flags.translation_log) {
    apply_flag("--translation-log", *flags.translation_log, parse_log_path, errors,
               [&draft](std::string path, const std::string&) {
                 draft.log.translations = std::move(path);
               });
  }
  if (flags.pcp) draft.pcp.enabled = true;
  for (const auto& text : flags.forwards) {
    apply_flag("--forward", text, parse_forward_spec, errors,
               [&draft](nat::PortForward forward, const std::string& where) {
                 const bool external_given = forward.external_addr != net::Ipv4Addr{};
                 draft.forwards.push_back({forward, external_given, where});
               });
  }
}

}  // namespace masq::config
