#include "scenarios/config_text.hpp"

#include <array>
#include <functional>
#include <limits>
#include <map>
#include <tuple>

#include "support/text_tokens.hpp"

namespace masq::test {
namespace {

using nat::EngineConfig;

net::Ipv4Addr address(std::string_view text) {
  const auto a = net::Ipv4Addr::parse(text);
  if (!a) throw TextError("'" + std::string(text) + "' is not an IPv4 address");
  return *a;
}

// "a, b,c" and "a b c" alike: the words after '=' with commas as separators.
std::vector<std::string> items(std::span<const std::string> words) {
  std::vector<std::string> out;
  for (const std::string& w : words) {
    std::size_t start = 0;
    while (start <= w.size()) {
      const std::size_t comma = std::min(w.find(',', start), w.size());
      if (comma > start) out.push_back(w.substr(start, comma - start));
      start = comma + 1;
    }
  }
  if (out.empty()) throw TextError("expected a value after '='");
  return out;
}

std::string single(std::span<const std::string> words) {
  const auto all = items(words);
  if (all.size() != 1) throw TextError("expected one value after '='");
  return all.front();
}

void prefixes(std::span<const std::string> words, std::vector<net::Ipv4Prefix>& out) {
  for (const std::string& item : items(words)) {
    const auto p = net::Ipv4Prefix::parse(item);
    if (!p) throw TextError("'" + item + "' is not an IPv4 prefix");
    out.push_back(*p);
  }
}

void pool(std::span<const std::string> words, std::vector<nat::AddressRange>& out) {
  for (const std::string& item : items(words)) {
    const auto dash = item.find('-');
    const net::Ipv4Addr first = address(item.substr(0, dash));
    const net::Ipv4Addr last = dash == std::string::npos ? first : address(item.substr(dash + 1));
    out.push_back({first, last});
  }
}

bool boolean(std::span<const std::string> words) {
  const std::string v = single(words);
  if (v == "true") return true;
  if (v == "false") return false;
  throw TextError("'" + v + "': expected true or false");
}

// ADDR:PORT or ADDR:FIRST-LAST.
std::pair<net::Ipv4Addr, nat::PortRange> endpoint_range(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) throw TextError("'" + text + "': expected ADDR:PORT");
  const std::string ports = text.substr(colon + 1);
  const auto dash = ports.find('-');
  const auto first = static_cast<std::uint16_t>(parse_uint(ports.substr(0, dash), 0xFFFF, "port"));
  const auto last =
      dash == std::string::npos
          ? first
          : static_cast<std::uint16_t>(parse_uint(ports.substr(dash + 1), 0xFFFF, "port"));
  return {address(text.substr(0, colon)), {first, last}};
}

// forward PROTO EXT:PORT[-PORT] -> INT:PORT
void forward(std::span<const std::string> words, EngineConfig& cfg) {
  if (words.size() != 5 || words[3] != "->") {
    throw TextError("expected: forward tcp|udp EXT_ADDR:PORT[-PORT] -> INT_ADDR:PORT");
  }
  nat::PortForward f;
  const auto proto = net::parse_proto(words[1]);
  if (!proto) throw TextError("'" + words[1] + "' is not tcp, udp or icmp");
  f.proto = *proto;
  std::tie(f.external_addr, f.external_ports) = endpoint_range(words[2]);
  const auto [internal, ports] = endpoint_range(words[4]);
  if (ports.first != ports.last) throw TextError("the internal side of a forward is one port");
  f.internal_addr = internal;
  f.internal_port = ports.first;
  cfg.forwards.push_back(f);
}

// static INTERNAL <-> EXTERNAL
void static_nat(std::span<const std::string> words, EngineConfig& cfg) {
  if (words.size() != 4 || words[2] != "<->")
    throw TextError("expected: static INTERNAL <-> EXTERNAL");
  cfg.static_nat.push_back({address(words[1]), address(words[3])});
}

template <typename T>
std::function<void(std::span<const std::string>, EngineConfig&)> integer(T EngineConfig::*field) {
  return [field](std::span<const std::string> w, EngineConfig& c) {
    c.*field = static_cast<T>(parse_uint(single(w), std::numeric_limits<T>::max(), "value"));
  };
}

std::function<void(std::span<const std::string>, EngineConfig&)> timeout(
    std::uint32_t nat::Timeouts::*field) {
  return [field](std::span<const std::string> w, EngineConfig& c) {
    c.timeouts.*field = static_cast<std::uint32_t>(parse_uint(single(w), 0xFFFFFFFFu, "timeout"));
  };
}

std::function<void(std::span<const std::string>, EngineConfig&)> flag(bool EngineConfig::*field) {
  return [field](std::span<const std::string> w, EngineConfig& c) { c.*field = boolean(w); };
}

// `udp.mapping = eim|adm|apdm`, `udp.filtering = eif|adf|apdf`: the
// names of the TOML config (RFC 4787 §4.1, §5).
std::function<void(std::span<const std::string>, EngineConfig&)> dependence(
    nat::Behaviour nat::Behaviours::*proto, nat::Dependence nat::Behaviour::*which,
    std::array<std::string_view, 3> names) {
  return [=](std::span<const std::string> w, EngineConfig& c) {
    const std::string v = single(w);
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (v == names[i]) {
        c.behaviour.*proto.*which = static_cast<nat::Dependence>(i);
        return;
      }
    }
    throw TextError("'" + v + "': expected " + std::string(names[0]) + ", " +
                    std::string(names[1]) + " or " + std::string(names[2]));
  };
}

using Setter = std::function<void(std::span<const std::string>, EngineConfig&)>;

void add_behaviour_setters(std::map<std::string, Setter, std::less<>>& setters) {
  using B = nat::Behaviours;
  for (const auto& [name, proto] :
       {std::pair{"udp", &B::udp}, std::pair{"tcp", &B::tcp}, std::pair{"icmp", &B::icmp}}) {
    setters[std::string(name) + ".mapping"] =
        dependence(proto, &nat::Behaviour::mapping, {"eim", "adm", "apdm"});
    setters[std::string(name) + ".filtering"] =
        dependence(proto, &nat::Behaviour::filtering, {"eif", "adf", "apdf"});
  }
}

const std::map<std::string, Setter, std::less<>>& setters() {
  static const std::map<std::string, Setter, std::less<>> kSetters = [] {
    std::map<std::string, Setter, std::less<>> all{
        {"inside", [](auto w, EngineConfig& c) { prefixes(w, c.inside); }},
        {"exclude", [](auto w, EngineConfig& c) { prefixes(w, c.exclude); }},
        {"pool", [](auto w, EngineConfig& c) { pool(w, c.pool); }},
        {"pool_mode",
         [](auto w, EngineConfig& c) {
           const std::string v = single(w);
           if (v != "overload" && v != "exclusive")
             throw TextError("pool_mode: overload or exclusive");
           c.pool_mode = v == "overload" ? nat::PoolMode::overload : nat::PoolMode::exclusive;
         }},
        {"timeouts.udp_s", timeout(&nat::Timeouts::udp_s)},
        {"timeouts.icmp_s", timeout(&nat::Timeouts::icmp_s)},
        {"timeouts.tcp_established_s", timeout(&nat::Timeouts::tcp_established_s)},
        {"timeouts.tcp_opening_s", timeout(&nat::Timeouts::tcp_opening_s)},
        {"timeouts.tcp_transitory_s", timeout(&nat::Timeouts::tcp_transitory_s)},
        {"udp_inbound_refresh", flag(&EngineConfig::udp_inbound_refresh)},
        {"preserve_port", flag(&EngineConfig::preserve_port)},
        {"port_parity", flag(&EngineConfig::port_parity)},
        {"hairpinning", flag(&EngineConfig::hairpinning)},
        {"unsolicited_syn_icmp", flag(&EngineConfig::unsolicited_syn_icmp)},
        {"tcp_mss_clamp", integer(&EngineConfig::tcp_mss_clamp)},
        {"new_sessions_per_s", integer(&EngineConfig::new_sessions_per_s)},
        {"new_sessions_burst", integer(&EngineConfig::new_sessions_burst)},
        {"max_sessions", integer(&EngineConfig::max_sessions)},
        {"max_subscribers", integer(&EngineConfig::max_subscribers)},
        {"sessions_per_subscriber", integer(&EngineConfig::sessions_per_subscriber)},
        {"ports_per_subscriber", integer(&EngineConfig::ports_per_subscriber)},
        {"port_probe_limit", integer(&EngineConfig::port_probe_limit)},
        {"expiry_scan_per_batch", integer(&EngineConfig::expiry_scan_per_batch)},
        {"reclaim_scan_limit", integer(&EngineConfig::reclaim_scan_limit)},
        {"port_reuse_delay_s", integer(&EngineConfig::port_reuse_delay_s)},
        {"seed", integer(&EngineConfig::seed)},
    };
    add_behaviour_setters(all);
    return all;
  }();
  return kSetters;
}

}  // namespace

void apply_config_line(std::span<const std::string> words, EngineConfig& cfg) {
  if (words.empty()) return;
  if (words[0] == "forward") return forward(words, cfg);
  if (words[0] == "static") return static_nat(words, cfg);
  if (words.size() < 3 || words[1] != "=")
    throw TextError("expected KEY = VALUE, forward or static");
  const auto it = setters().find(words[0]);
  if (it == setters().end()) throw TextError("unknown config key '" + words[0] + "'");
  it->second(words.subspan(2), cfg);
}

}  // namespace masq::test
