// Drives an Engine one packet at a time from bytes, as the engine-level
// tests (engine_test, new_flow_test, icmp_errors_test) do: the bytes are
// parsed with the one parser first, as every caller of Engine::process()
// does. Cold, test only.
#pragma once

#include <cstdint>
#include <vector>

#include "masq/nat/engine.hpp"
#include "masq/net/byte_order.hpp"
#include "support/packet_builder.hpp"

namespace masq::nat::harness {

inline constexpr std::uint64_t kSecond = 1'000'000'000ull;

// The topology most engine tests share: hosts of 10.0.0.0/16 behind one
// public address, and a server on the WAN.
inline const net::Ipv4Addr kPublic = net::Ipv4Addr::from_octets(203, 0, 113, 1);
inline const net::Ipv4Addr kHostA = net::Ipv4Addr::from_octets(10, 0, 0, 2);
inline const net::Ipv4Addr kHostB = net::Ipv4Addr::from_octets(10, 0, 0, 3);
inline const net::Ipv4Addr kServer = net::Ipv4Addr::from_octets(198, 51, 100, 1);

// A small engine on it: 10.0.0.0/16 inside, kPublic the whole pool, 64
// sessions.
inline EngineConfig small_config() {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("10.0.0.0/16")};
  cfg.pool = {{kPublic, kPublic}};
  cfg.max_sessions = 64;
  return cfg;
}

inline Verdict run(Engine& e, std::vector<std::uint8_t>& pkt, Side side, std::uint64_t now_ns,
                   bool l4_seed = false) {
  Verdict v;
  const PacketRef ref = parse_packet(pkt, l4_seed);
  e.process({&ref, 1}, side, now_ns, {&v, 1});
  return v;
}

inline test::PacketSpec flow(test::L4Kind kind, net::Ipv4Addr src, std::uint16_t sport,
                             net::Ipv4Addr dst, std::uint16_t dport) {
  test::PacketSpec s;
  s.kind = kind;
  s.src = src;
  s.dst = dst;
  s.src_port = sport;
  s.dst_port = dport;
  return s;
}

inline std::vector<std::uint8_t> udp(net::Ipv4Addr src, std::uint16_t sport, net::Ipv4Addr dst,
                                     std::uint16_t dport) {
  test::PacketSpec s = flow(test::L4Kind::udp, src, sport, dst, dport);
  s.payload = {1, 2, 3, 4, 5};
  return test::build_packet(s);
}

inline std::vector<std::uint8_t> syn(net::Ipv4Addr src, std::uint16_t sport, net::Ipv4Addr dst,
                                     std::uint16_t dport) {
  test::PacketSpec s = flow(test::L4Kind::tcp, src, sport, dst, dport);
  s.tcp_flags = 0x02;
  return test::build_packet(s);
}

// The addresses and ports of an IPv4 packet without options.
inline net::Ipv4Addr src_of(const std::vector<std::uint8_t>& p) {
  return net::Ipv4Addr(net::load_be32(p.data() + 12));
}
inline net::Ipv4Addr dst_of(const std::vector<std::uint8_t>& p) {
  return net::Ipv4Addr(net::load_be32(p.data() + 16));
}
inline std::uint16_t sport_of(const std::vector<std::uint8_t>& p) {
  return net::load_be16(p.data() + 20);
}

}  // namespace masq::nat::harness
