#include "prometheus_text.hpp"

#include <fmt/format.h>

#include <map>
#include <vector>

namespace masq::app {
namespace {

// A metric family: one HELP and TYPE, then its samples ("{labels} value").
struct Family {
  std::string_view type;
  std::string help;
  std::vector<std::string> samples;
};

// Families in the order first seen; samples of one family stay together
// whichever group they come from (io.lan and io.wan).
class Exposition {
 public:
  void add(const std::string& name, std::string_view type, std::string help,
           const std::string& labels, std::uint64_t value) {
    auto [it, fresh] = index_.try_emplace(name, families_.size());
    if (fresh) families_.push_back({name, {type, std::move(help), {}}});
    families_[it->second].second.samples.push_back(
        fmt::format("{}{} {}", name, labels.empty() ? "" : "{" + labels + "}", value));
  }
  std::string text() const {
    std::string out;
    for (const auto& [name, f] : families_) {
      out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, f.help, name, f.type);
      for (const auto& s : f.samples) out += s + "\n";
    }
    return out;
  }

 private:
  std::map<std::string, std::size_t> index_;
  std::vector<std::pair<std::string, Family>> families_;
};

std::string label(std::string_view key, std::string_view value) {
  return fmt::format("{}=\"{}\"", key, value);
}

}  // namespace

std::string prometheus_text(std::span<const ctl::CounterGroup> counters,
                            std::span<const ctl::CounterGroup> stats, const ctl::Status& status) {
  Exposition e;
  for (const ctl::CounterGroup& g : counters) {
    const auto dot = g.name.find('.');
    const std::string base = g.name.substr(0, dot);
    const std::string sub = dot == std::string::npos ? "" : g.name.substr(dot + 1);
    for (const auto& [name, value] : g.values) {
      if (sub == "drops") {
        e.add(fmt::format("masq_{}_drops_total", base), "counter",
              fmt::format("Packets the {} dropped, by reason.", base), label("reason", name),
              value);
      } else if (sub.empty()) {
        e.add(fmt::format("masq_{}_{}_total", base, name), "counter",
              fmt::format("The {} counter {}.", base, name), "", value);
      } else {
        // io.lan, io.wan: one group per interface.
        e.add(fmt::format("masq_{}_{}_total", base, name), "counter",
              fmt::format("The {} counter {}, by interface.", base, name), label("interface", sub),
              value);
      }
    }
  }
  constexpr std::string_view kSessions = "sessions.";
  constexpr std::string_view kPorts = "ports.";
  for (const ctl::CounterGroup& g : stats) {
    if (g.name.starts_with(kSessions)) {
      const std::string proto = g.name.substr(kSessions.size());
      for (const auto& [state, value] : g.values) {
        e.add("masq_sessions", "gauge", "Live sessions, by protocol and state.",
              label("proto", proto) + "," + label("state", state), value);
      }
    } else if (g.name.starts_with(kPorts)) {
      // "udp_mappings", "udp_ports": by address and protocol.
      const std::string address = g.name.substr(kPorts.size());
      for (const auto& [name, value] : g.values) {
        const auto cut = name.find('_');
        const std::string what = name.substr(cut + 1);
        e.add("masq_address_" + what, "gauge",
              what == "ports" ? "Ports new mappings may take, by external address and protocol."
                              : "Mappings held, by external address and protocol.",
              label("address", address) + "," + label("proto", name.substr(0, cut)), value);
      }
    }
  }
  e.add("masq_sessions_max", "gauge", "Size of the session table.", "", status.max_sessions);
  e.add("masq_uptime_seconds", "gauge", "Seconds since masqd started.", "", status.uptime_s);
  e.add("masq_build_info", "gauge", "masqd's version, as a label.",
        label("version", status.version), 1);
  return e.text();
}

}  // namespace masq::app
