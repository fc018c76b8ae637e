#include "masq/pcp/server.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "mapping_table.hpp"

namespace masq::pcp {
namespace {

std::optional<net::Proto> proto_of(std::uint8_t number) {
  if (!net::is_supported_proto(number)) return std::nullopt;
  return static_cast<net::Proto>(number);
}

// RFC 6887 §7.4: the errors a client may retry soon.
bool is_short_lifetime_error(ResultCode c) {
  return c == ResultCode::network_failure || c == ResultCode::no_resources ||
         c == ResultCode::user_ex_quota || c == ResultCode::cannot_provide_external;
}

ResultCode pcp_result_of(MapStatus s) {
  switch (s) {
    case MapStatus::ok:
      return ResultCode::success;
    case MapStatus::no_resources:
      return ResultCode::no_resources;
    case MapStatus::user_ex_quota:
      return ResultCode::user_ex_quota;
    case MapStatus::no_external_address:
      return ResultCode::network_failure;
    case MapStatus::suggested_unavailable:
      return ResultCode::cannot_provide_external;
    // An operator's mapping is not the client's to change (RFC 6887 §11.3).
    case MapStatus::internal_is_static:
    case MapStatus::internal_is_forwarded:
      return ResultCode::not_authorized;
    case MapStatus::unsupported_protocol:
      return ResultCode::unsupp_protocol;
  }
  return ResultCode::no_resources;
}

NatPmpResult natpmp_result_of(MapStatus s) {
  switch (s) {
    case MapStatus::ok:
      return NatPmpResult::success;
    case MapStatus::no_resources:
    case MapStatus::user_ex_quota:
    case MapStatus::suggested_unavailable:
      return NatPmpResult::out_of_resources;
    case MapStatus::no_external_address:
      return NatPmpResult::network_failure;
    case MapStatus::internal_is_static:
    case MapStatus::internal_is_forwarded:
    case MapStatus::unsupported_protocol:
      return NatPmpResult::not_authorized;
  }
  return NatPmpResult::out_of_resources;
}

}  // namespace

struct Server::Context {
  net::Ipv4Addr source;
  std::span<const std::uint8_t> request;
  std::span<std::uint8_t> response;
  std::uint64_t now_s;
  std::uint32_t epoch_s;
};

std::string_view validate(const ServerConfig& c) {
  if (c.min_lifetime_s == 0) return "min_lifetime_s must be at least 1 (0 means delete)";
  if (c.min_lifetime_s > c.max_lifetime_s) return "min_lifetime_s exceeds max_lifetime_s";
  if (c.max_mappings == 0) return "max_mappings must be at least 1";
  if (c.max_mappings_per_host == 0) return "max_mappings_per_host must be at least 1";
  if (c.max_filters > kMaxFiltersPerMapping) return "max_filters exceeds 8";
  if (c.max_requests_per_s == 0) return "max_requests_per_s must be at least 1";
  return {};
}

Server::Server(const ServerConfig& config, MappingBackend& backend, std::uint64_t now_s)
    : config_(config),
      backend_(backend),
      epoch_start_s_(now_s),
      next_expiry_s_(std::numeric_limits<std::uint64_t>::max()) {
  if (const std::string_view problem = validate(config); !problem.empty())
    throw std::invalid_argument(std::string("pcp: ") + std::string(problem));
  table_ = std::make_unique<MappingTable>(config.max_mappings);
}

Server::~Server() = default;

std::size_t Server::mapping_count() const {
  return table_->size();
}

std::uint32_t Server::epoch_s(std::uint64_t now_s) const {
  const std::uint64_t since = now_s > epoch_start_s_ ? now_s - epoch_start_s_ : 0;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(
      epoch_at_start_s_ + since, std::numeric_limits<std::uint32_t>::max()));
}

void Server::reset_state(std::uint64_t now_s) {
  table_->clear();
  epoch_start_s_ = now_s;
  epoch_at_start_s_ = 0;
  next_expiry_s_ = std::numeric_limits<std::uint64_t>::max();
  ++counters_.state_resets;
}

std::size_t Server::build_announce(std::span<std::uint8_t> out, std::uint64_t now_s) {
  const std::size_t n = encode_announce(epoch_s(now_s), out);
  if (n != 0) ++counters_.announces_built;
  return n;
}

std::size_t Server::build_natpmp_announce(net::Ipv4Addr external, std::span<std::uint8_t> out,
                                          std::uint64_t now_s) {
  const std::size_t n = encode_natpmp_address(NatPmpResult::success, epoch_s(now_s), external, out);
  if (n != 0) ++counters_.announces_built;
  return n;
}

// Whether one more mapping fits: the table (NO_RESOURCES) and the host's
// share of it (USER_EX_QUOTA, RFC 6887 §7.4).
ResultCode Server::room_for(net::Ipv4Addr internal) const {
  if (table_->full()) return ResultCode::no_resources;
  if (table_->count_host(internal) >= config_.max_mappings_per_host) {
    return ResultCode::user_ex_quota;
  }
  return ResultCode::success;
}

// A granted mapping: it replaces what the same client held, or takes a
// new slot (the caller checked there is one).
void Server::store(const Mapping& m, Mapping* existing) {
  if (existing != nullptr) {
    *existing = m;
    ++counters_.mappings_refreshed;
  } else {
    table_->insert(m);
    ++counters_.mappings_created;
  }
  next_expiry_s_ = std::min(next_expiry_s_, m.expire_s);
}

void Server::release(const Mapping& m, std::uint64_t now_s) {
  backend_.unmap(m.ref(), now_s);
}

void Server::expire(std::uint64_t now_s) {
  if (now_s < next_expiry_s_) return;
  counters_.mappings_expired +=
      table_->erase_if([now_s](const Mapping& m) { return m.expire_s <= now_s; },
                       [this, now_s](const Mapping& m) { release(m, now_s); });
  next_expiry_s_ = table_->next_expiry_s();
}

bool Server::rate_limited(std::uint64_t now_s) {
  if (now_s != window_start_s_) {
    window_start_s_ = now_s;
    window_requests_ = 0;
  }
  return ++window_requests_ > config_.max_requests_per_s;
}

std::uint32_t Server::clamp_lifetime(std::uint32_t requested_s) const {
  return std::clamp(requested_s, config_.min_lifetime_s, config_.max_lifetime_s);
}

std::uint32_t Server::error_lifetime(ResultCode code) const {
  return is_short_lifetime_error(code) ? config_.short_error_lifetime_s
                                       : config_.long_error_lifetime_s;
}

Reply Server::dropped(DropReason r) {
  ++counters_.drops[static_cast<std::size_t>(r)];
  return Reply{0, r};
}

Reply Server::handle(Side arrived_on, net::Ipv4Addr source, std::span<const std::uint8_t> request,
                     std::span<std::uint8_t> response, std::uint64_t now_s) {
  if (!config_.enabled) return dropped(DropReason::disabled);
  // RFC 6887 §8.3 item 1, RFC 6886 §3: never answer the external side.
  if (arrived_on != Side::lan) return dropped(DropReason::wan_side);
  if (rate_limited(now_s)) return dropped(DropReason::rate_limited);
  expire(now_s);
  Context cx{source, request, response, now_s, epoch_s(now_s)};
  // RFC 6887 §9: version 0 is NAT-PMP on the same port.
  if (!request.empty() && request[0] == kNatPmpVersion) {
    ++counters_.natpmp_requests;
    return handle_natpmp(cx);
  }
  ++counters_.pcp_requests;
  return handle_pcp(cx);
}

Reply Server::pcp_error(Context& cx, ResultCode code) {
  const std::size_t n =
      encode_error_response(cx.request, code, error_lifetime(code), cx.epoch_s, cx.response);
  if (n == 0) return dropped(DropReason::buffer_too_small);
  ++counters_.pcp_results[static_cast<std::size_t>(code)];
  ++counters_.responses;
  return Reply{n, DropReason::none};
}

Reply Server::pcp_success(Context& cx, const Response& r, const Options& echoed) {
  const std::size_t n = encode_response(r, echoed, cx.response);
  if (n == 0) return dropped(DropReason::buffer_too_small);
  ++counters_.pcp_results[static_cast<std::size_t>(ResultCode::success)];
  ++counters_.responses;
  return Reply{n, DropReason::none};
}

Reply Server::handle_pcp(Context& cx) {
  const Decoded d = decode_request(cx.request);
  if (d.kind == Decoded::Kind::drop) return dropped(d.drop);
  if (d.kind == Decoded::Kind::error) return pcp_error(cx, d.error);
  const Request& req = d.request;

  // §8.3: the client's own idea of its address must be what we see; a NAT
  // between client and server would make mappings useless.
  const std::optional<net::Ipv4Addr> client = as_ipv4(req.client_addr);
  if (!client || *client != cx.source) return pcp_error(cx, ResultCode::address_mismatch);

  net::Ipv4Addr internal = cx.source;
  if (req.options.third_party) {
    // §13.1: a mapping on behalf of another host only where policy allows.
    if (!config_.allow_third_party) return pcp_error(cx, ResultCode::not_authorized);
    const std::optional<net::Ipv4Addr> tp = as_ipv4(*req.options.third_party);
    // §13.1: naming the sender itself, or no host at all, is malformed.
    if (!tp || tp->is_unspecified() || *tp == cx.source)
      return pcp_error(cx, ResultCode::malformed_option);
    internal = *tp;
  }

  switch (req.opcode) {
    case Opcode::announce: {
      // §14.1.1: an ANNOUNCE request is answered with SUCCESS and the epoch.
      Response r;
      r.opcode = Opcode::announce;
      r.epoch_s = cx.epoch_s;
      return pcp_success(cx, r, Options{});
    }
    case Opcode::map:
      return req.lifetime_s == 0 ? pcp_map_delete(cx, req, internal) : pcp_map(cx, req, internal);
    case Opcode::peer:
      return pcp_peer(cx, req, internal);
  }
  return pcp_error(cx, ResultCode::unsupp_opcode);
}

Reply Server::pcp_map(Context& cx, const Request& req, net::Ipv4Addr internal) {
  // §11.1: protocol 0 means every protocol and needs internal port 0.
  if (req.protocol == 0 && req.internal_port != 0)
    return pcp_error(cx, ResultCode::malformed_request);
  // A NAPT maps one port of one protocol; "all protocols" or "all ports"
  // (port 0) cannot be given (§11.3).
  const std::optional<net::Proto> proto = proto_of(req.protocol);
  if (!proto || !backend_.supports(*proto) || req.internal_port == 0)
    return pcp_error(cx, ResultCode::unsupp_protocol);

  // §13.3: FILTER narrows who may use the mapping; prefix length 0 lifts
  // every filter. The request's filters replace the mapping's.
  std::array<RemoteFilter, kMaxFiltersPerMapping> filters{};
  std::size_t filter_count = 0;
  for (std::size_t i = 0; i < req.options.filter_count; ++i) {
    const FilterOption& f = req.options.filters[i];
    if (f.prefix_length == 0) {
      filter_count = 0;
      continue;
    }
    const std::optional<net::Ipv4Addr> remote = as_ipv4(f.remote_addr);
    if (!remote) return pcp_error(cx, ResultCode::malformed_option);
    if (filter_count == config_.max_filters)
      return pcp_error(cx, ResultCode::excessive_remote_peers);
    filters[filter_count++] = RemoteFilter{
        net::Ipv4Prefix(*remote, static_cast<std::uint8_t>(f.prefix_length - 96)), f.remote_port};
  }

  const Endpoint internal_ep{internal, req.internal_port};
  Mapping* existing = table_->find_inbound(*proto, internal_ep);
  // §11.3: only the holder of the nonce may change a PCP mapping.
  if (existing && existing->origin == Origin::pcp_map && existing->nonce != req.nonce)
    return pcp_error(cx, ResultCode::not_authorized);
  if (!existing) {
    if (const ResultCode no_room = room_for(internal); no_room != ResultCode::success)
      return pcp_error(cx, no_room);
  }

  MapRequest mr;
  mr.proto = *proto;
  mr.internal = internal_ep;
  mr.suggested.port = req.suggested_port;
  if (!is_unspecified(req.suggested_addr)) {
    const std::optional<net::Ipv4Addr> suggested = as_ipv4(req.suggested_addr);
    // An IPv6 external address cannot be given; without PREFER_FAILURE the
    // suggestion is only a hint (§11.3).
    if (!suggested && req.options.prefer_failure)
      return pcp_error(cx, ResultCode::cannot_provide_external);
    if (suggested) mr.suggested.addr = *suggested;
  }
  mr.lifetime_s = clamp_lifetime(req.lifetime_s);
  mr.prefer_failure = req.options.prefer_failure;
  if (existing) mr.current = existing->external;
  mr.filters = std::span<const RemoteFilter>(filters.data(), filter_count);
  const MapResult result = backend_.map(mr, cx.now_s);
  ++counters_.backend_statuses[static_cast<std::size_t>(result.status)];
  if (result.status != MapStatus::ok) return pcp_error(cx, pcp_result_of(result.status));

  Mapping m;
  m.origin = Origin::pcp_map;
  m.proto = *proto;
  m.internal = internal_ep;
  m.external = result.external;
  m.nonce = req.nonce;
  m.expire_s = cx.now_s + mr.lifetime_s;
  m.filter_count = static_cast<std::uint8_t>(filter_count);
  m.filters = filters;
  store(m, existing);

  Response r;
  r.opcode = Opcode::map;
  r.lifetime_s = mr.lifetime_s;
  r.epoch_s = cx.epoch_s;
  r.nonce = req.nonce;
  r.protocol = req.protocol;
  r.internal_port = req.internal_port;
  r.external_port = result.external.port;
  r.external_addr = mapped(result.external.addr);
  return pcp_success(cx, r, req.options);
}

Reply Server::pcp_map_delete(Context& cx, const Request& req, net::Ipv4Addr internal) {
  if (req.protocol == 0 && req.internal_port != 0)
    return pcp_error(cx, ResultCode::malformed_request);
  std::optional<net::Proto> proto;
  if (req.protocol != 0) {
    proto = proto_of(req.protocol);
    if (!proto || !backend_.supports(*proto)) return pcp_error(cx, ResultCode::unsupp_protocol);
  }
  Response r;
  r.opcode = Opcode::map;
  r.epoch_s = cx.epoch_s;
  r.nonce = req.nonce;
  r.protocol = req.protocol;
  r.internal_port = req.internal_port;

  if (req.internal_port == 0) {
    // §15: port 0 (and protocol 0) deletes every mapping of this host (of
    // that protocol) made with this nonce; others' nonces are left alone.
    counters_.mappings_deleted += table_->erase_if(
        [&](const Mapping& m) {
          return m.origin == Origin::pcp_map && m.internal.addr == internal &&
                 (!proto || m.proto == *proto) && m.nonce == req.nonce;
        },
        [this, &cx](const Mapping& m) { release(m, cx.now_s); });
    return pcp_success(cx, r, req.options);
  }

  const Endpoint internal_ep{internal, req.internal_port};
  Mapping* existing = table_->find_inbound(*proto, internal_ep);
  if (!existing) {
    if (backend_.is_operator_mapping(*proto, internal_ep))
      return pcp_error(cx, ResultCode::not_authorized);
    // Deleting what does not exist succeeds: the client's goal holds.
    return pcp_success(cx, r, req.options);
  }
  if (existing->origin == Origin::pcp_map && existing->nonce != req.nonce)
    return pcp_error(cx, ResultCode::not_authorized);
  r.external_port = existing->external.port;
  r.external_addr = mapped(existing->external.addr);
  release(*existing, cx.now_s);
  table_->erase(existing);
  ++counters_.mappings_deleted;
  return pcp_success(cx, r, req.options);
}

Reply Server::pcp_peer(Context& cx, const Request& req, net::Ipv4Addr internal) {
  // §12.1: a PEER names one protocol, an internal port and a remote peer.
  if (req.protocol == 0 || req.internal_port == 0 || req.peer_port == 0)
    return pcp_error(cx, ResultCode::malformed_request);
  const std::optional<net::Ipv4Addr> peer_addr = as_ipv4(req.peer_addr);
  if (!peer_addr || peer_addr->is_unspecified())
    return pcp_error(cx, ResultCode::malformed_request);
  const std::optional<net::Proto> proto = proto_of(req.protocol);
  if (!proto || !backend_.supports(*proto)) return pcp_error(cx, ResultCode::unsupp_protocol);

  const Endpoint internal_ep{internal, req.internal_port};
  const Endpoint peer{*peer_addr, req.peer_port};
  Mapping* existing = table_->find_peer(*proto, internal_ep, peer);
  if (existing && existing->nonce != req.nonce) return pcp_error(cx, ResultCode::not_authorized);

  Response r;
  r.opcode = Opcode::peer;
  r.epoch_s = cx.epoch_s;
  r.nonce = req.nonce;
  r.protocol = req.protocol;
  r.internal_port = req.internal_port;
  r.peer_port = req.peer_port;
  r.peer_addr = req.peer_addr;

  if (req.lifetime_s == 0) {
    // The PCP claim on the session ends; traffic keeps it as usual.
    if (existing) {
      r.external_port = existing->external.port;
      r.external_addr = mapped(existing->external.addr);
      release(*existing, cx.now_s);
      table_->erase(existing);
      ++counters_.mappings_deleted;
    }
    return pcp_success(cx, r, req.options);
  }
  if (!existing) {
    if (const ResultCode no_room = room_for(internal); no_room != ResultCode::success)
      return pcp_error(cx, no_room);
  }

  MapRequest mr;
  mr.proto = *proto;
  mr.internal = internal_ep;
  mr.suggested.port = req.suggested_port;
  if (const auto s = as_ipv4(req.suggested_addr)) mr.suggested.addr = *s;
  mr.lifetime_s = clamp_lifetime(req.lifetime_s);
  if (existing) mr.current = existing->external;
  mr.peer = peer;
  const MapResult result = backend_.map(mr, cx.now_s);
  ++counters_.backend_statuses[static_cast<std::size_t>(result.status)];
  if (result.status != MapStatus::ok) return pcp_error(cx, pcp_result_of(result.status));

  Mapping m;
  m.origin = Origin::pcp_peer;
  m.proto = *proto;
  m.internal = internal_ep;
  m.external = result.external;
  m.peer = peer;
  m.nonce = req.nonce;
  m.expire_s = cx.now_s + mr.lifetime_s;
  store(m, existing);

  r.lifetime_s = mr.lifetime_s;
  r.external_port = result.external.port;
  r.external_addr = mapped(result.external.addr);
  return pcp_success(cx, r, req.options);
}

Reply Server::natpmp_answer(std::size_t length, NatPmpResult result) {
  if (length == 0) return dropped(DropReason::buffer_too_small);
  ++counters_.natpmp_results[static_cast<std::size_t>(result)];
  ++counters_.responses;
  return Reply{length, DropReason::none};
}

Reply Server::handle_natpmp(Context& cx) {
  const NatPmpDecoded d = decode_natpmp_request(cx.request);
  if (d.kind == NatPmpDecoded::Kind::drop) return dropped(d.drop);
  if (!config_.natpmp) {
    // RFC 6887 §9 / RFC 6886 §3.5: a server without NAT-PMP says so.
    return natpmp_answer(
        encode_natpmp_error(d.raw_op, NatPmpResult::unsupported_version, cx.epoch_s, cx.response),
        NatPmpResult::unsupported_version);
  }
  if (d.kind == NatPmpDecoded::Kind::error)
    return natpmp_answer(encode_natpmp_error(d.raw_op, d.error, cx.epoch_s, cx.response), d.error);
  if (d.request.op == NatPmpOp::external_address) {
    const std::optional<net::Ipv4Addr> ext = backend_.external_address(cx.source);
    const NatPmpResult result = ext ? NatPmpResult::success : NatPmpResult::network_failure;
    return natpmp_answer(
        encode_natpmp_address(result, cx.epoch_s, ext.value_or(net::Ipv4Addr{}), cx.response),
        result);
  }
  return natpmp_map(cx, d.request);
}

Reply Server::natpmp_map(Context& cx, const NatPmpRequest& req) {
  const net::Proto proto = req.op == NatPmpOp::map_udp ? net::Proto::udp : net::Proto::tcp;
  const auto answer = [&](NatPmpResult result, std::uint16_t external_port,
                          std::uint32_t lifetime_s) {
    return natpmp_answer(encode_natpmp_map(req.op, result, cx.epoch_s, req.internal_port,
                                           external_port, lifetime_s, cx.response),
                         result);
  };
  if (!backend_.supports(proto)) return answer(NatPmpResult::not_authorized, 0, 0);

  if (req.lifetime_s == 0) {
    if (req.internal_port == 0) {
      // RFC 6886 §3.4: internal port 0, lifetime 0: every NAT-PMP mapping of
      // this host for the opcode's protocol.
      counters_.mappings_deleted += table_->erase_if(
          [&](const Mapping& m) {
            return m.origin == Origin::natpmp && m.internal.addr == cx.source && m.proto == proto;
          },
          [this, &cx](const Mapping& m) { release(m, cx.now_s); });
      return answer(NatPmpResult::success, 0, 0);
    }
    const Endpoint internal_ep{cx.source, req.internal_port};
    Mapping* existing = table_->find_inbound(proto, internal_ep);
    if (!existing) {
      if (backend_.is_operator_mapping(proto, internal_ep))
        return answer(NatPmpResult::not_authorized, 0, 0);
      return answer(NatPmpResult::success, 0, 0);
    }
    // A PCP mapping belongs to whoever holds its nonce.
    if (existing->origin != Origin::natpmp) return answer(NatPmpResult::not_authorized, 0, 0);
    release(*existing, cx.now_s);
    table_->erase(existing);
    ++counters_.mappings_deleted;
    return answer(NatPmpResult::success, 0, 0);
  }
  // Port 0 names every port, which a NAPT cannot map.
  if (req.internal_port == 0) return answer(NatPmpResult::not_authorized, 0, 0);

  const Endpoint internal_ep{cx.source, req.internal_port};
  Mapping* existing = table_->find_inbound(proto, internal_ep);
  if (existing && existing->origin != Origin::natpmp)
    return answer(NatPmpResult::not_authorized, 0, 0);
  if (!existing && room_for(cx.source) != ResultCode::success)
    return answer(NatPmpResult::out_of_resources, 0, 0);

  MapRequest mr;
  mr.proto = proto;
  mr.internal = internal_ep;
  mr.suggested.port = req.suggested_port;
  mr.lifetime_s = clamp_lifetime(req.lifetime_s);
  if (existing) mr.current = existing->external;
  const MapResult result = backend_.map(mr, cx.now_s);
  ++counters_.backend_statuses[static_cast<std::size_t>(result.status)];
  if (result.status != MapStatus::ok) return answer(natpmp_result_of(result.status), 0, 0);

  Mapping m;
  m.origin = Origin::natpmp;
  m.proto = proto;
  m.internal = internal_ep;
  m.external = result.external;
  m.expire_s = cx.now_s + mr.lifetime_s;
  store(m, existing);
  return answer(NatPmpResult::success, result.external.port, mr.lifetime_s);
}

}  // namespace masq::pcp
