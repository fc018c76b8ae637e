#include "unknown_argument.hpp"

#include <vector>

namespace masq::cli {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
  std::vector<const CLI::App*> out;
  for (const CLI::App* sub :
       const_cast<CLI::App&>(app).get_subcommands([](CLI::App*) { return true; }))
    out.push_back(sub);
  return out;
}

// "stats (or counters)" for a command with an alias.
std::string command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : subcommands_of(app)) {
    std::string name = sub->get_name();
    for (const auto& alias : sub->get_aliases()) name += " (or " + alias + ")";
    names.push_back(name);
  }
  return join(names);
}

// The options of `app` and, as they fall through, of its parents.
std::string option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* a = &app; a != nullptr; a = a->get_parent()) {
    for (const CLI::Option* o : a->get_options()) {
      if (o != a->get_help_ptr()) names.push_back(o->get_name());
    }
  }
  names.emplace_back("--help");
  return join(names);
}

// "masqctl sessions delete".
std::string path_of(const CLI::App& app) {
  return app.get_parent() == nullptr ? std::string("masqctl")
                                     : path_of(*app.get_parent()) + " " + app.get_name();
}

}  // namespace

std::string unknown_argument(const CLI::App& app) {
  const CLI::App* deepest = &app;
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (const CLI::App* sub : subcommands_of(*deepest)) {
      if (sub->parsed()) {
        deepest = sub;
        deeper = true;
        break;
      }
    }
  }
  const std::vector<std::string> extras = app.remaining(true);
  if (extras.empty()) {
    if (deepest != &app) return {};
    return "no command given (commands: " + command_names(app) + ")";
  }
  const std::string& first = extras.front();
  if (!first.empty() && first[0] == '-') {
    return "unknown option '" + first + "' for " + path_of(*deepest) +
           " (options: " + option_names(*deepest) + ")";
  }
  if (!subcommands_of(*deepest).empty()) {
    return "unknown command '" + first + "' for " + path_of(*deepest) +
           " (commands: " + command_names(*deepest) + ")";
  }
  return "unexpected argument '" + first + "' after " + path_of(*deepest);
}

}  // namespace masq::cli
