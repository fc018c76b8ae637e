#include "scenarios/scenario_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "masq/nat/engine.hpp"
#include "scenarios/assertion.hpp"
#include "scenarios/packet_checks.hpp"
#include "scenarios/router_runner.hpp"
#include "support/checksum_oracle.hpp"
#include "support/packet_builder.hpp"
#include "support/packet_dissect.hpp"
#include "support/packet_text.hpp"

namespace masq::test {
namespace {

std::string describe(const nat::Verdict& v) {
  switch (v.action) {
    case nat::Action::forward_lan:
      return "lan";
    case nat::Action::forward_wan:
      return "wan";
    case nat::Action::hairpin:
      return "hairpin";
    case nat::Action::drop:
      return fmt::format("drop {}", nat::to_string(v.reason));
    case nat::Action::send_icmp:
      return fmt::format("icmp {}/{} {}", v.icmp_type, v.icmp_code, nat::to_string(v.reason));
  }
  return "?";
}

// What the engine was given and what it made of it.
struct Outcome {
  PacketSpec input;
  std::vector<std::uint8_t> original;
  std::vector<std::uint8_t> bytes;
  nat::Verdict verdict;
};

class Runner {
 public:
  explicit Runner(const Scenario& s) : scenario_(s) {}

  std::vector<Failure> run() {
    if (const auto errors = nat::validate(scenario_.config); !errors.empty()) {
      for (const auto& e : errors) fail(scenario_.config_line, "config: " + e.text());
      return std::move(failures_);
    }
    engine_ = std::make_unique<nat::Engine>(scenario_.config);
    for_each_step(
        scenario_, [&](const Batch& batch) { run_batch(batch); },
        [&](const ScenarioLine& line) { assertion(line); });
    return std::move(failures_);
  }

 private:
  void fail(int line, std::string message) { failures_.push_back({line, std::move(message)}); }

  void run_batch(const Batch& batch) {
    std::vector<Outcome> out(batch.sends.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      const ScenarioLine& line = batch.sends[i].packet;
      try {
        out[i].input = parse_packet_text(line.words, PacketSpec{}, bound_only(vars_)).spec;
      } catch (const TextError& e) {
        fail(line.number, fmt::format("packet: {}; batch skipped", e.what()));
        return;
      }
      out[i].original = build_packet(out[i].input);
      out[i].bytes = out[i].original;
    }
    std::vector<nat::PacketRef> refs;
    for (Outcome& o : out) refs.push_back(nat::parse_packet(o.bytes));
    std::vector<nat::Verdict> verdicts(refs.size());
    engine_->process(refs, batch.side, batch.now_ns, verdicts);
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i].verdict = verdicts[i];
      expectation(batch.sends[i].expect, out[i]);
      untouched_if_refused(batch.sends[i].expect.number, out[i]);
    }
  }

  // Verdict contract: on drop and send_icmp the packet bytes are untouched
  // (the ICMP error is built from them).
  void untouched_if_refused(int line, const Outcome& o) {
    const bool refused =
        o.verdict.action == nat::Action::drop || o.verdict.action == nat::Action::send_icmp;
    if (refused && o.bytes != o.original) {
      fail(line, "a refused packet must be left untouched, but it was changed: " +
                     join(compare_fields(dissect(o.original), dissect(o.bytes))));
    }
  }

  void expectation(const ScenarioLine& expect, const Outcome& o) {
    const std::vector<std::string>& w = expect.words;
    const std::string& what = w[1];
    try {
      if (what == "drop" || what == "icmp") {
        expect_refusal(expect, o);
      } else if (what == "lan" || what == "wan" || what == "hairpin") {
        expect_forward(expect, o);
      } else {
        throw TextError("'" + what + "': expected lan, wan, hairpin, drop or icmp");
      }
    } catch (const TextError& e) {
      fail(expect.number, e.what());
    }
  }

  // expect drop REASON | expect icmp T/C REASON
  void expect_refusal(const ScenarioLine& expect, const Outcome& o) {
    const std::vector<std::string>& w = expect.words;
    nat::Verdict want;
    if (w[1] == "drop") {
      if (w.size() != 3) throw TextError("expected: expect drop REASON");
      want = nat::Verdict::dropped(reason(w[2]));
    } else {
      const auto slash = w[2].find('/');
      if (w.size() != 4 || slash == std::string::npos)
        throw TextError("expected: expect icmp T/C REASON");
      want = nat::Verdict::icmp(
          reason(w[3]), static_cast<std::uint8_t>(parse_uint(w[2].substr(0, slash), 255, "type")),
          static_cast<std::uint8_t>(parse_uint(w[2].substr(slash + 1), 255, "code")));
    }
    if (o.verdict != want) {
      fail(expect.number,
           fmt::format("verdict: expected {}, got {}", describe(want), describe(o.verdict)));
    }
  }

  void expect_forward(const ScenarioLine& expect, const Outcome& o) {
    const std::string& side = expect.words[1];
    const nat::Action action = side == "lan"   ? nat::Action::forward_lan
                               : side == "wan" ? nat::Action::forward_wan
                                               : nat::Action::hairpin;
    if (o.verdict.action != action || o.verdict.reason != nat::DropReason::none) {
      fail(expect.number, fmt::format("verdict: expected {}, got {}", side, describe(o.verdict)));
      return;
    }
    const std::vector<Field> actual = dissect(o.bytes);
    const std::span<const std::string> packet_words(expect.words.begin() + 2, expect.words.end());
    PacketText want = parse_packet_text(packet_words, o.input, capturing(vars_, actual));
    // A router forwards with TTL - 1 (RFC 1812 §5.3.1); quoted headers keep theirs.
    if (!want.given.contains("ttl")) want.spec.ttl = static_cast<std::uint8_t>(o.input.ttl - 1);
    if (action == nat::Action::forward_wan) accept_engine_ip_id(want, actual);
    for (const std::string& d : compare_fields(dissect(build_packet(want.spec)), actual)) {
      fail(expect.number, d);
    }
    for (const std::string& p : checksum_problems(o.bytes)) fail(expect.number, "checksum: " + p);
    if (action == nat::Action::forward_wan) {
      for (std::string& leak : inside_address_leaks(scenario_.config, actual))
        fail(expect.number, std::move(leak));
    }
  }

  static nat::DropReason reason(std::string_view name) {
    if (const auto r = drop_reason_named(name)) return *r;
    throw TextError("unknown drop reason '" + std::string(name) + "'");
  }

  static std::string join(const std::vector<std::string>& items) {
    std::string all;
    for (const auto& i : items) all += (all.empty() ? "" : "; ") + i;
    return all;
  }

  void assertion(const ScenarioLine& line) {
    try {
      if (const auto problem = evaluate_assertion(line.words, *engine_, vars_))
        fail(line.number, *problem);
    } catch (const TextError& e) {
      fail(line.number, e.what());
    }
  }

  const Scenario& scenario_;
  std::unique_ptr<nat::Engine> engine_;
  Variables vars_;
  std::vector<Failure> failures_;
};

}  // namespace

std::vector<Failure> run_scenario(const Scenario& scenario) {
  if (scenario.router) return run_router_scenario(scenario);
  return Runner(scenario).run();
}

}  // namespace masq::test
