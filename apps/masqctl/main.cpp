// masqctl: asks a running masqd for its state, and steers it, over the
// control socket (docs/operations.md).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <iostream>

#include "masq/ctl/client.hpp"
#include "masq/ctl/format.hpp"
#include "unknown_argument.hpp"
#include "version.hpp"

namespace {

using masq::ctl::Command;

// --inside-port for the filter key inside_port.
std::string option_of(std::string_view key) {
  std::string option = "--" + std::string(key);
  std::replace(option.begin(), option.end(), '_', '-');
  return option;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"masqctl: show and steer a running masqd"};
  // Options of masqctl itself are taken after a command too (--json anywhere).
  app.fallthrough();
  app.allow_extras();
  std::string socket(masq::ctl::kDefaultSocketPath);
  bool json = false;
  bool all = false;
  bool count = false;
  app.add_option("--socket", socket, "masqd's control socket ([control] socket)")
      ->capture_default_str();
  app.add_flag("--json", json, "print the raw JSON reply");
  app.set_version_flag("--version", std::string("masqctl ") + masq::version());
  auto* status = app.add_subcommand("status", "interfaces, uptime and live session count");
  auto* sessions = app.add_subcommand("sessions", "the session table, like conntrack -L");
  auto* del = sessions->add_subcommand("delete", "delete the sessions the filter selects");
  auto* flush = sessions->add_subcommand("flush", "delete every session");
  auto* stats =
      app.add_subcommand("stats", "drops, interfaces, sessions, quotas; --all: every counter");
  stats->alias("counters");
  stats->add_flag("--all", all, "include zeros, and every counter");
  sessions->add_flag("--count", count, "print how many sessions the filter selects");
  std::array<std::string, masq::ctl::kFilterKeyNames.size()> filter_text;
  for (std::size_t i = 0; i < filter_text.size(); ++i) {
    const auto key = masq::ctl::kFilterKeyNames[i];
    sessions->add_option(option_of(key), filter_text[i], "select by " + std::string(key));
  }
  for (CLI::App* sub : {status, sessions, del, flush, stats}) sub->allow_extras();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (const std::string problem = masq::cli::unknown_argument(app); !problem.empty()) {
    std::cerr << "masqctl: " << problem << "\n";
    return 2;
  }

  masq::ctl::Request request;
  if (status->parsed()) {
    request.command = Command::status;
  } else if (stats->parsed()) {
    request.command = Command::stats;
  } else {
    request.command =
        del->parsed() || flush->parsed() ? Command::delete_sessions : Command::sessions;
    request.count = count;
    for (std::size_t i = 0; i < filter_text.size(); ++i) {
      if (sessions->get_option(option_of(masq::ctl::kFilterKeyNames[i]))->count() == 0) continue;
      const std::string error = request.filter.set(masq::ctl::kFilterKeyNames[i], filter_text[i]);
      if (!error.empty()) {
        std::cerr << "masqctl: " << option_of(masq::ctl::kFilterKeyNames[i]) << ": " << error
                  << "\n";
        return 2;
      }
    }
    if (del->parsed() && request.filter.empty()) {
      std::cerr << "masqctl: sessions delete needs a filter (--proto, --inside, ...); "
                   "masqctl sessions flush deletes every session\n";
      return 2;
    }
    if (flush->parsed() && !request.filter.empty()) {
      std::cerr << "masqctl: sessions flush deletes every session and takes no filter; "
                   "use masqctl sessions delete FILTER\n";
      return 2;
    }
  }

  const auto reply = masq::ctl::request(socket, request);
  if (!reply.error.empty()) {
    std::cerr << "masqctl: " << reply.error << "\n";
    return 1;
  }
  if (json) {
    std::cout << reply.body.dump(2) << "\n";
  } else if (request.command == Command::status) {
    std::cout << masq::ctl::format_status(reply.body);
  } else if (request.command == Command::stats) {
    std::cout << masq::ctl::format_stats(reply.body, all);
  } else if (request.command == Command::delete_sessions) {
    std::cout << reply.body.value("deleted", 0ull) << " sessions deleted\n";
  } else if (request.count) {
    std::cout << reply.body.value("count", 0ull) << "\n";
  } else {
    std::cout << masq::ctl::format_sessions(reply.body);
  }
  return 0;
}
