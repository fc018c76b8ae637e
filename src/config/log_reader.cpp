// [log] and --log, --log-level: masqd's human log (LogOptions).
#include "log_reader.hpp"

#include <string>

namespace masq::config {
namespace {

template <typename E, std::size_t N>
Parsed<E> parse_name(const net::NameTable<N>& names, std::string_view what, std::string_view text) {
  if (const auto value = net::value_named<E>(names, text)) return Parsed<E>::ok(*value);
  std::string valid;
  for (const auto name : names) valid += (valid.empty() ? "" : ", ") + std::string(name);
  return Parsed<E>::fail("bad " + std::string(what) + " " + quoted(text) + " (want one of " +
                         valid + ")");
}

}  // namespace

Parsed<LogTarget> parse_log_target(std::string_view text) {
  return parse_name<LogTarget>(kLogTargetNames, "log target", text);
}

Parsed<LogLevel> parse_log_level(std::string_view text) {
  return parse_name<LogLevel>(kLogLevelNames, "log level", text);
}

void read_log(TableReader& table, LogOptions& log) {
  if (const auto target = table.parse("target", parse_log_target)) log.target = *target;
  if (const auto level = table.parse("level", parse_log_level)) log.level = *level;
}

}  // namespace masq::config
