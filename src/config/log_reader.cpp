// [log] and --log, --log-level: masqd's human log and the translation log
// (LogOptions).
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
  if (const auto path = table.parse("translations", parse_log_path)) log.translations = *path;
  if (const auto max =
          table.integer<std::uint64_t>("translations_max_bytes", kMinLogBytes, kMaxLogBytes)) {
    log.translations_max_bytes = *max;
  }
  if (const auto keep = table.integer<std::uint32_t>("translations_keep", 0, kMaxLogKeep))
    log.translations_keep = *keep;
  if (const auto remote = table.boolean("translations_remote")) log.translations_remote = *remote;
  if (const auto collector = table.parse("ipfix", parse_endpoint)) {
    log.ipfix = collector->address.to_string() + ":" + std::to_string(collector->port);
  }
}

}  // namespace masq::config
