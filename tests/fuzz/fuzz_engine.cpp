// libFuzzer target: a short script of packets (fuzz_input.hpp) through an
// engine with forwards, static NAT, exclusions and small tables. Besides
// the sanitizers, it traps when the engine breaks its contract:
//  - a refused packet (drop, send_icmp) must be left untouched, with a reason;
//  - a forwarded packet whose checksums were all right must still have all
//    its checksums right (the independent oracle recomputes them; for a
//    TCP packet marked l4_seed, its field must stay the right seed);
//  - nothing leaves by the WAN with an inside address, unless excluded;
//  - the session and subscriber counts stay within their configured bounds.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz/fuzz_config.hpp"
#include "fuzz/fuzz_input.hpp"
#include "masq/nat/engine.hpp"
#include "support/checksum_oracle.hpp"
#include "support/packet_dissect.hpp"

namespace masq::test {
namespace {

constexpr std::size_t kMaxSteps = 24;
constexpr std::size_t kMaxBatch = 8;

[[noreturn]] void violated(const std::string& what) {
  std::fprintf(stderr, "fuzz_engine: %s\n", what.c_str());
  std::abort();
}

bool in_any(const std::vector<net::Ipv4Prefix>& prefixes, std::uint64_t addr) {
  for (const auto& p : prefixes) {
    if (p.contains(net::Ipv4Addr(static_cast<std::uint32_t>(addr)))) return true;
  }
  return false;
}

struct Packet {
  std::vector<std::uint8_t> original;
  std::vector<std::uint8_t> bytes;
  TransportSum transport = TransportSum::complete;
  bool checksums_ok = false;
};

class Harness {
 public:
  Harness() : cfg_(fuzz_engine_config()), engine_(cfg_) {}

  void add(const FuzzStep& step) {
    if (!batch_.empty() &&
        (!step.joins_batch || step.side != side_ || batch_.size() == kMaxBatch)) {
      flush();
    }
    if (batch_.empty()) {
      side_ = step.side;
      now_ns_ += step.dt * kFuzzTimeUnitNs;
    }
    Packet p;
    p.original.assign(step.packet.begin(), step.packet.end());
    p.bytes = p.original;
    p.transport = step.l4_seed ? TransportSum::seed : TransportSum::complete;
    p.checksums_ok = checksum_problems(p.original, p.transport).empty();
    batch_.push_back(std::move(p));
  }

  void flush() {
    if (batch_.empty()) return;
    std::vector<nat::PacketRef> refs;
    for (Packet& p : batch_)
      refs.push_back(nat::parse_packet(p.bytes, p.transport == TransportSum::seed));
    std::vector<nat::Verdict> verdicts(refs.size());
    engine_.process(refs, side_, now_ns_, verdicts);
    for (std::size_t i = 0; i < batch_.size(); ++i) check(batch_[i], verdicts[i]);
    batch_.clear();
    if (engine_.session_count() > cfg_.max_sessions) violated("more sessions than max_sessions");
    if (engine_.subscriber_count() > cfg_.max_subscribers)
      violated("more subscribers than max_subscribers");
  }

 private:
  void check(const Packet& p, const nat::Verdict& v) {
    switch (v.action) {
      case nat::Action::drop:
      case nat::Action::send_icmp:
        if (v.reason == nat::DropReason::none) violated("refused without a reason");
        if (p.bytes != p.original) violated("refused packet was modified");
        return;
      case nat::Action::forward_lan:
      case nat::Action::forward_wan:
      case nat::Action::hairpin:
        if (v.reason != nat::DropReason::none) violated("forwarded with a drop reason");
        break;
      default:
        violated("unknown action");
    }
    if (p.checksums_ok) {
      for (const std::string& problem : checksum_problems(p.bytes, p.transport))
        violated("checksum broken: " + problem);
    }
    if (v.action == nat::Action::forward_wan) no_inside_address(p);
  }

  void no_inside_address(const Packet& p) {
    const std::vector<Field> fields = dissect(p.bytes);
    const auto dst = field_value(fields, "ip.dst");
    if (dst && in_any(cfg_.exclude, *dst)) return;
    for (const char* name : {"ip.src", "ip.dst", "inner.ip.src", "inner.ip.dst"}) {
      const auto a = field_value(fields, name);
      if (a && in_any(cfg_.inside, *a))
        violated(std::string("inside address leaves by the WAN in ") + name);
    }
  }

  nat::EngineConfig cfg_;
  nat::Engine engine_;
  std::vector<Packet> batch_;
  Side side_ = Side::lan;
  std::uint64_t now_ns_ = 0;
};

}  // namespace
}  // namespace masq::test

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  masq::test::Harness harness;
  masq::test::FuzzInputReader reader({data, size});
  std::size_t steps = 0;
  while (const auto step = reader.next()) {
    if (++steps > masq::test::kMaxSteps) break;
    harness.add(*step);
  }
  harness.flush();
  return 0;
}
