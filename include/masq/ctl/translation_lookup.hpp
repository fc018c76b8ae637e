// Lookup in the translation log: which inside endpoint held an outside
// (external) endpoint at a given time (RFC 6888 REQ-12's purpose: answer
// an abuse report naming an address, a port and a time), from the log
// file and its rotated predecessors. Each create event opens an interval
// for its (protocol, inside, outside, remote), and the first delete of the
// same after it closes it; the intervals that contain the time answer.
// Served by the control plane (masqctl needs no access to the files).
// Reads every file, only parsing lines that name the endpoint. Cold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "masq/ctl/event_line.hpp"
#include "masq/ctl/translation_log.hpp"

namespace masq::ctl {

struct LookupQuery {
  net::Ipv4Addr outside_addr;
  net::Port outside_port;
  std::optional<UnixNs> at;         // unset: now
  std::optional<net::Proto> proto;  // unset: any
  bool operator==(const LookupQuery&) const = default;
};

// One session that held the endpoint at the time asked.
struct LookupHit {
  std::string proto;
  std::string inside;
  std::string outside;
  std::string remote;  // "" when the log does not carry it
  std::string kind;
  std::string created;  // the create event's time, as logged
  std::string deleted;  // "" while (as far as the log knows) it lives
  std::string reason;   // the delete's
};

struct LookupResult {
  std::vector<LookupHit> hits;
  std::uint64_t lines_read = 0;  // that named the endpoint
  std::string error;             // a file that could not be read
};

// Looks in `files`, oldest first (translation_log_files()), at query.at,
// or at `now` when that is unset.
LookupResult lookup(const std::vector<std::string>& files, const LookupQuery& query, UnixNs now);

nlohmann::json lookup_json(const LookupResult& result);

}  // namespace masq::ctl
