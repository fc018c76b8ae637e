#include "fuzz/fuzz_config.hpp"

namespace masq::test {
namespace {

net::Ipv4Addr addr(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return net::Ipv4Addr::from_octets(a, b, c, d);
}

}  // namespace

nat::EngineConfig fuzz_engine_config() {
  nat::EngineConfig cfg;
  cfg.inside = {net::Ipv4Prefix(addr(192, 168, 77, 0), 24)};
  cfg.pool = {{addr(203, 0, 113, 1), addr(203, 0, 113, 2)}};
  cfg.static_nat = {{addr(192, 168, 77, 5), addr(203, 0, 113, 50)}};
  cfg.forwards = {
      {net::Proto::tcp, addr(203, 0, 113, 1), {8080, 8080}, addr(192, 168, 77, 3), 8080},
      {net::Proto::udp, addr(203, 0, 113, 1), {6000, 6009}, addr(192, 168, 77, 3), 7000},
  };
  cfg.exclude = {net::Ipv4Prefix(addr(10, 20, 0, 0), 16)};
  cfg.timeouts = {.udp_s = 30,
                  .icmp_s = 10,
                  .tcp_established_s = 120,
                  .tcp_opening_s = 20,
                  .tcp_transitory_s = 15};
  cfg.max_sessions = 64;
  cfg.max_subscribers = 8;
  cfg.sessions_per_subscriber = 24;
  cfg.ports_per_subscriber = 12;
  cfg.port_probe_limit = 8;
  cfg.expiry_scan_per_batch = 4;
  cfg.reclaim_scan_limit = 16;
  // The counts are indexed by session slot on every path that translates:
  // the fuzzer's sanitizers see each of them.
  cfg.accounting = true;
  cfg.seed = 1;
  return cfg;
}

}  // namespace masq::test
