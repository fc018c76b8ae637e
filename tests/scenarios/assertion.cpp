#include "scenarios/assertion.hpp"

#include <fmt/format.h>

#include "support/text_tokens.hpp"

namespace masq::test {
namespace {

using CounterRead = std::function<std::uint64_t(const nat::Engine&)>;

std::optional<CounterRead> counter(std::string_view name) {
  if (const auto* field = net::counter_named(nat::kCounterFields, name)) {
    return [read = field->read](const nat::Engine& e) { return read(e.counters()); };
  }
  if (name == "total_drops") return [](const nat::Engine& e) { return e.counters().total_drops(); };
  if (name == "sessions_live")
    return [](const nat::Engine& e) { return std::uint64_t{e.session_count()}; };
  if (name == "subscribers") {
    return [](const nat::Engine& e) { return std::uint64_t{e.subscriber_count()}; };
  }
  if (name.starts_with("drop.")) {
    if (const auto r = drop_reason_named(name.substr(5))) {
      return [r = *r](const nat::Engine& e) { return e.counters().drop(r); };
    }
  }
  return std::nullopt;
}

std::uint64_t operand(std::string_view text, const Variables* vars) {
  if (text.starts_with('$')) {
    if (vars == nullptr) return 0;
    const auto it = vars->find(text.substr(1));
    if (it == vars->end())
      throw TextError(std::string(text) + " is not bound (did an earlier expect fail?)");
    return it->second;
  }
  if (const auto a = net::Ipv4Addr::parse(text)) return a->value();
  return parse_uint(text, 0xFFFFFFFFu, "check");
}

// SET is a comma-separated list of values and LO-HI ranges.
bool in_set(std::uint64_t a, std::string_view set, const Variables* vars) {
  bool found = false;
  while (!set.empty()) {
    const std::string_view item = set.substr(0, set.find(','));
    const auto dash = item.find('-');
    const std::uint64_t lo = operand(item.substr(0, dash), vars);
    const std::uint64_t hi =
        dash == std::string_view::npos ? lo : operand(item.substr(dash + 1), vars);
    found = found || (a >= lo && a <= hi);
    set.remove_prefix(std::min(set.size(), item.size() + 1));
  }
  return found;
}

std::optional<std::string> check(std::span<const std::string> w, const Variables* vars) {
  if (w.size() != 4) throw TextError("expected: check A OP B, or check A in SET");
  const std::uint64_t a = operand(w[1], vars);
  const std::string& op = w[2];
  if (op == "in") {
    if (in_set(a, w[3], vars)) return std::nullopt;
    return fmt::format("{} = {} is not in {}", w[1], a, w[3]);
  }
  const std::uint64_t b = operand(w[3], vars);
  bool holds = false;
  if (op == "==") {
    holds = a == b;
  } else if (op == "!=") {
    holds = a != b;
  } else if (op == "<") {
    holds = a < b;
  } else if (op == "<=") {
    holds = a <= b;
  } else if (op == ">") {
    holds = a > b;
  } else if (op == ">=") {
    holds = a >= b;
  } else {
    throw TextError("'" + op + "': expected == != < <= > >= or in");
  }
  if (holds) return std::nullopt;
  return fmt::format("{} {} {} does not hold ({} vs {})", w[1], op, w[3], a, b);
}

CounterRead counter_line(std::span<const std::string> w) {
  if (w.size() != 4 || w[2] != "=") throw TextError("expected: counter NAME = N");
  auto read = counter(w[1]);
  if (!read) throw TextError("unknown counter '" + w[1] + "'");
  parse_uint(w[3], ~std::uint64_t{0}, "counter value");
  return *read;
}

}  // namespace

std::optional<nat::DropReason> drop_reason_named(std::string_view name) {
  const auto r = nat::drop_reason_named(name);
  if (r == nat::DropReason::none) return std::nullopt;  // not a drop
  return r;
}

void validate_assertion(std::span<const std::string> words) {
  if (words[0] == "counter") {
    counter_line(words);
  } else {
    check(words, nullptr);
  }
}

std::optional<std::string> evaluate_assertion(std::span<const std::string> words,
                                              const nat::Engine& engine, const Variables& vars) {
  if (words[0] == "check") return check(words, &vars);
  const std::uint64_t want = parse_uint(words[3], ~std::uint64_t{0}, "counter value");
  const std::uint64_t got = counter_line(words)(engine);
  if (got == want) return std::nullopt;
  return fmt::format("counter {}: expected {}, got {}", words[1], want, got);
}

}  // namespace masq::test
