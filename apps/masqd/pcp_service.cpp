#include "pcp_service.hpp"

namespace masq::app {
namespace {

static_assert(router::kPcpServerPort == pcp::kServerPort);

constexpr std::uint64_t kNsPerS = 1'000'000'000u;
constexpr std::size_t kSlot = router::kUdpFrameOverhead + pcp::kMaxMessage;
// RFC 6886 §3.2.1: ten times, starting 250 ms apart, the gap doubling.
constexpr std::uint32_t kAnnouncements = 10;
constexpr std::uint64_t kFirstGapNs = 250'000'000;

}  // namespace

PcpService::PcpService(const pcp::ServerConfig& config, nat::Engine& engine,
                       const router::RouterConfig& router, net::Ipv4Addr external,
                       std::uint64_t now_ns, bool announces)
    : announces_(announces),
      backend_(engine),
      server_(config, backend_, now_ns / kNsPerS),
      mac_(router.lan.mac),
      address_(router.lan.address),
      external_(external),
      ttl_(router.ttl),
      buffers_(std::size_t{router.max_batch} * kSlot),
      frames_(router.max_batch) {
  reset_state(now_ns);
}

std::span<std::uint8_t> PcpService::frame_buffer(std::size_t i) {
  return {buffers_.data() + i * kSlot, kSlot};
}

void PcpService::serve(std::span<const router::LocalDatagram> datagrams, io::FramePort& lan,
                       std::uint64_t now_ns) {
  std::size_t n = 0;
  for (const router::LocalDatagram& d : datagrams) {
    if (n == frames_.size()) break;  // the router hands out at most max_batch
    const std::span<std::uint8_t> slot = frame_buffer(n);
    const std::span<std::uint8_t> answer = slot.subspan(router::kUdpFrameOverhead);
    const pcp::Reply reply = server_.handle(d.side, d.src, d.payload, answer, now_ns / kNsPerS);
    if (reply.length == 0) continue;
    const router::UdpFrameSpec spec{mac_,  d.src_mac,  address_, d.dst_port,
                                    d.src, d.src_port, ip_id_++, ttl_};
    const std::size_t length = router::build_udp_frame(spec, answer.first(reply.length), slot);
    if (length != 0) frames_[n++] = {slot.first(length), 0};
  }
  if (n != 0) lan.send({frames_.data(), n});
}

void PcpService::tick(io::FramePort& lan, std::uint64_t now_ns) {
  server_.expire(now_ns / kNsPerS);
  if (announcements_left_ != 0 && now_ns >= next_announcement_ns_) announce(lan, now_ns);
}

void PcpService::reset_state(std::uint64_t now_ns) {
  server_.reset_state(now_ns / kNsPerS);
  announcements_left_ = announces_ ? kAnnouncements : 0;
  next_announcement_ns_ = now_ns;
  announcement_gap_ns_ = kFirstGapNs;
}

void PcpService::readdressed(net::Ipv4Addr external, std::uint64_t now_ns) {
  external_ = external;
  reset_state(now_ns);
  if (external.is_unspecified()) announcements_left_ = 0;
}

std::uint32_t PcpService::save(std::vector<state::SavedMapping>& out, std::uint64_t now_ns) const {
  const std::uint64_t now_s = now_ns / kNsPerS;
  server_.for_each_mapping(now_s, [&out](const pcp::Mapping& m, std::uint32_t left_s) {
    out.push_back({m, left_s});
  });
  return server_.epoch_s(now_s);
}

pcp::MapStatus PcpService::restore(const state::SavedMapping& saved, std::uint32_t left_s,
                                   std::uint64_t now_ns) {
  return server_.restore(saved.mapping, left_s, now_ns / kNsPerS);
}

void PcpService::continue_epoch(std::uint64_t age_s, std::uint64_t now_ns) {
  server_.continue_epoch(age_s, now_ns / kNsPerS);
}

// Both announcements go to the all-hosts group on the client port (RFC 6887
// §14.1.3, RFC 6886 §3.2.1); the payload is built in place behind the
// frame's headers, which build_udp_frame() then writes in front of it.
void PcpService::announce(io::FramePort& lan, std::uint64_t now_ns) {
  const std::uint64_t now_s = now_ns / kNsPerS;
  std::size_t n = 0;
  for (const bool natpmp : {false, true}) {
    const std::span<std::uint8_t> slot = frame_buffer(n);
    const std::span<std::uint8_t> payload = slot.subspan(router::kUdpFrameOverhead);
    const std::size_t length = natpmp ? server_.build_natpmp_announce(external_, payload, now_s)
                                      : server_.build_announce(payload, now_s);
    if (length == 0) continue;
    const router::UdpFrameSpec spec{mac_,
                                    router::multicast_mac(pcp::kAllHostsGroup),
                                    address_,
                                    pcp::kServerPort,
                                    pcp::kAllHostsGroup,
                                    pcp::kClientPort,
                                    ip_id_++,
                                    ttl_};
    const std::size_t frame = router::build_udp_frame(spec, payload.first(length), slot);
    if (frame != 0) frames_[n++] = {slot.first(frame), 0};
  }
  if (n != 0) lan.send({frames_.data(), n});
  --announcements_left_;
  next_announcement_ns_ = now_ns + announcement_gap_ns_;
  announcement_gap_ns_ *= 2;
}

}  // namespace masq::app
