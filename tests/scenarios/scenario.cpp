#include "scenarios/scenario.hpp"

#include <fstream>
#include <sstream>

#include "scenarios/assertion.hpp"
#include "scenarios/config_text.hpp"
#include "scenarios/router_text.hpp"
#include "support/text_tokens.hpp"

namespace masq::test {
namespace {

class ScenarioParser {
 public:
  explicit ScenarioParser(std::string name) { scenario_.name = std::move(name); }

  void line(int number, std::vector<std::string> words) {
    if (words.empty()) return;
    try {
      dispatch(number, std::move(words));
    } catch (const TextError& e) {
      throw ScenarioError(number, e.what());
    }
  }

  Scenario finish(int last_line) {
    if (in_config_) throw ScenarioError(last_line, "config block without 'end'");
    if (scenario_.config_line == 0) throw ScenarioError(last_line, "no config block");
    check_expectation_given(last_line);
    return std::move(scenario_);
  }

 private:
  void dispatch(int number, std::vector<std::string> words) {
    const std::string& head = words[0];
    if (in_config_) {
      if (head == "end" && words.size() == 1) {
        in_config_ = false;
        if (scenario_.router && (!scenario_.router->lan_given || !scenario_.router->wan_given))
          throw TextError("router mode needs both router.lan and router.wan");
      } else if (head.starts_with("router.")) {
        if (!scenario_.router) scenario_.router.emplace(default_router_setup());
        apply_router_line(words, *scenario_.router);
      } else {
        apply_config_line(words, scenario_.config);
      }
      return;
    }
    if (head == "config") {
      if (scenario_.config_line != 0) throw TextError("a second config block");
      if (!scenario_.steps.empty()) throw TextError("config must come before the first packet");
      scenario_.config_line = number;
      in_config_ = true;
    } else if (head == "at") {
      at(number, std::move(words));
    } else if (head == "and") {
      and_(number, std::move(words));
    } else if (head == "expect") {
      expect(number, std::move(words));
    } else if (head == "counter" || head == "check") {
      check_expectation_given(number);
      ScenarioLine line{number, std::move(words)};
      if (is_router_counter(line.words)) {
        if (!scenario_.router) throw TextError("router counters need router mode");
        validate_router_counter(line.words);
      } else {
        validate_assertion(line.words);
      }
      scenario_.steps.emplace_back(Assertion{std::move(line)});
    } else {
      throw TextError("unknown line '" + head + "' (config, at, and, expect, counter, check)");
    }
  }

  // at TIME lan|wan PACKET...
  void at(int number, std::vector<std::string> words) {
    if (scenario_.config_line == 0) throw TextError("the config block must come first");
    check_expectation_given(number);
    if (words.size() < 4) throw TextError("expected: at SECONDS lan|wan PACKET");
    Batch batch;
    batch.line = number;
    batch.now_ns = parse_seconds_ns(words[1]);
    if (batch.now_ns < last_now_ns_) throw TextError("time goes backwards");
    last_now_ns_ = batch.now_ns;
    if (words[2] != "lan" && words[2] != "wan")
      throw TextError("'" + words[2] + "': expected lan or wan");
    batch.side = words[2] == "lan" ? Side::lan : Side::wan;
    words.erase(words.begin(), words.begin() + 3);
    if (words.size() == 1 && words[0] == "tick") {
      if (!scenario_.router) throw TextError("'tick' needs router mode");
      batch.tick = true;
    } else {
      batch.sends.push_back({{number, std::move(words)}, {}});
    }
    scenario_.steps.emplace_back(std::move(batch));
  }

  // and PACKET...: one more packet in the batch of the `at` above.
  void and_(int number, std::vector<std::string> words) {
    if (!scenario_.router) check_expectation_given(number);
    Batch* batch = scenario_.steps.empty() ? nullptr : std::get_if<Batch>(&scenario_.steps.back());
    if (batch == nullptr) throw TextError("'and' must follow a packet and its expect line");
    if (batch->tick || !batch->outputs.empty())
      throw TextError("'and' must come before the expect lines of its call");
    if (words.size() < 2) throw TextError("expected: and PACKET");
    words.erase(words.begin());
    batch->sends.push_back({{number, std::move(words)}, {}});
  }

  void expect(int number, std::vector<std::string> words) {
    if (scenario_.router) {
      Batch* batch =
          scenario_.steps.empty() ? nullptr : std::get_if<Batch>(&scenario_.steps.back());
      if (batch == nullptr) throw TextError("expect without a packet before it");
      if (words.size() < 2) throw TextError("expected: expect lan|wan FRAME, or expect nothing");
      const bool nothing = words[1] == "nothing";
      if ((nothing || (!batch->outputs.empty() && batch->outputs[0].words[1] == "nothing")) &&
          !batch->outputs.empty()) {
        throw TextError("'expect nothing' must be the only expect line of its call");
      }
      batch->outputs.push_back({number, std::move(words)});
      return;
    }
    Send* send = pending_send();
    if (send == nullptr) throw TextError("expect without a packet before it");
    if (words.size() < 3) throw TextError("expected: expect lan|wan|hairpin|drop|icmp ...");
    send->expect = {number, std::move(words)};
  }

  Send* pending_send() {
    if (scenario_.steps.empty()) return nullptr;
    Batch* batch = std::get_if<Batch>(&scenario_.steps.back());
    if (batch == nullptr || batch->sends.empty() || batch->sends.back().expect.number != 0)
      return nullptr;
    return &batch->sends.back();
  }

  void check_expectation_given(int number) {
    if (scenario_.router) {
      const Batch* batch =
          scenario_.steps.empty() ? nullptr : std::get_if<Batch>(&scenario_.steps.back());
      if (batch != nullptr && batch->outputs.empty()) {
        throw ScenarioError(number, "the call on line " + std::to_string(batch->line) +
                                        " has no expect line (expect nothing, if so)");
      }
      return;
    }
    if (const Send* send = pending_send()) {
      throw ScenarioError(number, "the packet on line " + std::to_string(send->packet.number) +
                                      " has no expect line");
    }
  }

  Scenario scenario_;
  bool in_config_ = false;
  std::uint64_t last_now_ns_ = 0;
};

}  // namespace

std::uint64_t parse_seconds_ns(std::string_view text) {
  const auto dot = text.find('.');
  const std::uint64_t whole = parse_uint(text.substr(0, dot), 1'000'000'000, "seconds");
  std::uint64_t frac_ns = 0;
  if (dot != std::string_view::npos) {
    const std::string_view frac = text.substr(dot + 1);
    if (frac.empty() || frac.size() > 9)
      throw TextError("'" + std::string(text) + "': bad seconds");
    frac_ns = parse_uint(frac, 999'999'999, "seconds");
    for (std::size_t i = frac.size(); i < 9; ++i) frac_ns *= 10;
  }
  return whole * 1'000'000'000 + frac_ns;
}

Scenario parse_scenario(std::string_view text, std::string name) {
  ScenarioParser parser(std::move(name));
  int number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    parser.line(++number, split_words(text.substr(start, end - start)));
    start = end + 1;
  }
  return parser.finish(number);
}

Scenario load_scenario(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw ScenarioError(0, "cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return parse_scenario(text.str(), path.filename().string());
}

}  // namespace masq::test
