// Sourced<T>: a configuration value together with where it came from, so
// that checks made after merging the file and the flags can still name the
// key and line ("masq.toml:12: nat.pool[1]") or the flag ("--lan lan0=...").
// Internal to the config component. Cold.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace masq::config {

template <typename T>
struct Sourced {
  T value;
  std::string where;
};

// "FILE:LINE: KEY", the prefix of every error about a key in a file.
std::string file_location(std::string_view source, std::uint32_t line, std::string_view key);

// "--flag VALUE", the prefix of every error about a command-line flag.
std::string flag_location(std::string_view flag, std::string_view value);

// WHERE + ": " + MESSAGE.
std::string error_at(std::string_view where, std::string_view message);

}  // namespace masq::config
