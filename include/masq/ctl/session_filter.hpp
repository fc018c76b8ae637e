// SessionFilter: which sessions a `masqctl sessions` listing, count or
// delete selects, like conntrack's filters. One type for both ends: masqctl
// builds it from its options, the request carries it as JSON, the control
// plane applies it to a listing and the worker to a deletion. Every key is
// named once (MASQ_CTL_FILTER_KEYS): masqctl's options (--inside-port),
// the JSON keys (inside_port) and the parser all read that list. A key's
// value is text, as given on the command line. Cold.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "masq/nat/session_view.hpp"
#include "masq/net/names.hpp"

namespace masq::ctl {

#define MASQ_CTL_FILTER_KEYS(X)                                               \
  X(proto)        /* tcp, udp or icmp */                                      \
  X(inside)       /* inside (internal) address */                             \
  X(inside_port)  /* inside port (ICMP: the echo identifier) */               \
  X(outside)      /* outside (external) address */                            \
  X(outside_port) /* outside port */                                          \
  X(remote)       /* remote address */                                        \
  X(remote_port)  /* remote port */                                           \
  X(state)        /* udp, icmp, or a TCP state (established, syn_out, ...) */ \
  X(kind)         /* dynamic, forward, static or pcp */                       \
  X(min_idle)     /* idle for at least this many seconds */                   \
  X(max_idle)     /* idle for at most this many seconds (what is young, or still busy) */

enum class FilterKey : std::uint8_t { MASQ_CTL_FILTER_KEYS(MASQ_ENUMERATOR) };
inline constexpr net::NameTable<11> kFilterKeyNames{MASQ_CTL_FILTER_KEYS(MASQ_NAME)};
constexpr std::string_view to_string(FilterKey k) {
  return net::name_of(kFilterKeyNames, k);
}

class SessionFilter {
 public:
  // Sets one key from its text; the error names the key and the bad text,
  // or is empty when the value was taken.
  std::string set(std::string_view key, std::string_view text);

  bool empty() const { return json_.empty(); }
  bool matches(const nat::SessionView& s) const;

  // {"proto": "tcp", "inside_port": "80", ...}: only the keys set.
  const nlohmann::json& to_json() const { return json_; }
  // The filter of a request's "filter" object, or the error.
  struct Parsed;
  static Parsed from_json(const nlohmann::json& j);

 private:
  std::optional<net::Proto> proto_;
  std::optional<net::Ipv4Addr> inside_, outside_, remote_;
  std::optional<net::Port> inside_port_, outside_port_, remote_port_;
  std::optional<std::string_view> state_;  // one of nat::session_state_names()
  std::optional<nat::SessionKind> kind_;
  std::optional<std::uint32_t> min_idle_s_, max_idle_s_;
  nlohmann::json json_ = nlohmann::json::object();
};

struct SessionFilter::Parsed {
  SessionFilter filter;
  std::string error;
};

}  // namespace masq::ctl
