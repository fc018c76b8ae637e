// pcp::Server: the PCP (RFC 6887) and NAT-PMP (RFC 6886) server core.
// The caller owns the socket (UDP 5351 at the gateway's LAN address) and
// hands each datagram in with the side it arrived on and its source
// address; the server writes at most one answer into the caller's buffer
// (kMaxMessage octets always suffice) and counts the outcome. Mappings
// are made through a MappingBackend; the server keeps its own bounded
// table of who holds which mapping (nonce, filters, expiry).
// Pure: time is a parameter; no sockets, clocks, logging or allocation
// after construction. One thread owns a Server. Cold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "masq/net/ipv4_addr.hpp"
#include "masq/net/side.hpp"
#include "masq/pcp/backend.hpp"
#include "masq/pcp/counters.hpp"
#include "masq/pcp/mapping.hpp"
#include "masq/pcp/natpmp_wire.hpp"
#include "masq/pcp/pcp_wire.hpp"

namespace masq::pcp {

class MappingTable;

struct ServerConfig {
  bool enabled = false;                  // the server is off unless configured
  bool natpmp = true;                    // answer version-0 requests as NAT-PMP
  bool allow_third_party = false;        // THIRD_PARTY (RFC 6887 §13.1) refused by default
  std::uint32_t min_lifetime_s = 120;    // requested lifetimes are clamped to
  std::uint32_t max_lifetime_s = 86400;  // [min, max] (RFC 6887 §15)
  std::uint32_t max_mappings = 1024;     // the server's table
  std::uint32_t max_mappings_per_host = 64;
  std::uint32_t max_filters = 4;           // FILTER options per mapping, <= kMaxFiltersPerMapping
  std::uint32_t max_requests_per_s = 200;  // beyond: dropped (RFC 6887 §8.3)
  // Lifetime in error responses (RFC 6887 §7.4 long and short errors).
  std::uint32_t long_error_lifetime_s = 1800;
  std::uint32_t short_error_lifetime_s = 30;
  bool operator==(const ServerConfig&) const = default;
};

// The first problem in `c`, or an empty view when it is usable.
std::string_view validate(const ServerConfig& c);

struct Reply {
  std::size_t length = 0;              // octets of the answer in the buffer; 0: none
  DropReason drop = DropReason::none;  // why there is no answer
};

class Server {
 public:
  // Throws std::invalid_argument when validate(config) finds a problem.
  Server(const ServerConfig& config, MappingBackend& backend, std::uint64_t now_s);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Reply handle(Side arrived_on, net::Ipv4Addr source, std::span<const std::uint8_t> request,
               std::span<std::uint8_t> response, std::uint64_t now_s);

  // Releases the mappings whose lifetime ran out; handle() calls it too.
  void expire(std::uint64_t now_s);

  // State loss (RFC 6887 §8.5): forget every mapping and start a new epoch.
  // The backend's mappings are assumed gone with it; send build_announce()
  // afterwards.
  void reset_state(std::uint64_t now_s);
  std::uint32_t epoch_s(std::uint64_t now_s) const;

  // State across a restart (server_state.cpp). Every mapping, with the
  // seconds it has left at now_s.
  void for_each_mapping(
      std::uint64_t now_s,
      const std::function<void(const Mapping&, std::uint32_t left_s)>& visit) const;
  // A saved mapping made again through the backend on its saved external
  // endpoint and no other, with its origin, nonce and filters, for
  // `left_s` more seconds (at most max_lifetime_s); ok, or why not.
  MapStatus restore(const Mapping& saved, std::uint32_t left_s, std::uint64_t now_s);
  // The epoch goes on from one that started `age_s` seconds before now_s
  // (RFC 6887 §8.5: it resets only when state is lost).
  void continue_epoch(std::uint64_t age_s, std::uint64_t now_s);

  // The unsolicited ANNOUNCE (RFC 6887 §14.1.3) for kAllHostsGroup:kClientPort.
  std::size_t build_announce(std::span<std::uint8_t> out, std::uint64_t now_s);
  // The NAT-PMP address announcement (RFC 6886 §3.2.1), same destination.
  std::size_t build_natpmp_announce(net::Ipv4Addr external, std::span<std::uint8_t> out,
                                    std::uint64_t now_s);

  const Counters& counters() const { return counters_; }
  std::size_t mapping_count() const;

 private:
  struct Context;
  Reply handle_pcp(Context& cx);
  Reply handle_natpmp(Context& cx);
  Reply pcp_map(Context& cx, const Request& req, net::Ipv4Addr internal);
  Reply pcp_map_delete(Context& cx, const Request& req, net::Ipv4Addr internal);
  Reply pcp_peer(Context& cx, const Request& req, net::Ipv4Addr internal);
  Reply natpmp_map(Context& cx, const NatPmpRequest& req);
  Reply pcp_error(Context& cx, ResultCode code);
  Reply pcp_success(Context& cx, const Response& r, const Options& echoed);
  Reply natpmp_answer(std::size_t length, NatPmpResult result);
  Reply dropped(DropReason r);
  bool rate_limited(std::uint64_t now_s);
  std::uint32_t clamp_lifetime(std::uint32_t requested_s) const;
  std::uint32_t error_lifetime(ResultCode code) const;
  ResultCode room_for(net::Ipv4Addr internal) const;
  void store(const Mapping& m, Mapping* existing);
  void release(const Mapping& m, std::uint64_t now_s);

  ServerConfig config_;
  MappingBackend& backend_;
  std::unique_ptr<MappingTable> table_;
  Counters counters_;
  std::uint64_t epoch_start_s_;
  std::uint64_t epoch_at_start_s_ = 0;  // the epoch's value at epoch_start_s_
  std::uint64_t next_expiry_s_;
  std::uint64_t window_start_s_ = 0;
  std::uint32_t window_requests_ = 0;
};

}  // namespace masq::pcp
