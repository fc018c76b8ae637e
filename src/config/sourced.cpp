#include "sourced.hpp"

namespace masq::config {

std::string file_location(std::string_view source, std::uint32_t line, std::string_view key) {
  std::string out{source};
  out += ':';
  out += std::to_string(line);
  out += ": ";
  out += key;
  return out;
}

std::string flag_location(std::string_view flag, std::string_view value) {
  std::string out{flag};
  out += ' ';
  out += value;
  return out;
}

std::string error_at(std::string_view where, std::string_view message) {
  std::string out{where};
  out += ": ";
  out += message;
  return out;
}

}  // namespace masq::config
