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

// The lookup's arguments into `q`; what is wrong with them, or "".
std::string lookup_query(const std::string& outside, const std::string& at,
                         const std::string& proto, masq::ctl::LookupQuery& q) {
  if (std::string e = masq::ctl::parse_endpoint(outside, q.outside_addr, q.outside_port);
      !e.empty())
    return e;
  if (!at.empty()) {
    q.at = masq::ctl::parse_time(at);
    if (!q.at) {
      return "bad time '" + at + "' (want ISO 8601, e.g. 2026-12-02T12:33:05Z, or Unix seconds)";
    }
  }
  if (!proto.empty()) {
    q.proto = masq::net::parse_proto(proto);
    if (!q.proto) return "bad proto '" + proto + "' (want tcp, udp or icmp)";
  }
  return {};
}

// masqctl events: every line masqd streams, until it closes or masqctl is
// stopped; each printed at once (a pipe is not left to fill a buffer).
int follow_events(const std::string& socket, bool json) {
  const auto reply = masq::ctl::follow(
      socket, masq::ctl::Request(Command::events), [json](const nlohmann::json& e) {
        std::cout << (json ? e.dump() + "\n" : masq::ctl::format_event(e)) << std::flush;
        return true;
      });
  if (!reply.error.empty()) {
    std::cerr << "masqctl: " << reply.error << "\n";
    return 1;
  }
  return 0;
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
  auto* lookup = app.add_subcommand(
      "lookup", "which inside host held an outside ADDR:PORT at a time (the translation log)");
  std::string outside;
  std::string at;
  std::string proto;
  lookup->add_option("outside", outside, "the outside (external) ADDR:PORT")->required();
  lookup->add_option("--at", at,
                     "when: ISO 8601 (2026-12-02T12:33:05Z) or Unix seconds; default now");
  lookup->add_option("--proto", proto, "tcp, udp or icmp (default: any)");
  auto* events =
      app.add_subcommand("events", "follow session creation and deletion live, like conntrack -E");
  auto* reload = app.add_subcommand(
      "reload", "re-read masqd's config file and apply it (what only a restart changes: refused)");
  // forwards and static: list, add RULE, del RULE (config/runtime_rules.hpp).
  struct RuleCommand {
    CLI::App* app;
    CLI::App* list;
    CLI::App* add;
    CLI::App* del;
    std::string rule;
  };
  const auto rule_command = [&app](std::string_view name, std::string_view what,
                                   std::string_view example) {
    RuleCommand r{app.add_subcommand(std::string(name), "the running " + std::string(what) +
                                                            " (list, add, del), until a reload"),
                  nullptr,
                  nullptr,
                  nullptr,
                  {}};
    r.list = r.app->add_subcommand("list", "list them (the default)");
    r.add = r.app->add_subcommand("add", "add one: " + std::string(example));
    r.del = r.app->add_subcommand("del", "delete one, written as added or as listed");
    return r;
  };
  RuleCommand forwards = rule_command(
      "forwards", "port forwards", "PROTO/[ADDR:]PORTS=ADDR:PORT, e.g. tcp/8080=192.168.77.3:80");
  RuleCommand statics = rule_command("static", "static 1:1 NAT rules",
                                     "INTERNAL=EXTERNAL, e.g. 192.168.77.9=203.0.113.9");
  for (RuleCommand* r : {&forwards, &statics}) {
    r->add->add_option("rule", r->rule, "the rule")->required();
    r->del->add_option("rule", r->rule, "the rule")->required();
    for (CLI::App* sub : {r->app, r->list, r->add, r->del}) sub->allow_extras();
  }
  for (CLI::App* sub : {status, sessions, del, flush, stats, lookup, events, reload})
    sub->allow_extras();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (const std::string problem = masq::cli::unknown_argument(app); !problem.empty()) {
    std::cerr << "masqctl: " << problem << "\n";
    return 2;
  }

  if (events->parsed()) return follow_events(socket, json);
  masq::ctl::Request request;
  if (lookup->parsed()) {
    request.command = Command::lookup;
    if (const std::string problem = lookup_query(outside, at, proto, request.lookup);
        !problem.empty()) {
      std::cerr << "masqctl: lookup: " << problem << "\n";
      return 2;
    }
  } else if (status->parsed()) {
    request.command = Command::status;
  } else if (reload->parsed()) {
    request.command = Command::reload;
  } else if (forwards.app->parsed() || statics.app->parsed()) {
    const RuleCommand& r = forwards.app->parsed() ? forwards : statics;
    request.command = forwards.app->parsed() ? Command::forwards : Command::static_rules;
    request.edit = r.add->parsed()   ? masq::ctl::RuleEdit::add
                   : r.del->parsed() ? masq::ctl::RuleEdit::del
                                     : masq::ctl::RuleEdit::list;
    request.rule = r.rule;
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
  // A lookup that found nobody exits 1, as grep does.
  const int found = request.command == Command::lookup && reply.body.at("hits").empty() ? 1 : 0;
  if (json) {
    std::cout << reply.body.dump(2) << "\n";
  } else if (request.command == Command::status) {
    std::cout << masq::ctl::format_status(reply.body);
  } else if (request.command == Command::stats) {
    std::cout << masq::ctl::format_stats(reply.body, all);
  } else if (request.command == Command::lookup) {
    std::cout << masq::ctl::format_lookup(reply.body, outside, at.empty() ? "now" : at);
  } else if (request.command == Command::reload || request.command == Command::forwards ||
             request.command == Command::static_rules) {
    std::cout << masq::ctl::format_reconfigured(reply.body, request);
  } else if (request.command == Command::delete_sessions) {
    std::cout << reply.body.value("deleted", 0ull) << " sessions deleted\n";
  } else if (request.count) {
    std::cout << reply.body.value("count", 0ull) << "\n";
  } else {
    std::cout << masq::ctl::format_sessions(reply.body);
  }
  return found;
}
