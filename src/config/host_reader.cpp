#include "toml_reader.hpp"
#include "value_parse.hpp"

namespace masq::config {
namespace {

// "tcp/22", "udp/60000-60010".
Parsed<OpenPort> parse_open_port(std::string_view text) {
  using Result = Parsed<OpenPort>;
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return Result::fail("bad open port \"" + std::string{text} + "\" (want tcp/PORT or udp/PORT)");
  }
  auto proto = parse_forward_proto(text.substr(0, slash));
  if (!proto.value) return Result::fail(std::move(proto.error));
  auto ports = parse_port_range(text.substr(slash + 1));
  if (!ports.value) return Result::fail(std::move(ports.error));
  return Result::ok({*proto.value, *ports.value});
}

}  // namespace

void read_host(TableReader& host, HostOptions& options) {
  if (const auto on = host.boolean("interfaces")) options.interfaces = *on;
  const auto name = [&](std::string_view key, std::string& field) {
    if (const auto v = host.parse(key, parse_interface_name)) field = *v;
  };
  name("lan_name", options.lan_name);
  name("wan_name", options.wan_name);
  if (const auto ports = host.parse("ports", parse_port_range)) options.ports = *ports;
  for (const auto& entry : host.strings("open")) {
    auto open = parse_open_port(entry.value);
    if (open.value) {
      options.open.push_back(*open.value);
    } else {
      host.errors().push_back(error_at(entry.where, open.error));
    }
  }
}

}  // namespace masq::config
