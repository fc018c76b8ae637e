// Engine: the NAT44 translation engine. Batches of IPv4 packets in, each
// rewritten in place, a Verdict out for every one.
//
// Pure: no sockets, clocks, threads, logging, exceptions or allocation
// inside process(); `now_ns` is whatever monotonic clock the caller uses.
// All tables are allocated in the constructor, sized from EngineConfig.
// Not thread-safe: one engine per worker thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "masq/nat/counters.hpp"
#include "masq/nat/engine_config.hpp"
#include "masq/nat/explicit_mapping.hpp"
#include "masq/nat/restore.hpp"
#include "masq/nat/session_event.hpp"
#include "masq/nat/session_view.hpp"
#include "masq/nat/usage.hpp"
#include "masq/nat/verdict.hpp"
#include "masq/net/parse.hpp"

namespace masq::nat {

// One IPv4 packet (no link-layer header) as net::parse_ipv4() made of it:
// the caller parses once (the router does, header checksum included) and
// the engine works on that parse without repeating it. The packet is
// rewritten in place through packet.ip and packet.l4; its length never
// changes (NAT44 without ALGs does not resize packets). Whole datagrams
// only: the caller reassembles fragments first (RFC 4787 REQ-14), and one
// that still arrives is dropped as DropReason::fragment. `error`: the
// parser refused the bytes, and the engine drops the packet with the reason
// that names it (a caller that counts its own refusals, as the router
// does, hands none over). packet.l4_seed: a TCP packet whose checksum
// field holds the pseudo-header seed of a checksum the egress device will
// finish (a super-frame, docs/adr/0004): a translation updates it for the
// addresses only, as Linux's NAT does. Only TCP travels so (UDP
// super-frames are segmented on receive); the flag means nothing for
// other protocols.
struct PacketRef {
  net::ParsedPacket packet;
  net::ParseError error = net::ParseError::ok;
};

// For callers that hold raw bytes (tests, fuzzing, benchmarks, replay):
// the one parser's result as a PacketRef. `bytes` may hold link-layer
// padding beyond the IPv4 total length.
inline PacketRef parse_packet(std::span<std::uint8_t> bytes, bool l4_seed = false) noexcept {
  const net::ParseResult parsed = net::parse_ipv4(bytes);
  PacketRef ref{parsed.packet, parsed.error};
  ref.packet.l4_seed = l4_seed;
  return ref;
}

class Engine {
 public:
  // Throws std::invalid_argument when validate(cfg) finds problems; call
  // validate() first for the messages.
  explicit Engine(const EngineConfig& cfg);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Processes packets that arrived on `from`. verdicts.size() must be >= batch.size().
  void process(std::span<const PacketRef> batch, Side from, std::uint64_t now_ns,
               std::span<Verdict> verdicts) noexcept;

  // Explicit mappings (explicit_mapping.hpp): made, or refreshed with new
  // lifetime and filters, and ended. Cold: per PCP request.
  ExplicitResult map_explicit(const ExplicitRequest& r, std::uint64_t now_ns);
  void unmap_explicit(net::Proto proto, ExplicitEndpoint internal,
                      std::optional<ExplicitEndpoint> peer, std::uint64_t now_ns);
  // External address `from` becomes `to` (the WAN address changed: a new
  // DHCP lease; 0.0.0.0 while there is none): new flows take `to`, and so
  // do the port forwards and the host's ports that were on `from`. Every
  // session and mapping on `from` is removed (added to `removed` and to
  // Counters::sessions_readdressed): its peers send to an address that is
  // not ours any more. While no address is known, no new flow is translated
  // (DropReason::no_external_address). False, and nothing changed, when
  // `from` is not one of the pool's addresses or `to` already is.
  // Cold: walks the whole table.
  bool readdress(net::Ipv4Addr from, net::Ipv4Addr to, std::uint64_t now_ns, std::size_t& removed);
  // Takes `next` as the config (a reload, a forward or static rule added or
  // removed at run time): what restart_only_changes() names must be as it
  // is (false, and nothing changed, otherwise, or when `next` is invalid).
  // Every session `next` would not let restore() put back is removed (to
  // `removed` and Counters::sessions_reconfigured): a reload keeps exactly
  // what a restart with a snapshot would, without the restart. Shorter
  // timeouts shorten the live sessions at once. Cold: walks the whole table.
  bool reconfigure(const EngineConfig& next, std::uint64_t now_ns, std::size_t& removed);
  // Whether a static NAT rule or a port forward decides this endpoint.
  bool is_operator_mapping(net::Proto proto, ExplicitEndpoint internal) const;
  // The external address a host's mappings use (paired pooling), or none.
  std::optional<net::Ipv4Addr> external_address(net::Ipv4Addr internal) const;
  // RFC 5382 REQ-4 with EngineConfig::unsolicited_syn_icmp: each
  // unsolicited inbound SYN held for 6 s that no outbound SYN for the same
  // connection followed, as it arrived (its IP header and at least 8 bytes
  // more), is handed to `visit`, to be answered with ICMP port
  // unreachable, and forgotten. Nothing is ever held without the option.
  // Cold: call it from time to time (the router's tick does).
  void release_held_syns(std::uint64_t now_ns,
                         const std::function<void(std::span<const std::uint8_t>)>& visit);
  // The worker a packet that arrived on `from` belongs to (port_slice.hpp):
  // a LAN packet its subscriber's, a WAN packet the one holding the session
  // of its destination (a forward's or static address's host, else the
  // slice of the port, ICMP identifier or an error's quoted source port),
  // a WAN fragment its source's until reassembled. worker().index when
  // nothing says otherwise.
  std::uint32_t owner(const net::ParsedPacket& pkt, Side from) const noexcept;
  // The worker a saved session belongs to: the one WAN packets to its
  // external endpoint reach, by the same rules.
  std::uint32_t owner(const SessionView& saved) const noexcept;
  WorkerSlice worker() const noexcept;

  const Counters& counters() const noexcept;
  std::size_t session_count() const noexcept;
  std::size_t subscriber_count() const noexcept;
  // Bytes held by the engine's tables (the session pool and every index).
  std::size_t memory_bytes() const noexcept;
  // Every known pool address, for each protocol (usage.hpp). Cold.
  std::vector<AddressUse> address_use() const;
  // The `n` subscribers holding the most mappings (then sessions), most
  // first. Cold: walks the subscriber table.
  std::vector<SubscriberUse> busiest_subscribers(std::size_t n) const;

  // Visits every live session, in no particular order. Cold path.
  void for_each_session(const std::function<void(const SessionView&)>& visit,
                        std::uint64_t now_ns) const;
  // Visits the live sessions among `budget` (> 0) session slots from
  // `cursor` on, so that a caller between batches can walk the table in
  // slices of bounded cost. Returns the cursor to go on from, 0 once the
  // last slot ever used has been visited (a walk of a table far from full
  // is short). A session live for the whole walk is visited exactly once.
  // Cold path.
  std::size_t for_each_session_from(std::size_t cursor, std::size_t budget,
                                    const std::function<void(const SessionView&)>& visit,
                                    std::uint64_t now_ns) const;
  // Removes the live sessions among `budget` (> 0) session slots from
  // `cursor` on that `match` selects, as though they expired at now_ns:
  // the subscriber's session and port quotas are given back, and the last
  // session of a mapping lets its port rest for port_reuse_delay_s (RFC
  // 6888 REQ-8) as expiry does. Adds how many went to `removed` (and to
  // Counters::sessions_deleted). Walked in slices like
  // for_each_session_from(); returns the cursor to go on from, 0 at the end.
  // Cold path.
  std::size_t remove_sessions_from(std::size_t cursor, std::size_t budget,
                                   const std::function<bool(const SessionView&)>& match,
                                   std::uint64_t now_ns, std::size_t& removed);
  // Puts a saved session back (restore.hpp): `saved` as a session walk
  // showed it, expires_in_s the lifetime it has left at now_ns (capped to
  // its state's timeout in this config). Explicit mappings' anchors are
  // refused (explicit_mapping): they come back through map_explicit().
  // Cold: at start, before any packet.
  RestoreOutcome restore(const SessionView& saved, std::uint64_t now_ns);

  // Hands the session events recorded since the last call to `visit`,
  // oldest first, and forgets them; returns how many. None unless
  // EngineConfig::event_ring_capacity is set; those the full ring could not
  // take are counted in Counters::events_dropped. Cold: between batches.
  std::size_t drain_events(const std::function<void(const SessionEvent&)>& visit);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace masq::nat
