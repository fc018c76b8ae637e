// masqctl: asks a running masqd for its state over the control socket.
#include <CLI/CLI.hpp>
#include <iostream>

#include "masq/ctl/client.hpp"
#include "masq/ctl/format.hpp"

int main(int argc, char** argv) {
  CLI::App app{"masqctl: show the state of a running masqd"};
  app.require_subcommand(1);
  std::string socket = "/run/masq/masq.sock";
  bool json = false;
  bool all = false;
  app.add_option("--socket", socket, "masqd's control socket (masqd --control)")
      ->capture_default_str();
  app.add_flag("--json", json, "print the raw JSON reply");
  auto* status = app.add_subcommand("status", "interfaces, uptime and session count");
  auto* sessions = app.add_subcommand("sessions", "the session table");
  auto* counters = app.add_subcommand("counters", "traffic and drop counters");
  counters->add_flag("--all", all, "include counters that are zero");
  CLI11_PARSE(app, argc, argv);

  const auto command = status->parsed()     ? masq::ctl::Command::status
                       : sessions->parsed() ? masq::ctl::Command::sessions
                                            : masq::ctl::Command::counters;
  const auto reply = masq::ctl::request(socket, command);
  if (!reply.error.empty()) {
    std::cerr << "masqctl: " << reply.error << "\n";
    return 1;
  }
  if (json) {
    std::cout << reply.body.dump(2) << "\n";
  } else if (command == masq::ctl::Command::status) {
    std::cout << masq::ctl::format_status(reply.body);
  } else if (command == masq::ctl::Command::sessions) {
    std::cout << masq::ctl::format_sessions(reply.body);
  } else {
    std::cout << masq::ctl::format_counters(reply.body, all);
  }
  return 0;
}
