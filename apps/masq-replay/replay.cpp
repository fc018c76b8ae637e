#include "replay.hpp"

#include <algorithm>
#include <span>
#include <utility>
#include <vector>

#include "masq/config/router_config.hpp"
#include "masq/nat/engine.hpp"
#include "masq/net/byte_order.hpp"
#include "masq/net/ipv4_view.hpp"
#include "masq/router/arp.hpp"
#include "masq/router/router.hpp"
#include "masq/router/routes.hpp"
#include "pcap_reader.hpp"
#include "pcap_writer.hpp"

namespace masq::replay {
namespace {

constexpr std::size_t kSrcAddrOffset = 12;  // in the IPv4 header
constexpr std::uint32_t kRawMtu = 1500;     // a side's MTU when the config sets none

// One side of the gateway: its input (if any) with the next unread frame,
// and its output.
struct SideIo {
  SideIo(Side side, const router::MacAddr& gateway, const router::MacAddr& peer)
      : id(side), gateway_mac(gateway), peer_mac(peer) {}

  void advance() { has_head = reader && reader->next(head); }

  Side id;
  router::MacAddr gateway_mac;
  router::MacAddr peer_mac;
  std::optional<PcapReader> reader;
  CapturedFrame head;
  bool has_head = false;
  LinkType out_link = LinkType::raw_ip;
  std::optional<PcapWriter> writer;  // opened once both inputs are known
  SideStats stats;
};

// An output takes its own input's link type, else the other input's, else raw IP.
LinkType output_link(const SideIo& own, const SideIo& other) {
  if (own.reader) return own.reader->link_type();
  if (other.reader) return other.reader->link_type();
  return LinkType::raw_ip;
}

config::Config with_wan_gateway(config::Config cfg) {
  if (!cfg.gateway) cfg.gateway = replay_wan_gateway(cfg);
  return cfg;
}

router::RouterConfig replay_router_config(const config::Config& cfg) {
  return config::router_config(cfg, {kLanGatewayMac.octets(), cfg.lan.mtu.value_or(kRawMtu)},
                               {kWanGatewayMac.octets(), cfg.wan.mtu.value_or(kRawMtu)});
}

// An ARP request of the router's own: whom it asks for, and to which MAC.
struct ArpQuestion {
  Side side = Side::lan;
  net::Ipv4Addr ip;
  router::MacAddr to;
};

std::optional<ArpQuestion> arp_question(Side side, const net::Frame& frame) {
  if (frame.bytes.size() < router::kArpFrameLength) return std::nullopt;
  const router::EthernetHeader eth = router::read_ethernet(frame.bytes.data());
  if (eth.ether_type != router::kEtherTypeArp) return std::nullopt;
  const auto arp =
      router::decode_arp({frame.bytes.data() + router::kEthernetHeader, router::kArpLength});
  if (!arp || arp->op != router::ArpOp::request) return std::nullopt;
  return ArpQuestion{side, arp->target_ip, eth.dst};
}

class Replayer {
 public:
  Replayer(const config::Config& cfg, const ReplayFiles& files)
      : cfg_(with_wan_gateway(cfg)),
        router_cfg_(replay_router_config(cfg_)),
        routes_(router_cfg_.lan.prefix, router_cfg_.wan.prefix, router_cfg_.wan_gateway,
                router_cfg_.externals),
        engine_(config::engine_config(cfg_, router_cfg_)),
        router_(router_cfg_, engine_),
        lan_(Side::lan, kLanGatewayMac, kLanPeerMac),
        wan_(Side::wan, kWanGatewayMac, kWanPeerMac),
        batch_(kMaxBatch),
        frames_(kMaxBatch) {
    // Inputs first: a bad input must not leave fresh, empty outputs behind.
    if (files.lan_in) lan_.reader.emplace(*files.lan_in);
    if (files.wan_in) wan_.reader.emplace(*files.wan_in);
    lan_.out_link = output_link(lan_, wan_);
    wan_.out_link = output_link(wan_, lan_);
    lan_.writer.emplace(files.lan_out, lan_.out_link);
    wan_.writer.emplace(files.wan_out, wan_.out_link);
  }

  ReplayStats run() {
    lan_.advance();
    wan_.advance();
    while (SideIo* from = next_side()) {
      const std::uint64_t timestamp_ns = from->head.timestamp_ns;
      std::size_t frames = 0;
      do {
        std::swap(batch_[frames++], from->head);  // the head's old buffer is reused
        from->advance();
      } while (frames < kMaxBatch && from->has_head && from->head.timestamp_ns == timestamp_ns);
      process_batch(*from, frames, timestamp_ns);
    }
    lan_.writer->close();
    wan_.writer->close();
    ReplayStats stats;
    stats.lan = lan_.stats;
    stats.wan = wan_.stats;
    stats.router = router_.counters();
    stats.icmp_sent = stats.router.icmp_errors_sent;
    stats.icmp_suppressed = stats.router.icmp_errors_suppressed;
    stats.engine = engine_.counters();
    stats.sessions = engine_.session_count();
    return stats;
  }

 private:
  // The side whose next frame is due; LAN wins ties. Null when both are done.
  SideIo* next_side() {
    if (lan_.has_head && (!wan_.has_head || lan_.head.timestamp_ns <= wan_.head.timestamp_ns)) {
      return &lan_;
    }
    return wan_.has_head ? &wan_ : nullptr;
  }

  SideIo& side_io(Side side) { return side == Side::lan ? lan_ : wan_; }

  void process_batch(SideIo& from, std::size_t frames, std::uint64_t timestamp_ns) {
    // The router expects a monotonic clock, but a capture may step back
    // (clock adjustments, unsorted files), so `now` keeps its high-water mark.
    now_ns_ = std::max(now_ns_, timestamp_ns);
    if (now_ns_ >= next_tick_ns_) {
      deliver(router_.tick(now_ns_), timestamp_ns);
      next_tick_ns_ = now_ns_ + kTickNs;
    }
    std::size_t count = 0;
    for (std::size_t i = 0; i < frames; ++i) {
      ++from.stats.frames_in;
      if (const auto frame = to_router(from, batch_[i].bytes)) frames_[count++] = *frame;
    }
    deliver(router_.process(std::span(frames_).first(count), from.id, now_ns_), timestamp_ns);
  }

  // The frame as the router takes it, or nullopt (counted) when it is skipped.
  std::optional<net::Frame> to_router(SideIo& from, std::vector<std::uint8_t>& bytes) {
    std::span<std::uint8_t> frame;
    if (from.reader->link_type() != LinkType::ethernet) {
      // DLT_RAW holds IPv6 too; what is not a well-formed IPv6 version
      // nibble goes to the router, which counts why it is not IPv4.
      if (from.reader->link_type() == LinkType::raw_ip && !bytes.empty() && (bytes[0] >> 4) == 6) {
        ++from.stats.not_ipv4;
        return std::nullopt;
      }
      bytes.insert(bytes.begin(), router::kEthernetHeader, 0);
      router::write_ethernet(bytes.data(), from.gateway_mac, from.peer_mac, router::kEtherTypeIpv4);
      frame = bytes;
    } else {
      const auto parsed = router::parse_ethernet(bytes);
      if (!parsed) {
        ++from.stats.malformed;
        return std::nullopt;
      }
      const std::uint16_t type = parsed->header.ether_type;
      if (type != router::kEtherTypeIpv4 && type != router::kEtherTypeArp) {
        ++from.stats.not_ipv4;
        return std::nullopt;
      }
      frame = router::strip_vlan_tags(bytes);
      if (!parsed->header.dst.is_group()) from.gateway_mac.write(frame.data());
    }
    learn_sender(from.id, frame);
    return net::Frame{frame, 0};
  }

  // The hop towards an IPv4 frame's source sent it: the source itself on
  // the side's prefix, else (on the WAN) the gateway it came through.
  void learn_sender(Side side, std::span<const std::uint8_t> frame) {
    const router::EthernetHeader eth = router::read_ethernet(frame.data());
    const std::span<const std::uint8_t> ip = frame.subspan(router::kEthernetHeader);
    if (eth.ether_type != router::kEtherTypeIpv4 || ip.size() < net::kIpv4MinHeader ||
        (ip[0] >> 4) != 4) {
      return;
    }
    const net::Ipv4Addr src(net::load_be32(ip.data() + kSrcAddrOffset));
    if (const auto hop = routes_.next_hop(side, src)) router_.learn(side, *hop, eth.src, now_ns_);
  }

  // Answers the router's ARP requests (see replay.hpp), then writes every
  // other frame it sent. Nothing waits for a next hop afterwards.
  void deliver(const router::Output& out, std::uint64_t timestamp_ns) {
    questions_.clear();
    for (const Side side : {Side::lan, Side::wan}) {
      for (const net::Frame& f : out.frames(side)) {
        if (const auto q = arp_question(side, f)) questions_.push_back(*q);
      }
    }
    for (const ArpQuestion& q : questions_) {
      const router::MacAddr mac = q.to.is_group() ? side_io(q.side).peer_mac : q.to;
      router_.learn(q.side, q.ip, mac, now_ns_);
    }
    for (const Side side : {Side::lan, Side::wan}) {
      for (const net::Frame& f : out.frames(side)) {
        if (!arp_question(side, f)) emit(side_io(side), f, timestamp_ns);
      }
    }
  }

  void emit(SideIo& to, const net::Frame& frame, std::uint64_t timestamp_ns) {
    const std::span<const std::uint8_t> bytes = frame.bytes;
    if (to.out_link == LinkType::ethernet) {
      to.writer->write(timestamp_ns, bytes);
    } else {
      if (router::read_ethernet(frame.bytes.data()).ether_type != router::kEtherTypeIpv4) return;
      to.writer->write(timestamp_ns, bytes.subspan(router::kEthernetHeader));
    }
    ++to.stats.packets_out;
  }

  const config::Config cfg_;
  const router::RouterConfig router_cfg_;
  const router::Routes routes_;  // the router's own, to name the hop a frame came from
  nat::Engine engine_;
  router::Router router_;
  SideIo lan_;
  SideIo wan_;
  std::vector<CapturedFrame> batch_;
  std::vector<net::Frame> frames_;
  std::vector<ArpQuestion> questions_;
  std::uint64_t now_ns_ = 0;
  std::uint64_t next_tick_ns_ = 0;
};

}  // namespace

std::optional<net::Ipv4Addr> replay_wan_gateway(const config::Config& cfg) {
  const net::Ipv4Prefix& p = cfg.wan.prefix;
  if (p.length() == 32) return std::nullopt;
  // RFC 3021: both addresses of a /31 are hosts; elsewhere the network and
  // broadcast addresses are not.
  const std::uint32_t lowest = p.network().value() + (p.length() == 31 ? 0 : 1);
  std::uint32_t candidate = p.broadcast().value() - (p.length() == 31 ? 0 : 1);
  const std::vector<nat::AddressRange> ours = router::external_addresses(cfg.engine);
  while (candidate >= lowest) {
    const net::Ipv4Addr a(candidate);
    const auto taken = std::find_if(ours.begin(), ours.end(), [a](const nat::AddressRange& r) {
      return r.first <= a && a <= r.last;
    });
    if (taken == ours.end() && a != cfg.wan.address) return a;
    const std::uint32_t below = taken == ours.end() ? candidate : taken->first.value();
    if (below <= lowest) break;
    candidate = below - 1;
  }
  return std::nullopt;
}

ReplayStats run_replay(const config::Config& cfg, const ReplayFiles& files) {
  return Replayer(cfg, files).run();
}

}  // namespace masq::replay
