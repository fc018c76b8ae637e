#include "masq/ctl/format.hpp"

#include <fmt/format.h>

namespace masq::ctl {

std::string format_status(const nlohmann::json& r) {
  return fmt::format(
      "masqd {}\n  lan      {}\n  wan      {}\n  uptime   {} s\n  sessions {} of {}\n",
      r.value("version", ""), r.value("lan", ""), r.value("wan", ""), r.value("uptime_s", 0ull),
      r.value("sessions", 0ull), r.value("max_sessions", 0ull));
}

namespace {

// One direction's counts as conntrack -L shows them.
std::string direction_counts(const nlohmann::json& d) {
  return fmt::format("packets={} bytes={}", d.value("packets", 0ull), d.value("bytes", 0ull));
}

}  // namespace

std::string format_sessions(const nlohmann::json& r) {
  // kind: "pcp" for a mapping a host asked for, whose expiry is the
  // lifetime it has left; "dynamic" for what traffic made. With
  // accounting on, what each direction carried, in2out then out2in.
  std::string out =
      fmt::format("{:<5} {:<21} {:<21} {:<21} {:<12} {:<8} {:>8} {:>8}\n", "proto", "internal",
                  "external", "remote", "state", "kind", "idle", "expires");
  const auto& list = r.at("sessions");
  for (const auto& s : list) {
    out += fmt::format("{:<5} {:<21} {:<21} {:<21} {:<12} {:<8} {:>7}s {:>7}s",
                       s.value("proto", ""), s.value("internal", ""), s.value("external", ""),
                       s.value("remote", ""), s.value("state", ""), s.value("kind", ""),
                       s.value("idle_s", 0u), s.value("expires_in_s", 0u));
    if (s.contains("in2out")) {
      out += " in2out " + direction_counts(s.at("in2out")) + " out2in " +
             direction_counts(s.at("out2in"));
    }
    out += "\n";
  }
  out += fmt::format("{} session{}\n", list.size(), list.size() == 1 ? "" : "s");
  return out;
}

std::string format_lookup(const nlohmann::json& r, const std::string& outside,
                          const std::string& at) {
  const auto& hits = r.at("hits");
  if (hits.empty())
    return fmt::format("nobody held {} at {}, as far as the translation log tells\n", outside, at);
  std::string out;
  for (const auto& h : hits) {
    const std::string until = h.at("deleted").is_string() ? h.at("deleted").get<std::string>() +
                                                                " (" + h.value("reason", "") + ")"
                                                          : std::string("now");
    out += fmt::format("{} held {} ({} {}{}) from {} until {}\n", h.value("inside", ""),
                       h.value("outside", ""), h.value("proto", ""), h.value("kind", ""),
                       h.contains("remote") ? ", remote " + h.value("remote", "") : "",
                       h.value("created", ""), until);
  }
  return out;
}

std::string format_event(const nlohmann::json& e) {
  const std::string event = e.value("event", "");
  if (event == "lost")
    return fmt::format("[LOST] {} events (masqctl read too slowly)\n", e.value("count", 0ull));
  std::string out = fmt::format("{} {:<9} {:<4} inside={} outside={}", e.value("time", ""),
                                event == "create" ? "[NEW]" : "[DESTROY]", e.value("proto", ""),
                                e.value("inside", ""), e.value("outside", ""));
  if (e.contains("remote")) out += " remote=" + e.value("remote", "");
  out += " kind=" + e.value("kind", "");
  if (e.contains("reason")) out += " reason=" + e.value("reason", "");
  return out + "\n";
}

namespace {

std::string format_groups(const nlohmann::json& groups, bool all) {
  std::string out;
  for (const auto& [group, values] : groups.items()) {
    std::string lines;
    for (const auto& [name, value] : values.items()) {
      if (all || value.get<std::uint64_t>() != 0)
        lines += fmt::format("  {:<32} {:>14}\n", name, value.get<std::uint64_t>());
    }
    if (!lines.empty()) out += group + "\n" + lines;
  }
  return out;
}

}  // namespace

std::string format_stats(const nlohmann::json& r, bool all) {
  std::string out = format_groups(r.at("stats"), all);
  if (all) out += format_groups(r.at("counters"), all);
  return out.empty() ? "all counters are zero (--all shows them)\n" : out;
}

std::string format_reconfigured(const nlohmann::json& reply, const Request& request) {
  std::string out;
  const std::uint64_t removed = reply.value("removed", std::uint64_t{0});
  const std::string removed_line =
      std::to_string(removed) + " sessions the new config does not allow removed\n";
  if (request.command == Command::reload) return "reloaded; " + removed_line;
  if (request.edit != RuleEdit::list) {
    out += std::string(request.edit == RuleEdit::add ? "added " : "deleted ") + request.rule +
           "; " + removed_line;
  }
  for (const auto& rule : reply.value("rules", nlohmann::json::array())) {
    out += rule.get<std::string>() + "\n";
  }
  return out;
}

}  // namespace masq::ctl
