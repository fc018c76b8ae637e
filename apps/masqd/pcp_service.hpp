// PcpService: a worker's PCP and NAT-PMP server (pcp::Server over its own
// engine through pcp::EngineBackend), fed the datagrams the router hands
// out for UDP 5351 on the LAN address (router/local_udp.hpp). It answers
// each on the LAN port, expires mappings from the worker's tick, and
// multicasts the unsolicited announcements (PCP ANNOUNCE, RFC 6887
// §14.1.3; NAT-PMP address, RFC 6886 §3.2.1) to 224.0.0.1:5350 at start
// and after state loss. One per worker, owned by it: each worker's server
// maps the hosts whose traffic its engine sees. Cold.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "masq/io/frame_port.hpp"
#include "masq/nat/engine.hpp"
#include "masq/pcp/engine_backend.hpp"
#include "masq/pcp/server.hpp"
#include "masq/router/local_udp.hpp"
#include "masq/router/router_config.hpp"
#include "masq/state/snapshot.hpp"

namespace masq::app {

class PcpService {
 public:
  // `external`: the address the NAT-PMP announcement names (the pool's first).
  // Throws std::invalid_argument when pcp::validate(config) finds a problem.
  // `announces`: whether this one sends the announcements (with several
  // workers, one server speaks for the gateway).
  PcpService(const pcp::ServerConfig& config, nat::Engine& engine,
             const router::RouterConfig& router, net::Ipv4Addr external, std::uint64_t now_ns,
             bool announces = true);

  // Answers the datagrams of one router call on `lan` (before the rx
  // frames they point into are released).
  void serve(std::span<const router::LocalDatagram> datagrams, io::FramePort& lan,
             std::uint64_t now_ns);
  // Expiry, and the announcements still due.
  void tick(io::FramePort& lan, std::uint64_t now_ns);
  // State loss (RFC 6887 §8.5): a new epoch, announced again.
  void reset_state(std::uint64_t now_ns);
  // The external address changed (the WAN's DHCP lease): the mappings on
  // the old one are gone, which is state loss, and the new address is
  // announced (RFC 6886 §3.2.1). None (0.0.0.0): nothing to announce.
  void readdressed(net::Ipv4Addr external, std::uint64_t now_ns);

  const pcp::Counters& counters() const { return server_.counters(); }

  // State across a restart (docs/operations.md): the mappings, with the
  // seconds each has left, appended to `out`; the epoch's age, returned.
  std::uint32_t save(std::vector<state::SavedMapping>& out, std::uint64_t now_ns) const;
  // A saved mapping made again (pcp::Server::restore()).
  pcp::MapStatus restore(const state::SavedMapping& saved, std::uint32_t left_s,
                         std::uint64_t now_ns);
  // The epoch goes on from one `age_s` old (RFC 6887 §8.5).
  void continue_epoch(std::uint64_t age_s, std::uint64_t now_ns);

 private:
  void announce(io::FramePort& lan, std::uint64_t now_ns);
  std::span<std::uint8_t> frame_buffer(std::size_t i);

  bool announces_;
  pcp::EngineBackend backend_;
  pcp::Server server_;
  router::MacAddr mac_;
  net::Ipv4Addr address_;
  net::Ipv4Addr external_;
  std::uint8_t ttl_;
  std::uint16_t ip_id_ = 0;
  std::vector<std::uint8_t> buffers_;  // one answer frame per slot
  std::vector<net::Frame> frames_;
  // RFC 6886 §3.2.1: ten announcements, 250 ms apart and doubling.
  std::uint32_t announcements_left_ = 0;
  std::uint64_t next_announcement_ns_ = 0;
  std::uint64_t announcement_gap_ns_ = 0;
};

}  // namespace masq::app
