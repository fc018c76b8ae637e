#include "replay.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <utility>
#include <vector>

#include "link_layer.hpp"
#include "mac_table.hpp"
#include "masq/nat/engine.hpp"
#include "masq/net/byte_order.hpp"
#include "masq/net/icmp_error.hpp"
#include "masq/net/ipv4_view.hpp"
#include "pcap_reader.hpp"
#include "pcap_writer.hpp"

namespace masq::replay {
namespace {

constexpr std::size_t kTotalLengthOffset = 2;
constexpr std::size_t kDstAddrOffset = 16;

// One side of the gateway: its input (if any) with the next unread frame,
// its output, and the MACs learnt from its frames.
struct SideIo {
  SideIo(Side side, const MacAddr& mac, net::Ipv4Addr addr)
      : id(side), gateway_mac(mac), gateway_addr(addr) {}

  void advance() { has_head = reader && reader->next(head); }

  Side id;
  MacAddr gateway_mac;
  net::Ipv4Addr gateway_addr;  // source of the ICMP errors sent to this side
  std::optional<PcapReader> reader;
  CapturedFrame head;
  bool has_head = false;
  LinkType out_link = LinkType::raw_ip;
  std::optional<PcapWriter> writer;  // opened once both inputs are known
  MacTable macs;
  SideStats stats;
};

// An output takes its own input's link type, else the other input's, else raw IP.
LinkType output_link(const SideIo& own, const SideIo& other) {
  if (own.reader) return own.reader->link_type();
  if (other.reader) return other.reader->link_type();
  return LinkType::raw_ip;
}

// A forwarded packet passed the engine's parser, so its total length is
// valid; cutting there drops Ethernet padding (RFC 894 minimum frame size)
// that does not belong in the datagram, nor in a raw IP output.
std::span<const std::uint8_t> datagram_of(std::span<const std::uint8_t> packet) {
  if (packet.size() < net::kIpv4MinHeader) return packet;
  return packet.first(
      std::min<std::size_t>(net::load_be16(packet.data() + kTotalLengthOffset), packet.size()));
}

class Replayer {
 public:
  Replayer(const config::Config& cfg, const ReplayFiles& files)
      : engine_(cfg.engine),
        lan_(Side::lan, kLanGatewayMac, cfg.lan.address),
        wan_(Side::wan, kWanGatewayMac, cfg.wan.address),
        batch_(kMaxBatch) {
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
    stats.icmp_sent = icmp_sent_;
    stats.icmp_suppressed = icmp_suppressed_;
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

  void process_batch(SideIo& from, std::size_t frames, std::uint64_t timestamp_ns) {
    std::size_t packets = 0;
    for (std::size_t i = 0; i < frames; ++i) {
      std::span<std::uint8_t> bytes(batch_[i].bytes);
      ++from.stats.frames_in;
      const LinkFrame link = strip_link_header(from.reader->link_type(), bytes);
      if (link.kind == FrameKind::malformed) {
        ++from.stats.malformed;
        continue;
      }
      if (link.kind == FrameKind::not_ipv4) {
        ++from.stats.not_ipv4;
        continue;
      }
      const std::span<std::uint8_t> ip = bytes.subspan(link.l3_offset);
      if (link.src_mac) from.macs.learn(*link.src_mac, ip);
      ips_[packets] = ip;
      refs_[packets++] = nat::parse_packet(ip);
    }
    // The engine expects a monotonic clock, but a capture may step back
    // (clock adjustments, unsorted files), so `now` keeps its high-water mark.
    now_ns_ = std::max(now_ns_, timestamp_ns);
    engine_.process(std::span(refs_).first(packets), from.id, now_ns_, verdicts_);
    for (std::size_t i = 0; i < packets; ++i) {
      apply(from, ips_[i], verdicts_[i], timestamp_ns);
    }
  }

  void apply(SideIo& from, std::span<const std::uint8_t> packet, nat::Verdict verdict,
             std::uint64_t timestamp_ns) {
    switch (verdict.action) {
      case nat::Action::forward_lan:
      case nat::Action::hairpin:
        emit(lan_, timestamp_ns, datagram_of(packet));
        return;
      case nat::Action::forward_wan:
        emit(wan_, timestamp_ns, datagram_of(packet));
        return;
      case nat::Action::send_icmp:
        send_icmp(from, timestamp_ns, packet, verdict);
        return;
      case nat::Action::drop:
        return;  // the engine has counted it
    }
  }

  void send_icmp(SideIo& from, std::uint64_t timestamp_ns, std::span<const std::uint8_t> packet,
                 nat::Verdict verdict) {
    net::IcmpErrorSpec spec;
    spec.type = verdict.icmp_type;
    spec.code = verdict.icmp_code;
    spec.src = from.gateway_addr;
    const std::size_t length = net::build_icmp_error(packet, spec, icmp_buffer_);
    if (length == 0) {
      ++icmp_suppressed_;
      return;
    }
    ++icmp_sent_;
    emit(from, timestamp_ns, std::span(icmp_buffer_).first(length));
  }

  void emit(SideIo& to, std::uint64_t timestamp_ns, std::span<const std::uint8_t> ip) {
    ++to.stats.packets_out;
    if (to.out_link != LinkType::ethernet) {
      to.writer->write(timestamp_ns, ip);
      return;
    }
    const MacAddr dst =
        ip.size() >= net::kIpv4MinHeader
            ? to.macs.lookup(net::Ipv4Addr(net::load_be32(ip.data() + kDstAddrOffset)))
            : kBroadcastMac;
    frame_.resize(kEthernetHeader + ip.size());
    write_ethernet_header(std::span(frame_).first<kEthernetHeader>(), dst, to.gateway_mac);
    std::copy(ip.begin(), ip.end(), frame_.begin() + kEthernetHeader);
    to.writer->write(timestamp_ns, frame_);
  }

  nat::Engine engine_;
  SideIo lan_;
  SideIo wan_;
  std::vector<CapturedFrame> batch_;
  std::array<nat::PacketRef, kMaxBatch> refs_{};
  std::array<std::span<std::uint8_t>, kMaxBatch> ips_{};  // the bytes of each
  std::array<nat::Verdict, kMaxBatch> verdicts_{};
  std::array<std::uint8_t, net::kIcmpErrorMaxLength> icmp_buffer_{};
  std::vector<std::uint8_t> frame_;  // an Ethernet output frame being assembled
  std::uint64_t now_ns_ = 0;
  std::uint64_t icmp_sent_ = 0;
  std::uint64_t icmp_suppressed_ = 0;
};

}  // namespace

ReplayStats run_replay(const config::Config& cfg, const ReplayFiles& files) {
  return Replayer(cfg, files).run();
}

}  // namespace masq::replay
