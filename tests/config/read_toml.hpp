// Test helper: runs read_toml on a literal and keeps the draft and errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/toml_reader.hpp"

namespace masq::config::testing {

struct ReadResult {
  Draft draft;
  std::vector<std::string> errors;
  bool parsed = false;
};

inline ReadResult read(std::string_view text) {
  ReadResult result;
  result.parsed = read_toml(text, "masq.toml", result.draft, result.errors);
  return result;
}

inline net::Ipv4Addr addr(std::string_view text) {
  return *net::Ipv4Addr::parse(text);
}

inline net::Ipv4Prefix prefix(std::string_view text) {
  return *net::Ipv4Prefix::parse(text);
}

}  // namespace masq::config::testing
