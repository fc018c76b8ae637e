// libFuzzer target over the router's Reassembler, which faces the WAN and
// holds state. The input's first byte picks a regime, the rest is a script
// of fragments, each
//   [key] [flags] [offset_blocks] [length] [dt] [data seed]
// key: bit 0 the side, bit 1 (bits 1-2 under stress) the datagram id, bit 3
// the protocol (under stress); flags: bit 0 MF, bit 1 IP options (a 24-byte
// header); offset in 8-byte blocks and length in bytes, one byte each (x8
// and x4, so datagrams reach a few KiB); dt: milliseconds added to the
// clock. The data bytes come from the seed, so overlaps may repeat or differ.
// Regimes:
//  - exact (first byte odd): four keys for four contexts and no timeout, so
//    a context lives from its key's first fragment until it completes or is
//    dropped for a fragment of its own (seen in the counters), and the model
//    knows every byte each context was given;
//  - stress: sixteen keys, evictions and timeouts.
// Traps when:
//  - a returned datagram is malformed: header checksum, total length, MF or
//    offset set, larger than the configured maximum, another key's header;
//  - a data byte of a returned datagram is not the one last given at its
//    offset; in the exact regime, also one given more than once (an
//    overlap, which must drop the datagram, identical bytes or not);
//  - more datagrams are in progress than there are contexts.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "masq/net/byte_order.hpp"
#include "masq/router/reassembler.hpp"
#include "support/inet_checksum.hpp"

namespace masq::test {
namespace {

constexpr std::uint32_t kContexts = 4;
constexpr std::size_t kMaxBytes = 4096;
constexpr std::uint64_t kStressTimeoutNs = 1'000'000'000;
constexpr std::uint64_t kNoTimeoutNs = std::uint64_t{1} << 62;
constexpr std::size_t kModelBytes = kMaxBytes + 2048;  // offsets reach 2040 + 1020

[[noreturn]] void violated(const std::string& what) {
  std::fprintf(stderr, "fuzz_reassembler: %s\n", what.c_str());
  std::abort();
}

using Key = std::tuple<int, std::uint16_t, std::uint8_t>;  // side, id, protocol

std::vector<std::uint8_t> fragment(const Key& key, bool more, bool options, std::size_t offset,
                                   std::size_t length, std::uint8_t seed) {
  const std::size_t header = options ? 24 : 20;
  std::vector<std::uint8_t> f(header + length);
  f[0] = static_cast<std::uint8_t>(0x40 | header / 4);
  net::store_be16(f.data() + 2, static_cast<std::uint16_t>(f.size()));
  net::store_be16(f.data() + 4, std::get<1>(key));
  net::store_be16(f.data() + 6,
                  static_cast<std::uint16_t>((more ? 0x2000 : 0) | ((offset / 8) & 0x1FFF)));
  f[8] = 64;
  f[9] = std::get<2>(key);
  net::store_be32(f.data() + 12, 0xC6336401);  // 198.51.100.1
  net::store_be32(f.data() + 16, 0xCB007101);  // 203.0.113.1
  if (options) {
    f[20] = f[21] = f[22] = 1;  // NOP NOP NOP EOL
    f[23] = 0;
  }
  OnesSum sum;
  sum.add({f.data(), header});
  net::store_be16(f.data() + 10, sum.checksum());
  for (std::size_t i = 0; i < length; ++i) {
    f[header + i] = static_cast<std::uint8_t>(seed * 31 + (offset + i) * 7);
  }
  return f;
}

// Per key, for each data offset: the byte the script last gave there (-1:
// none) and how many times it was given since the key's context began.
struct Model {
  std::vector<int> last = std::vector<int>(kModelBytes, -1);
  std::vector<std::uint8_t> given = std::vector<std::uint8_t>(kModelBytes, 0);
  void reset() {
    std::fill(last.begin(), last.end(), -1);
    std::fill(given.begin(), given.end(), 0);
  }
};

void check(std::span<const std::uint8_t> d, const Key& key, const Model& m, bool exact) {
  if (d.size() < 20 || d.size() > kMaxBytes) violated("datagram size outside the limits");
  const std::size_t header = std::size_t{d[0] & 0x0Fu} * 4;
  OnesSum sum;
  sum.add(d.first(header));
  if (!sum.verifies()) violated("header checksum does not verify");
  if (net::load_be16(d.data() + 2) != d.size()) violated("total length is not the datagram's");
  if ((net::load_be16(d.data() + 6) & 0x3FFF) != 0) violated("MF or offset left set");
  if (net::load_be16(d.data() + 4) != std::get<1>(key) || d[9] != std::get<2>(key)) {
    violated("another datagram's header");
  }
  for (std::size_t i = header; i < d.size(); ++i) {
    if (m.last[i - header] != d[i]) violated("a data byte that was not the last given");
    if (exact && m.given[i - header] != 1) violated("a data byte given more than once");
  }
}

}  // namespace
}  // namespace masq::test

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace masq;
  using namespace masq::test;
  if (size == 0) return 0;
  const bool exact = (data[0] & 1) != 0;
  router::RouterCounters counters;
  router::Reassembler reassembler(kContexts, kMaxBytes, exact ? kNoTimeoutNs : kStressTimeoutNs,
                                  counters);
  std::map<Key, Model> models;
  std::uint64_t now_ns = 0;
  for (std::size_t at = 1; at + 6 <= size; at += 6) {
    const std::uint8_t* s = data + at;
    const int id_bits = exact ? (s[0] >> 1 & 1) : (s[0] >> 1 & 3);
    const bool udp = exact || (s[0] & 8) != 0;
    const Key key{s[0] & 1, static_cast<std::uint16_t>(0x100 + id_bits),
                  udp ? std::uint8_t{17} : std::uint8_t{6}};
    const bool more = (s[1] & 1) != 0;
    const bool options = (s[1] & 2) != 0;
    const std::size_t offset = std::size_t{s[2]} * 8;
    std::size_t length = std::size_t{s[3]} * 4;
    if (more) length -= length % 8;  // otherwise refused before the reassembler
    if (more && length == 0) length = 8;
    if (!more && offset == 0) continue;  // a whole datagram: not the reassembler's
    now_ns += std::uint64_t{s[4]} * 1'000'000;
    reassembler.release();  // as the router does at the start of each call
    const auto f = fragment(key, more, options, offset, length, s[5]);
    Model& m = models[key];
    for (std::size_t i = 0; i < length; ++i) {
      m.last[offset + i] = f[f.size() - length + i];
      ++m.given[offset + i];
    }
    const std::uint64_t drops_before = counters.total_drops();
    const Side side = std::get<0>(key) == 0 ? Side::lan : Side::wan;
    const std::span<std::uint8_t> d = reassembler.add(f, side, now_ns);
    if (!d.empty()) {
      check(d, key, m, exact);
      m.reset();
    } else if (exact && counters.total_drops() != drops_before) {
      m.reset();  // this key's context is gone, with what it was given
    }
    if (reassembler.in_progress() > kContexts) violated("more datagrams than contexts");
  }
  return 0;
}
