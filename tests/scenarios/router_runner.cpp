#include "scenarios/router_runner.hpp"

#include <fmt/format.h>

#include <array>
#include <memory>

#include "masq/nat/engine.hpp"
#include "masq/net/byte_order.hpp"
#include "masq/router/arp.hpp"
#include "masq/router/router.hpp"
#include "masq/router/routes.hpp"
#include "router/frames.hpp"
#include "scenarios/assertion.hpp"
#include "scenarios/packet_checks.hpp"
#include "scenarios/router_text.hpp"
#include "support/checksum_oracle.hpp"
#include "support/packet_builder.hpp"
#include "support/packet_dissect.hpp"
#include "support/text_tokens.hpp"

namespace masq::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct OutFrame {
  Bytes bytes;
  std::uint16_t gso_size = 0;
};

std::size_t index(Side side) {
  return side == Side::lan ? 0 : 1;
}

Side side_named(const std::string& word) {
  if (word == "lan") return Side::lan;
  if (word == "wan") return Side::wan;
  throw TextError("'" + word + "': expected lan, wan or nothing");
}

// `word` is KEY=N: N, else nullopt.
std::optional<std::uint64_t> option(const std::string& word, std::string_view key,
                                    std::uint64_t max) {
  if (!word.starts_with(key) || word.size() <= key.size() || word[key.size()] != '=')
    return std::nullopt;
  return parse_uint(std::string_view(word).substr(key.size() + 1), max, key);
}

// A short description of a frame, for frames no expect line accounts for.
std::string describe(const OutFrame& f) {
  if (f.bytes.size() < router::kEthernetHeader) return "a runt frame";
  const router::EthernetHeader eth = router::read_ethernet(f.bytes.data());
  const std::span<const std::uint8_t> payload = std::span(f.bytes).subspan(router::kEthernetHeader);
  if (eth.ether_type == router::kEtherTypeArp) {
    const auto arp = router::decode_arp(payload);
    if (!arp) return "a malformed ARP frame";
    return fmt::format("arp {} {} > {}", arp->op == router::ArpOp::request ? "request" : "reply",
                       arp->sender_ip.to_string(), arp->target_ip.to_string());
  }
  if (eth.ether_type != router::kEtherTypeIpv4 || payload.size() < 20) {
    return fmt::format("a frame of EtherType {:#06x}", eth.ether_type);
  }
  return fmt::format("ip {} > {} proto={} totlen={}",
                     net::Ipv4Addr(net::load_be32(payload.data() + 12)).to_string(),
                     net::Ipv4Addr(net::load_be32(payload.data() + 16)).to_string(), payload[9],
                     net::load_be16(payload.data() + 2));
}

class RouterRunner {
 public:
  explicit RouterRunner(const Scenario& s) : scenario_(s), setup_(*s.router) {}

  std::vector<Failure> run() {
    if (!start()) return std::move(failures_);
    for_each_step(
        scenario_, [&](const Batch& batch) { run_batch(batch); },
        [&](const ScenarioLine& line) { assertion(line); });
    return std::move(failures_);
  }

 private:
  void fail(int line, std::string message) { failures_.push_back({line, std::move(message)}); }

  bool start() {
    const int line = scenario_.config_line;
    for (const auto& e : nat::validate(scenario_.config)) fail(line, "config: " + e.text());
    router::RouterConfig rc = setup_.config;
    rc.externals = router::external_addresses(scenario_.config);
    for (const std::string& e : router::validate(rc)) fail(line, "router config: " + e);
    if (!failures_.empty()) return false;
    engine_ = std::make_unique<nat::Engine>(scenario_.config);
    router_ = std::make_unique<router::Router>(rc, *engine_);
    routes_ = std::make_unique<router::Routes>(rc.lan.prefix, rc.wan.prefix, rc.wan_gateway,
                                               rc.externals);
    cfg_ = rc;
    for (const net::Ipv4Addr ip : setup_.neighbours) {
      const Side side = rc.lan.prefix.contains(ip) ? Side::lan : Side::wan;
      if (!router_->learn(side, ip, host_mac(ip), 0)) {
        fail(line, "router.neighbours: " + ip.to_string() + " is no neighbour on either side");
      }
    }
    return failures_.empty();
  }

  const router::MacAddr& gateway_mac(Side side) const {
    return side == Side::lan ? cfg_.lan.mac : cfg_.wan.mac;
  }

  // The MAC a packet to or from `ip` uses on `side`: that of its next hop.
  router::MacAddr hop_mac(Side side, net::Ipv4Addr ip) const {
    return host_mac(routes_->next_hop(side, ip).value_or(ip));
  }

  void run_batch(const Batch& batch) {
    rx_.clear();
    std::vector<std::uint16_t> gso;
    for (const Send& send : batch.sends) {
      try {
        std::uint16_t gso_size = 0;
        rx_.push_back(frame_of(send.packet.words, batch.side, gso_size));
        gso.push_back(gso_size);
      } catch (const TextError& e) {
        fail(send.packet.number, fmt::format("packet: {}; call skipped", e.what()));
        return;
      }
    }
    std::vector<net::Frame> frames;
    for (std::size_t i = 0; i < rx_.size(); ++i) {
      frames.push_back({rx_[i], gso[i]});
    }
    const router::Output& out = batch.tick ? router_->tick(batch.now_ns)
                                           : router_->process(frames, batch.side, batch.now_ns);
    for (const Side side : {Side::lan, Side::wan}) {
      sent_[index(side)].clear();
      next_[index(side)] = 0;
      for (const net::Frame& f : out.frames(side)) {
        sent_[index(side)].push_back({Bytes(f.bytes.begin(), f.bytes.end()), f.gso_size});
      }
    }
    for (const ScenarioLine& line : batch.outputs) {
      try {
        if (line.words[1] != "nothing") expect_frame(line);
      } catch (const TextError& e) {
        fail(line.number, e.what());
      }
    }
    for (const Side side : {Side::lan, Side::wan}) {
      const auto& frames_out = sent_[index(side)];
      for (std::size_t i = next_[index(side)]; i < frames_out.size(); ++i) {
        fail(batch.line, fmt::format("unexpected frame out of the {}: {}",
                                     side == Side::lan ? "lan" : "wan", describe(frames_out[i])));
      }
    }
  }

  // [to=MAC] [from=MAC] [gso=N] [fragment K/N every BYTES] PACKET, or
  // arp request|reply A > B.
  Bytes frame_of(std::span<const std::string> words, Side side, std::uint16_t& gso_size) {
    if (words[0] == "arp") return arp_in(words, side);
    std::optional<std::size_t> piece;
    std::size_t pieces = 0;
    std::size_t every = 0;
    std::optional<router::MacAddr> to;
    std::optional<router::MacAddr> from;
    for (;;) {
      if (words.empty()) throw TextError("expected a packet");
      if (words[0].starts_with("to=") || words[0].starts_with("from=")) {
        const std::string_view text = std::string_view(words[0]).substr(words[0].find('=') + 1);
        const auto mac = router::MacAddr::parse(text);
        if (!mac) throw TextError("'" + std::string(text) + "' is not a MAC address");
        (words[0][0] == 't' ? to : from) = *mac;
        words = words.subspan(1);
      } else if (const auto g = option(words[0], "gso", 65535)) {
        gso_size = static_cast<std::uint16_t>(*g);
        words = words.subspan(1);
      } else if (words[0] == "fragment") {
        const auto slash = words.size() >= 4 ? words[1].find('/') : std::string::npos;
        if (slash == std::string::npos || words[2] != "every")
          throw TextError("expected: fragment K/N every BYTES PACKET");
        piece = parse_uint(std::string_view(words[1]).substr(0, slash), 65535, "fragment");
        pieces = parse_uint(std::string_view(words[1]).substr(slash + 1), 65535, "fragments");
        every = parse_uint(words[3], 65535, "bytes");
        if (*piece == 0 || *piece > pieces || every == 0 || every % 8 != 0)
          throw TextError("fragment K/N every BYTES: 1 <= K <= N, BYTES a multiple of 8");
        words = words.subspan(4);
      } else {
        break;
      }
    }
    const PacketSpec spec = parse_packet_text(words, PacketSpec{}, bound_only(vars_)).spec;
    Bytes packet = build_packet(spec);
    if (piece) {
      const std::vector<Bytes> cut = router::test::split(packet, every);
      if (cut.size() != pieces) {
        throw TextError(fmt::format("cut every {} bytes the packet makes {} fragments, not {}",
                                    every, cut.size(), pieces));
      }
      packet = cut[*piece - 1];
    }
    return router::test::ethernet_frame(to.value_or(gateway_mac(side)),
                                        from.value_or(hop_mac(side, spec.src)),
                                        router::kEtherTypeIpv4, packet);
  }

  // arp request SENDER > TARGET (broadcast), arp reply SENDER > TARGET (to us).
  Bytes arp_in(std::span<const std::string> words, Side side) {
    if (words.size() != 5 || words[3] != ">" || (words[1] != "request" && words[1] != "reply"))
      throw TextError("expected: arp request|reply SENDER > TARGET");
    const net::Ipv4Addr sender = parse_address(words[2]);
    const net::Ipv4Addr target = parse_address(words[4]);
    const router::MacAddr mac = host_mac(sender);
    if (words[1] == "request") {
      return router::test::arp_frame(router::MacAddr::broadcast(), mac,
                                     router::ArpPacket::request(mac, sender, target));
    }
    return router::test::arp_frame(gateway_mac(side), mac,
                                   {router::ArpOp::reply, mac, sender, gateway_mac(side), target});
  }

  static net::Ipv4Addr parse_address(const std::string& text) {
    const auto a = net::Ipv4Addr::parse(text);
    if (!a) throw TextError("'" + text + "' is not an IPv4 address");
    return *a;
  }

  const OutFrame& take(Side side) {
    auto& frames = sent_[index(side)];
    std::size_t& next = next_[index(side)];
    if (next == frames.size()) {
      throw TextError(fmt::format("expected another frame out of the {}, but there is none",
                                  side == Side::lan ? "lan" : "wan"));
    }
    return frames[next++];
  }

  // expect lan|wan [fragments=N] [gso=N] PACKET, or expect lan|wan arp ...
  void expect_frame(const ScenarioLine& line) {
    const Side side = side_named(line.words[1]);
    std::span<const std::string> body(line.words.begin() + 2, line.words.end());
    if (body.empty()) throw TextError("expected a frame after the side");
    if (body[0] == "arp") return expect_arp(line.number, side, body);
    std::size_t fragments = 0;
    std::optional<std::uint16_t> gso;
    for (;;) {
      if (body.empty()) throw TextError("expected a packet");
      if (const auto n = option(body[0], "fragments", 1024)) {
        fragments = *n;
      } else if (const auto g = option(body[0], "gso", 65535)) {
        gso = static_cast<std::uint16_t>(*g);
      } else {
        break;
      }
      body = body.subspan(1);
    }
    Bytes packet;
    if (fragments == 0) {
      const OutFrame& f = take(side);
      packet = ipv4_of(line.number, side, f);
      if (f.gso_size != gso.value_or(0)) {
        fail(line.number, fmt::format("gso: expected {}, got {}", gso.value_or(0), f.gso_size));
      }
    } else {
      std::vector<Bytes> pieces;
      for (std::size_t i = 0; i < fragments; ++i) {
        Bytes piece = ipv4_of(line.number, side, take(side));
        const std::uint16_t mtu = side == Side::lan ? cfg_.lan.mtu : cfg_.wan.mtu;
        if (piece.size() > mtu) {
          fail(line.number,
               fmt::format("fragment {} is {} bytes, above the MTU {}", i + 1, piece.size(), mtu));
        }
        for (const std::string& p : checksum_problems(piece)) {
          fail(line.number, fmt::format("fragment {}: checksum: {}", i + 1, p));
        }
        // RFC 791 §3.2: the fragments of one datagram share its ID.
        if (!pieces.empty() &&
            net::load_be16(piece.data() + 4) != net::load_be16(pieces.front().data() + 4)) {
          fail(line.number, fmt::format("fragment {} has another ID than fragment 1", i + 1));
        }
        pieces.push_back(std::move(piece));
      }
      packet = router::test::reassemble(pieces);
    }
    const std::vector<Field> actual = dissect(packet);
    PacketText want = parse_packet_text(body, PacketSpec{}, capturing(vars_, actual));
    if (side == Side::wan) accept_engine_ip_id(want, actual);
    for (const std::string& d : compare_fields(dissect(build_packet(want.spec)), actual)) {
      fail(line.number, d);
    }
    const TransportSum sum = gso ? TransportSum::seed : TransportSum::complete;
    for (const std::string& p : checksum_problems(packet, sum)) {
      fail(line.number, "checksum: " + p);
    }
    if (side == Side::wan) {
      for (std::string& leak : inside_address_leaks(scenario_.config, actual)) {
        fail(line.number, std::move(leak));
      }
    }
  }

  // The IPv4 packet of a frame out, its Ethernet header checked: from the
  // gateway, to the next hop of its destination.
  Bytes ipv4_of(int line, Side side, const OutFrame& f) {
    if (f.bytes.size() < router::kEthernetHeader + 20)
      throw TextError("a frame too short for IPv4");
    const router::EthernetHeader eth = router::read_ethernet(f.bytes.data());
    if (eth.ether_type != router::kEtherTypeIpv4) {
      throw TextError("expected an IPv4 frame, got " + describe(f));
    }
    Bytes packet(f.bytes.begin() + router::kEthernetHeader, f.bytes.end());
    const net::Ipv4Addr dst(net::load_be32(packet.data() + 16));
    if (eth.src != gateway_mac(side)) {
      fail(line, "eth.src: expected the gateway's " + gateway_mac(side).to_string() + ", got " +
                     eth.src.to_string());
    }
    if (eth.dst != hop_mac(side, dst)) {
      fail(line, "eth.dst: expected " + hop_mac(side, dst).to_string() + " (the next hop), got " +
                     eth.dst.to_string());
    }
    return packet;
  }

  // expect SIDE arp request|reply SENDER > TARGET: from the gateway; a
  // request is broadcast, a reply goes to TARGET's MAC.
  void expect_arp(int line, Side side, std::span<const std::string> body) {
    if (body.size() != 5 || body[3] != ">" || (body[1] != "request" && body[1] != "reply"))
      throw TextError("expected: expect lan|wan arp request|reply SENDER > TARGET");
    const OutFrame& f = take(side);
    const router::EthernetHeader eth = router::read_ethernet(f.bytes.data());
    const auto arp = eth.ether_type == router::kEtherTypeArp
                         ? router::decode_arp(std::span(f.bytes).subspan(router::kEthernetHeader))
                         : std::nullopt;
    if (!arp) throw TextError("expected an ARP frame, got " + describe(f));
    const bool request = body[1] == "request";
    const net::Ipv4Addr sender = parse_address(body[2]);
    const net::Ipv4Addr target = parse_address(body[4]);
    const router::ArpPacket want =
        request ? router::ArpPacket::request(gateway_mac(side), sender, target)
                : router::ArpPacket{router::ArpOp::reply, gateway_mac(side), sender,
                                    host_mac(target), target};
    if (*arp != want)
      fail(line, "expected " + body[1] + " " + body[2] + " > " + body[4] + ", got " + describe(f));
    const router::MacAddr to = request ? router::MacAddr::broadcast() : host_mac(target);
    if (eth.dst != to || eth.src != gateway_mac(side)) {
      fail(line, "ARP frame from " + eth.src.to_string() + " to " + eth.dst.to_string() +
                     ", expected from " + gateway_mac(side).to_string() + " to " + to.to_string());
    }
  }

  void assertion(const ScenarioLine& line) {
    try {
      const auto problem = is_router_counter(line.words)
                               ? evaluate_router_counter(line.words, router_->counters())
                               : evaluate_assertion(line.words, *engine_, vars_);
      if (problem) fail(line.number, *problem);
    } catch (const TextError& e) {
      fail(line.number, e.what());
    }
  }

  const Scenario& scenario_;
  const RouterSetup& setup_;
  router::RouterConfig cfg_;
  std::unique_ptr<nat::Engine> engine_;
  std::unique_ptr<router::Router> router_;
  std::unique_ptr<router::Routes> routes_;
  std::vector<Bytes> rx_;  // the current call's frames: the Output may point into them
  std::array<std::vector<OutFrame>, 2> sent_;
  std::array<std::size_t, 2> next_{};
  Variables vars_;
  std::vector<Failure> failures_;
};

}  // namespace

std::vector<Failure> run_router_scenario(const Scenario& scenario) {
  return RouterRunner(scenario).run();
}

}  // namespace masq::test
