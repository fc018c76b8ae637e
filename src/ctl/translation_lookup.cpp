#include "masq/ctl/translation_lookup.hpp"

#include <fstream>
#include <map>

namespace masq::ctl {
namespace {

struct Interval {
  LookupHit hit;
  UnixNs start = 0;
  std::optional<UnixNs> end;
};

std::string text_of(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// One line that names the endpoint, into the intervals.
void take_line(const std::string& line, const LookupQuery& q, const std::string& outside,
               std::map<std::string, std::vector<Interval>>& sessions) {
  const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || text_of(j, "outside") != outside) return;
  const std::string proto = text_of(j, "proto");
  if (q.proto && proto != net::to_string(*q.proto)) return;
  const auto time = parse_time(text_of(j, "time"));
  const auto type = nat::parse_event_type(text_of(j, "event"));
  if (!time || !type) return;
  const std::string inside = text_of(j, "inside");
  const std::string remote = text_of(j, "remote");
  auto& list = sessions[proto + ' ' + inside + ' ' + remote];
  if (*type == nat::EventType::create) {
    Interval i;
    i.hit = {proto, inside, outside, remote, text_of(j, "kind"), text_of(j, "time"), {}, {}};
    i.start = *time;
    list.push_back(std::move(i));
    return;
  }
  // Workers drain apart, so a delete may be written before a create of
  // another session it followed: the earliest open one begun by then.
  for (Interval& i : list) {
    if (!i.end && i.start <= *time) {
      i.end = *time;
      i.hit.deleted = text_of(j, "time");
      i.hit.reason = text_of(j, "reason");
      return;
    }
  }
}

}  // namespace

LookupResult lookup(const std::vector<std::string>& files, const LookupQuery& q, UnixNs now) {
  const UnixNs at = q.at.value_or(now);
  LookupResult result;
  const std::string outside = endpoint_text(q.outside_addr, q.outside_port);
  // Only lines holding this text are parsed.
  const std::string needle = "\"outside\":\"" + outside + "\"";
  std::map<std::string, std::vector<Interval>> sessions;
  for (const std::string& file : files) {
    std::ifstream in(file);
    if (!in) {
      result.error = "cannot read " + file;
      continue;
    }
    std::string line;
    while (std::getline(in, line)) {
      if (line.find(needle) == std::string::npos) continue;
      ++result.lines_read;
      take_line(line, q, outside, sessions);
    }
  }
  for (auto& [key, list] : sessions) {
    for (Interval& i : list) {
      if (i.start <= at && (!i.end || at <= *i.end)) result.hits.push_back(std::move(i.hit));
    }
  }
  return result;
}

nlohmann::json lookup_json(const LookupResult& result) {
  nlohmann::json hits = nlohmann::json::array();
  for (const LookupHit& h : result.hits) {
    nlohmann::json j{{"proto", h.proto}, {"inside", h.inside},   {"outside", h.outside},
                     {"kind", h.kind},   {"created", h.created}, {"deleted", nullptr}};
    if (!h.remote.empty()) j["remote"] = h.remote;
    if (!h.deleted.empty()) {
      j["deleted"] = h.deleted;
      j["reason"] = h.reason;
    }
    hits.push_back(std::move(j));
  }
  return {{"ok", true}, {"hits", std::move(hits)}, {"lines_read", result.lines_read}};
}

}  // namespace masq::ctl
