#include "log_setup.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace masq::app {
namespace {

constexpr const char* kName = "masqd";
// Where journald listens for sd_journal_send (systemd-journald.socket).
constexpr const char* kJournalSocket = "/run/systemd/journal/socket";

spdlog::level::level_enum spdlog_level(config::LogLevel level) {
  using L = config::LogLevel;
  switch (level) {
    case L::trace:
      return spdlog::level::trace;
    case L::debug:
      return spdlog::level::debug;
    case L::info:
      return spdlog::level::info;
    case L::warning:
      return spdlog::level::warn;
    case L::error:
      return spdlog::level::err;
    case L::critical:
      return spdlog::level::critical;
    case L::off:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

// Made, not registered: set_default_logger puts it in place of the last.
void install(spdlog::sink_ptr sink) {
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(kName, std::move(sink)));
}

}  // namespace

void setup_early_log() {
  install(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
}

void setup_log(const config::LogOptions& options) {
  const bool journal = options.target == config::LogTarget::journal;
  if (journal && ::access(kJournalSocket, F_OK) == 0) {
    // The journal stamps each record itself and keeps its priority: the
    // message alone, under SYSLOG_IDENTIFIER=masqd.
    install(std::make_shared<spdlog::sinks::systemd_sink_mt>(kName));
  } else {
    setup_early_log();
  }
  spdlog::set_level(spdlog_level(options.level));
  // Records sent nowhere would hide why masqd stopped.
  if (journal && ::access(kJournalSocket, F_OK) != 0)
    spdlog::warn("no systemd journal here ({} missing): logging to stderr", kJournalSocket);
}

}  // namespace masq::app
