// libFuzzer target over the PCP / NAT-PMP server: the input is a script of
// datagrams, each `len, flags, len octets` (flags bit 0: arrived on the
// WAN; bits 1-2: which of four LAN hosts sent it; bits 3-5: seconds to
// advance first; bit 6: reset_state before it). A small server (tight
// table, quota and rate limit, THIRD_PARTY allowed) over a bookkeeping
// backend; besides the sanitizers, it traps when:
//  - an answer is longer than the buffer or RFC 6887's 1100 octets, or a
//    drop has an answer / an answer has a drop reason;
//  - a PCP answer is not version 2 with the R bit and a length that is a
//    multiple of 4, or a NAT-PMP answer is not version 0 with bit 7 of op;
//  - anything is answered on the WAN side;
//  - the server's table and the backend's live mappings disagree, or the
//    table outgrows its bound;
//  - result counters do not add up to the answers sent.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <tuple>

#include "masq/pcp/server.hpp"

namespace masq::pcp {
namespace {

[[noreturn]] void violated(const std::string& what) {
  std::fprintf(stderr, "fuzz_pcp: %s\n", what.c_str());
  std::abort();
}

// Keeps every live mapping; refuses some suggestions and some hosts so
// that the refusal paths run too.
class BookkeepingBackend : public MappingBackend {
 public:
  using Key = std::tuple<int, std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t>;

  bool supports(net::Proto p) const override { return p != net::Proto::icmp; }

  MapResult map(const MapRequest& r, std::uint64_t) override {
    if (r.suggested.port == 7) return MapResult{MapStatus::no_resources, {}};
    if (r.internal.port == 22) return MapResult{MapStatus::internal_is_static, {}};
    const Key k = key(r.proto, r.internal, r.peer);
    const auto it = live_.find(k);
    if (r.current) {
      if (it == live_.end() || it->second != *r.current) violated("refresh of an unknown mapping");
      return MapResult{MapStatus::ok, *r.current};
    }
    if (it != live_.end()) violated("a second mapping for one internal endpoint");
    if (r.prefer_failure && r.suggested.port != 0 && r.suggested.port < 1024)
      return MapResult{MapStatus::suggested_unavailable, {}};
    const Endpoint ext{net::Ipv4Addr::from_octets(203, 0, 113, 1), next_port_++};
    live_.emplace(k, ext);
    return MapResult{MapStatus::ok, ext};
  }

  void unmap(const MappingRef& m, std::uint64_t /*now_s*/) override {
    const auto it = live_.find(key(m.proto, m.internal, m.peer));
    if (it == live_.end() || it->second != m.external) violated("unmap of an unknown mapping");
    live_.erase(it);
  }

  bool is_operator_mapping(net::Proto, Endpoint internal) const override {
    return internal.port == 22;
  }

  std::optional<net::Ipv4Addr> external_address(net::Ipv4Addr) const override {
    return net::Ipv4Addr::from_octets(203, 0, 113, 1);
  }

  void forget() { live_.clear(); }
  std::size_t live() const { return live_.size(); }

 private:
  static Key key(net::Proto p, Endpoint in, const std::optional<Endpoint>& peer) {
    return {static_cast<int>(p), in.addr.value(), in.port, peer ? peer->addr.value() : 0u,
            peer ? peer->port : std::uint16_t{0}};
  }
  std::map<Key, Endpoint> live_;
  std::uint16_t next_port_ = 1024;
};

void check_answer(const Reply& r, std::span<const std::uint8_t> in,
                  std::span<const std::uint8_t> out, Side side) {
  if ((r.length == 0) == (r.drop == DropReason::none)) violated("answer and drop disagree");
  if (r.length == 0) return;
  if (side == Side::wan) violated("answered on the WAN");
  if (r.length > out.size() || r.length > kMaxMessage) violated("answer too long");
  if (!in.empty() && in[0] == kNatPmpVersion) {
    if (out[0] != kNatPmpVersion || (out[1] & kNatPmpResponseBit) == 0 || r.length < 8)
      violated("bad NAT-PMP answer");
    return;
  }
  if (out[0] != kPcpVersion || (out[1] & kResponseBit) == 0 || r.length % 4 != 0 ||
      r.length < kHeaderSize)
    violated("bad PCP answer");
}

}  // namespace
}  // namespace masq::pcp

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace masq;
  using namespace masq::pcp;
  ServerConfig config;
  config.enabled = true;
  config.allow_third_party = true;
  config.max_mappings = 6;
  config.max_mappings_per_host = 4;
  config.max_filters = 2;
  config.max_requests_per_s = 16;
  BookkeepingBackend backend;
  std::uint64_t now_s = 100;
  Server server(config, backend, now_s);
  std::array<std::uint8_t, kMaxMessage + 16> out{};

  const std::span<const std::uint8_t> input(data, size);
  std::size_t at = 0;
  while (size - at >= 2) {
    const std::size_t len = std::min<std::size_t>(input[at], size - at - 2);
    const std::uint8_t flags = input[at + 1];
    // Lengths past 255 come from repeating the last octets' pattern: a
    // datagram of up to 1200 octets when the length octet is 255.
    std::array<std::uint8_t, 1200> datagram{};
    std::size_t dlen = len;
    std::copy_n(data + at + 2, len, datagram.begin());
    if (len == 255) {
      dlen = datagram.size();
      for (std::size_t i = len; i < dlen; ++i) datagram[i] = datagram[i % 252];
    }
    at += 2 + len;
    const Side side = (flags & 1) != 0 ? Side::wan : Side::lan;
    const auto host =
        net::Ipv4Addr::from_octets(192, 168, 1, static_cast<std::uint8_t>(10 + ((flags >> 1) & 3)));
    now_s += (flags >> 3) & 7;
    if ((flags & 0x40) != 0) {
      server.reset_state(now_s);
      backend.forget();
    }
    const std::span<const std::uint8_t> req(datagram.data(), dlen);
    const Reply r = server.handle(side, host, req, out, now_s);
    check_answer(r, req, std::span<const std::uint8_t>(out.data(), r.length), side);
    if (server.mapping_count() != backend.live()) violated("table and backend disagree");
    if (server.mapping_count() > config.max_mappings) violated("table over its bound");
  }
  const Counters& c = server.counters();
  const std::uint64_t results =
      std::accumulate(c.pcp_results.begin(), c.pcp_results.end(), std::uint64_t{0}) +
      std::accumulate(c.natpmp_results.begin(), c.natpmp_results.end(), std::uint64_t{0});
  if (results != c.responses) masq::pcp::violated("result counters do not add up");
  return 0;
}
