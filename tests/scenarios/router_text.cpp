#include "scenarios/router_text.hpp"

#include <fmt/format.h>

#include <utility>

#include "support/text_tokens.hpp"

namespace masq::test {
namespace {

net::Ipv4Addr address(std::string_view text) {
  const auto a = net::Ipv4Addr::parse(text);
  if (!a) throw TextError("'" + std::string(text) + "' is not an IPv4 address");
  return *a;
}

// "192.168.77.1/24": the address and its connected prefix.
void link(std::string_view text, router::InterfaceConfig& side) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) throw TextError("expected ADDRESS/LENGTH");
  side.address = address(text.substr(0, slash));
  const auto length = parse_uint(text.substr(slash + 1), 32, "prefix length");
  side.prefix = net::Ipv4Prefix(side.address, static_cast<std::uint8_t>(length));
}

// A RouterCounters field by the name masqctl shows it under
// (kRouterCounterFields: lan_rx_frames, arp_queued, ...), drop.REASON, or
// total_drops.
std::optional<std::uint64_t> counter_value(const router::RouterCounters& c, std::string_view name) {
  if (name.starts_with("drop.")) {
    const auto reason = router::drop_reason_named(name.substr(5));
    if (!reason) return std::nullopt;
    return c.drop(*reason);
  }
  if (name == "total_drops") return c.total_drops();
  if (const auto* field = net::counter_named(router::kRouterCounterFields, name)) {
    return field->read(c);
  }
  return std::nullopt;
}

std::string_view counter_name(std::span<const std::string> words) {
  return std::string_view(words[1]).substr(std::string_view("router.").size());
}

}  // namespace

router::MacAddr host_mac(net::Ipv4Addr ip) {
  const std::uint32_t v = ip.value();
  return router::MacAddr({0x0a, 0x00, static_cast<std::uint8_t>(v >> 24),
                          static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
                          static_cast<std::uint8_t>(v)});
}

RouterSetup default_router_setup() {
  RouterSetup setup;
  setup.config.lan.mac = kScenarioLanMac;
  setup.config.wan.mac = kScenarioWanMac;
  return setup;
}

void apply_router_line(std::span<const std::string> words, RouterSetup& setup) {
  if (words.size() < 3 || words[1] != "=") throw TextError("expected router.KEY = VALUE");
  const std::string& key = words[0];
  const std::span<const std::string> value = words.subspan(2);
  router::RouterConfig& c = setup.config;
  if (key == "router.neighbours") {
    for (const std::string& w : value) {
      std::size_t start = 0;
      while (start < w.size()) {
        const std::size_t comma = std::min(w.find(',', start), w.size());
        if (comma > start) setup.neighbours.push_back(address(w.substr(start, comma - start)));
        start = comma + 1;
      }
    }
    return;
  }
  if (value.size() != 1) throw TextError("expected one value after '='");
  const std::string& v = value[0];
  if (key == "router.lan") {
    link(v, c.lan);
    setup.lan_given = true;
  } else if (key == "router.wan") {
    link(v, c.wan);
    setup.wan_given = true;
  } else if (key == "router.gateway") {
    c.wan_gateway = address(v);
  } else if (key == "router.lan.mtu") {
    c.lan.mtu = static_cast<std::uint16_t>(parse_uint(v, 65535, "mtu"));
  } else if (key == "router.wan.mtu") {
    c.wan.mtu = static_cast<std::uint16_t>(parse_uint(v, 65535, "mtu"));
  } else {
    throw TextError("unknown router key '" + key +
                    "' (router.lan, router.wan, router.gateway, router.lan.mtu, "
                    "router.wan.mtu, router.neighbours)");
  }
}

bool is_router_counter(std::span<const std::string> words) {
  return words.size() >= 2 && words[0] == "counter" && words[1].starts_with("router.");
}

void validate_router_counter(std::span<const std::string> words) {
  if (words.size() != 4 || words[2] != "=") throw TextError("expected: counter router.NAME = N");
  parse_uint(words[3], UINT64_MAX, "count");
  if (!counter_value(router::RouterCounters{}, counter_name(words))) {
    throw TextError("unknown router counter '" + words[1] + "'");
  }
}

std::optional<std::string> evaluate_router_counter(std::span<const std::string> words,
                                                   const router::RouterCounters& counters) {
  const std::uint64_t want = parse_uint(words[3], UINT64_MAX, "count");
  const std::uint64_t got = counter_value(counters, counter_name(words)).value_or(0);
  if (got == want) return std::nullopt;
  return fmt::format("{}: expected {}, got {}", words[1], want, got);
}

}  // namespace masq::test
