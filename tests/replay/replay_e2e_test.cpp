// End-to-end: generated captures through the real masq-replay binary, its
// outputs read back with libpcap and every emitted checksum recomputed by
// the tests' own oracle (tests/support).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "masq/nat/drop_reason.hpp"
#include "masq/net/byte_order.hpp"
#include "masq/net/ipv4_addr.hpp"
#include "masq/router/arp.hpp"
#include "masq/router/drop_reason.hpp"
#include "pcap_files.hpp"
#include "replay_tool.hpp"
#include "router/frames.hpp"
#include "support/checksum_oracle.hpp"
#include "support/packet_builder.hpp"
#include "support/packet_dissect.hpp"

namespace masq::test {
namespace {

using Bytes = std::vector<std::uint8_t>;
using net::Ipv4Addr;

// The test network: the gateway's LAN and WAN addresses, two LAN hosts, a server.
const Ipv4Addr kLanGateway = Ipv4Addr::from_octets(192, 168, 77, 1);
const Ipv4Addr kWanGateway = Ipv4Addr::from_octets(203, 0, 113, 1);
const Ipv4Addr kHostA = Ipv4Addr::from_octets(192, 168, 77, 2);
const Ipv4Addr kHostB = Ipv4Addr::from_octets(192, 168, 77, 3);
const Ipv4Addr kServer = Ipv4Addr::from_octets(198, 51, 100, 10);
const std::vector<std::string> kQuickStart{"--lan", "lan0=192.168.77.1/24", "--wan",
                                           "wan0=203.0.113.1/24"};

constexpr std::uint64_t kT0 = 1'700'000'000'000'000'000;
constexpr std::uint64_t kMs = 1'000'000;

const Bytes kMacA{0x52, 0x54, 0x00, 0x00, 0x00, 0x0a};
const Bytes kLanGatewayMac{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
const Bytes kWanGatewayMac{0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
const Bytes kWanPeerMac{0x02, 0x00, 0x00, 0x00, 0x01, 0x02};

PacketSpec udp(Ipv4Addr src, std::uint16_t src_port, Ipv4Addr dst, std::uint16_t dst_port) {
  PacketSpec s;
  s.kind = L4Kind::udp;
  s.src = src;
  s.dst = dst;
  s.src_port = src_port;
  s.dst_port = dst_port;
  s.payload = pattern_payload(12);
  return s;
}

// An Ethernet frame from `src_mac` to the gateway, with optional 802.1Q VLAN id.
Bytes ethernet(const Bytes& src_mac, std::uint16_t ether_type, const Bytes& body,
               std::optional<std::uint16_t> vlan = std::nullopt) {
  Bytes frame = kLanGatewayMac;
  frame.insert(frame.end(), src_mac.begin(), src_mac.end());
  if (vlan)
    frame.insert(frame.end(), {0x81, 0x00, static_cast<std::uint8_t>(*vlan >> 8),
                               static_cast<std::uint8_t>(*vlan)});
  frame.insert(frame.end(),
               {static_cast<std::uint8_t>(ether_type >> 8), static_cast<std::uint8_t>(ether_type)});
  frame.insert(frame.end(), body.begin(), body.end());
  return frame;
}

std::string router_drop(router::DropReason reason) {
  return "router.drop." + std::string(router::to_string(reason));
}

std::uint64_t field(const Bytes& packet, std::string_view name) {
  const auto value = field_value(dissect(packet), name);
  EXPECT_TRUE(value) << "no field " << name;
  return value.value_or(0);
}

Bytes strip_ethernet(const Bytes& frame) {
  EXPECT_GE(frame.size(), 14u);
  return frame.size() < 14 ? Bytes{} : Bytes(frame.begin() + 14, frame.end());
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class ReplayE2eTest : public ::testing::Test {
 protected:
  // Runs masq-replay over the captures that are given, with quick-start
  // flags plus `extra`, into lan-out.pcap / wan-out.pcap (or `tag`-prefixed ones).
  ToolRun replay(const std::optional<TestCapture>& lan_in, const std::optional<TestCapture>& wan_in,
                 std::vector<std::string> extra = {}, const std::string& tag = "") {
    std::vector<std::string> args = kQuickStart;
    if (lan_in) {
      write_capture(dir_ / "lan-in.pcap", *lan_in);
      args.insert(args.end(), {"--lan-in", (dir_ / "lan-in.pcap").string()});
    }
    if (wan_in) {
      write_capture(dir_ / "wan-in.pcap", *wan_in);
      args.insert(args.end(), {"--wan-in", (dir_ / "wan-in.pcap").string()});
    }
    args.insert(args.end(),
                {"--lan-out", lan_out(tag).string(), "--wan-out", wan_out(tag).string()});
    args.insert(args.end(), extra.begin(), extra.end());
    ToolRun run = run_replay_tool(args, dir_ / "stderr.txt");
    EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
    return run;
  }

  std::filesystem::path lan_out(const std::string& tag = "") const {
    return dir_ / (tag + "lan-out.pcap");
  }
  std::filesystem::path wan_out(const std::string& tag = "") const {
    return dir_ / (tag + "wan-out.pcap");
  }

  ScratchDir dir_;
};

void expect_checksums_ok(const Bytes& packet) {
  EXPECT_THAT(checksum_problems(packet), ::testing::IsEmpty());
}

TEST_F(ReplayE2eTest, UdpRequestAndReplyComeOutTranslatedOnTheRightSides) {
  const PacketSpec request = udp(kHostA, 40000, kServer, 53);
  // Port preservation is the default, so the mapping is 203.0.113.1:40000.
  const PacketSpec reply = udp(kServer, 53, kWanGateway, 40000);
  const ToolRun run = replay(TestCapture{DLT_RAW, true, {{kT0, build_packet(request)}}},
                             TestCapture{DLT_IPV4, true, {{kT0 + kMs, build_packet(reply)}}});

  const TestCapture wan = read_capture(wan_out());
  EXPECT_EQ(wan.dlt, DLT_IPV4);  // each output keeps its own input's link type
  ASSERT_EQ(wan.frames.size(), 1u);
  EXPECT_EQ(wan.frames[0].timestamp_ns, kT0);
  // Translated, and forwarded: one hop less to live (RFC 1812 §5.3.1).
  PacketSpec translated_request = request;
  translated_request.src = kWanGateway;
  translated_request.ttl = static_cast<std::uint8_t>(request.ttl - 1);
  // DF clear: the engine's own IPv4 ID (RFC 7857 §11).
  translated_request.ip_id = net::load_be16(wan.frames[0].bytes.data() + 4);
  EXPECT_THAT(
      compare_fields(dissect(build_packet(translated_request)), dissect(wan.frames[0].bytes)),
      ::testing::IsEmpty());
  expect_checksums_ok(wan.frames[0].bytes);

  const TestCapture lan = read_capture(lan_out());
  EXPECT_EQ(lan.dlt, DLT_RAW);
  ASSERT_EQ(lan.frames.size(), 1u);
  EXPECT_EQ(lan.frames[0].timestamp_ns, kT0 + kMs);
  PacketSpec translated_reply = reply;
  translated_reply.dst = kHostA;
  translated_reply.ttl = static_cast<std::uint8_t>(reply.ttl - 1);
  EXPECT_THAT(compare_fields(dissect(build_packet(translated_reply)), dissect(lan.frames[0].bytes)),
              ::testing::IsEmpty());
  expect_checksums_ok(lan.frames[0].bytes);

  EXPECT_EQ(run.counter("lan.frames_in"), 1u);
  EXPECT_EQ(run.counter("wan.frames_in"), 1u);
  EXPECT_EQ(run.counter("lan.packets_out"), 1u);
  EXPECT_EQ(run.counter("wan.packets_out"), 1u);
  EXPECT_EQ(run.counter("engine.in2out"), 1u);
  EXPECT_EQ(run.counter("engine.out2in"), 1u);
  EXPECT_EQ(run.counter("sessions"), 1u);
}

TEST_F(ReplayE2eTest, OnEqualTimestampsTheLanGoesFirst) {
  // The reply carries the request's own timestamp: it is only translated
  // if the request made the session first.
  replay(TestCapture{DLT_RAW, true, {{kT0, build_packet(udp(kHostA, 40000, kServer, 53))}}},
         TestCapture{DLT_RAW, true, {{kT0, build_packet(udp(kServer, 53, kWanGateway, 40000))}}});
  EXPECT_EQ(read_capture(lan_out()).frames.size(), 1u);
}

TEST_F(ReplayE2eTest, AReplyStampedBeforeItsRequestFindsNoSession) {
  replay(TestCapture{DLT_RAW, true, {{kT0 + kMs, build_packet(udp(kHostA, 40000, kServer, 53))}}},
         TestCapture{DLT_RAW, true, {{kT0, build_packet(udp(kServer, 53, kWanGateway, 40000))}}});
  EXPECT_TRUE(read_capture(lan_out()).frames.empty());
  EXPECT_EQ(read_capture(wan_out()).frames.size(), 1u);
}

// Two LAN hosts with the same source port to the same server (RFC 4787 REQ-3).
TestCapture colliding_requests() {
  return {DLT_RAW,
          true,
          {{kT0, build_packet(udp(kHostA, 5000, kServer, 53))},
           {kT0 + kMs, build_packet(udp(kHostB, 5000, kServer, 53))}}};
}

TEST_F(ReplayE2eTest, TheSameSeedGivesByteIdenticalOutputs) {
  const TestCapture wan_in{
      DLT_RAW, true, {{kT0 + 2 * kMs, build_packet(udp(kServer, 53, kWanGateway, 5000))}}};
  replay(colliding_requests(), wan_in, {"--seed", "7"}, "first-");
  replay(colliding_requests(), wan_in, {"--seed", "7"}, "second-");
  EXPECT_EQ(read_capture(wan_out("first-")).frames.size(), 2u);
  EXPECT_EQ(read_capture(lan_out("first-")).frames.size(), 1u);
  EXPECT_EQ(file_bytes(wan_out("first-")), file_bytes(wan_out("second-")));
  EXPECT_EQ(file_bytes(lan_out("first-")), file_bytes(lan_out("second-")));
}

TEST_F(ReplayE2eTest, CollidingSourcePortsGetDistinctExternalPortsChosenByTheSeed) {
  std::set<std::uint64_t> moved_ports;
  for (const char* seed : {"1", "2", "3", "4"}) {
    replay(colliding_requests(), std::nullopt, {"--seed", seed}, seed);
    const TestCapture wan = read_capture(wan_out(seed));
    ASSERT_EQ(wan.frames.size(), 2u);
    const std::uint64_t port_a = field(wan.frames[0].bytes, "udp.src_port");
    const std::uint64_t port_b = field(wan.frames[1].bytes, "udp.src_port");
    EXPECT_NE(port_a, port_b) << "seed " << seed;
    // The first host keeps its port (preserved while free); the second moves.
    EXPECT_EQ(port_a, 5000u) << "seed " << seed;
    moved_ports.insert(port_b);
    for (const TestFrame& f : wan.frames) expect_checksums_ok(f.bytes);
  }
  EXPECT_GT(moved_ports.size(), 1u) << "the moved port does not depend on the seed";
}

TEST_F(ReplayE2eTest, EthernetLanInAndRawWanIn) {
  const Bytes request = build_packet(udp(kHostA, 40000, kServer, 53));
  Bytes tagged = ethernet(kMacA, 0x0800, request, 100);
  tagged.resize(64, 0);  // Ethernet padding after the datagram (RFC 894)
  // An ARP packet the router cannot decode, and IPv6, which it does not carry.
  const Bytes arp = ethernet(kMacA, 0x0806, Bytes(28, 0));
  const Bytes ipv6 = ethernet(kMacA, 0x86DD, Bytes(40, 0));
  const Bytes runt(10, 0xaa);
  const ToolRun run =
      replay(TestCapture{DLT_EN10MB, false, {{kT0, arp}, {kT0, ipv6}, {kT0, tagged}, {kT0, runt}}},
             TestCapture{
                 DLT_RAW, true, {{kT0 + kMs, build_packet(udp(kServer, 53, kWanGateway, 40000))}}});

  const TestCapture wan = read_capture(wan_out());
  EXPECT_EQ(wan.dlt, DLT_RAW);
  ASSERT_EQ(wan.frames.size(), 1u);
  // The padding is not part of the datagram and does not leave on the WAN.
  EXPECT_EQ(wan.frames[0].bytes.size(), request.size());
  expect_checksums_ok(wan.frames[0].bytes);

  const TestCapture lan = read_capture(lan_out());
  EXPECT_EQ(lan.dlt, DLT_EN10MB);
  ASSERT_EQ(lan.frames.size(), 1u);
  const Bytes& frame = lan.frames[0].bytes;
  ASSERT_GE(frame.size(), 14u);
  // To the MAC host A sent from, from the gateway's LAN MAC, untagged IPv4.
  EXPECT_EQ(Bytes(frame.begin(), frame.begin() + 6), kMacA);
  EXPECT_EQ(Bytes(frame.begin() + 6, frame.begin() + 12), kLanGatewayMac);
  EXPECT_EQ(Bytes(frame.begin() + 12, frame.begin() + 14), (Bytes{0x08, 0x00}));
  const Bytes reply = strip_ethernet(frame);
  EXPECT_EQ(field(reply, "ip.dst"), kHostA.value());
  EXPECT_EQ(field(reply, "udp.dst_port"), 40000u);
  expect_checksums_ok(reply);

  EXPECT_EQ(run.counter("lan.frames_in"), 4u);
  EXPECT_EQ(run.counter("lan.not_ipv4"), 1u);
  EXPECT_EQ(run.counter("lan.malformed"), 1u);
  EXPECT_EQ(run.counter(router_drop(router::DropReason::arp_malformed)), 1u);
}

TEST_F(ReplayE2eTest, AnOutputWithoutItsOwnInputTakesTheOtherLinkType) {
  const Bytes request = build_packet(udp(kHostA, 40000, kServer, 53));
  replay(TestCapture{DLT_EN10MB, true, {{kT0, ethernet(kMacA, 0x0800, request)}}}, std::nullopt);
  const TestCapture wan = read_capture(wan_out());
  EXPECT_EQ(wan.dlt, DLT_EN10MB);
  ASSERT_EQ(wan.frames.size(), 1u);
  const Bytes& frame = wan.frames[0].bytes;
  ASSERT_GE(frame.size(), 14u);
  // Nothing was ever seen on the WAN: the next hop is the WAN's stand-in
  // peer, and no ARP request of the router's is written.
  EXPECT_EQ(Bytes(frame.begin(), frame.begin() + 6), kWanPeerMac);
  EXPECT_EQ(Bytes(frame.begin() + 12, frame.begin() + 14), (Bytes{0x08, 0x00}));
  EXPECT_EQ(Bytes(frame.begin() + 6, frame.begin() + 12), kWanGatewayMac);
  EXPECT_EQ(field(strip_ethernet(frame), "ip.src"), kWanGateway.value());
  EXPECT_EQ(read_capture(lan_out()).dlt, DLT_EN10MB);
}

TEST_F(ReplayE2eTest, APortForwardFlagOpensTheWanPort) {
  const ToolRun run = replay(
      std::nullopt,
      TestCapture{DLT_RAW, true, {{kT0, build_packet(udp(kServer, 7777, kWanGateway, 5000))}}},
      {"--forward", "udp/5000=192.168.77.3:6000"});
  const TestCapture lan = read_capture(lan_out());
  ASSERT_EQ(lan.frames.size(), 1u);
  EXPECT_EQ(field(lan.frames[0].bytes, "ip.dst"), kHostB.value());
  EXPECT_EQ(field(lan.frames[0].bytes, "udp.dst_port"), 6000u);
  EXPECT_EQ(field(lan.frames[0].bytes, "ip.src"), kServer.value());
  expect_checksums_ok(lan.frames[0].bytes);
  EXPECT_EQ(run.counter("engine.out2in"), 1u);
}

TEST_F(ReplayE2eTest, HairpinnedPacketsGoBackToTheLan) {
  // Host A reaches host B through B's forwarded external port and appears
  // with its own external address (RFC 4787 REQ-9a).
  const ToolRun run = replay(
      TestCapture{DLT_RAW, true, {{kT0, build_packet(udp(kHostA, 40000, kWanGateway, 5000))}}},
      std::nullopt, {"--forward", "udp/5000=192.168.77.3:6000"});
  EXPECT_TRUE(read_capture(wan_out()).frames.empty());
  const TestCapture lan = read_capture(lan_out());
  ASSERT_EQ(lan.frames.size(), 1u);
  EXPECT_EQ(field(lan.frames[0].bytes, "ip.src"), kWanGateway.value());
  EXPECT_EQ(field(lan.frames[0].bytes, "ip.dst"), kHostB.value());
  EXPECT_EQ(field(lan.frames[0].bytes, "udp.dst_port"), 6000u);
  expect_checksums_ok(lan.frames[0].bytes);
  EXPECT_EQ(run.counter("engine.hairpinned"), 1u);
}

TEST_F(ReplayE2eTest, TtlOneGetsTimeExceededFromTheLanGateway) {
  PacketSpec dying = udp(kHostA, 40000, kServer, 53);
  dying.ttl = 1;
  const ToolRun run =
      replay(TestCapture{DLT_RAW, true, {{kT0, build_packet(dying)}}}, std::nullopt);
  EXPECT_TRUE(read_capture(wan_out()).frames.empty());
  const TestCapture lan = read_capture(lan_out());
  ASSERT_EQ(lan.frames.size(), 1u);
  EXPECT_EQ(lan.frames[0].timestamp_ns, kT0);
  const Bytes& error = lan.frames[0].bytes;
  EXPECT_EQ(field(error, "ip.src"), kLanGateway.value());
  EXPECT_EQ(field(error, "ip.dst"), kHostA.value());
  EXPECT_EQ(field(error, "icmp.type"), 11u);  // time exceeded (RFC 792)
  EXPECT_EQ(field(error, "icmp.code"), 0u);   // in transit
  EXPECT_EQ(field(error, "inner.ip.src"), kHostA.value());
  EXPECT_EQ(field(error, "inner.udp.src_port"), 40000u);
  expect_checksums_ok(error);
  EXPECT_EQ(run.counter("icmp_sent"), 1u);
  EXPECT_EQ(run.counter("drop." + std::string(nat::to_string(nat::DropReason::ttl_expired))), 1u);
}

// A config file that only narrows the WAN MTU; the quick-start flags give
// the rest.
std::string small_wan_mtu_config(const ScratchDir& dir, int mtu) {
  const auto path = dir / "mtu.toml";
  std::ofstream(path) << "[lan]\nname = \"lan0\"\naddress = \"192.168.77.1/24\"\n"
                      << "[wan]\nname = \"wan0\"\naddress = \"203.0.113.1/24\"\nmtu = " << mtu
                      << "\n";
  return path.string();
}

TEST_F(ReplayE2eTest, AFragmentedDatagramIsReassembledTranslatedAndFragmentedForTheWanMtu) {
  PacketSpec big = udp(kHostA, 40000, kServer, 53);
  big.payload = pattern_payload(1400);
  big.ip_id = 77;
  const Bytes datagram = build_packet(big);
  const std::vector<Bytes> fragments = router::test::split(datagram, 1000);
  ASSERT_EQ(fragments.size(), 2u);
  for (const bool reversed : {false, true}) {
    SCOPED_TRACE(reversed ? "reversed" : "in order");
    const std::string tag = reversed ? "reversed-" : "in-order-";
    const Bytes& first = reversed ? fragments[1] : fragments[0];
    const Bytes& second = reversed ? fragments[0] : fragments[1];
    const ToolRun run = replay(TestCapture{DLT_RAW, true, {{kT0, first}, {kT0 + kMs, second}}},
                               std::nullopt, {"--config", small_wan_mtu_config(dir_, 576)}, tag);

    const TestCapture wan = read_capture(wan_out(tag));
    // 1408 bytes of UDP in fragments of at most 576 bytes: 552 + 552 + 304.
    ASSERT_EQ(wan.frames.size(), 3u);
    std::vector<Bytes> sent;
    for (const TestFrame& f : wan.frames) {
      EXPECT_LE(f.bytes.size(), 576u);
      EXPECT_EQ(f.timestamp_ns, kT0 + kMs);  // out when the datagram is whole
      expect_checksums_ok(f.bytes);
      sent.push_back(f.bytes);
    }
    const Bytes whole = router::test::reassemble(sent);
    PacketSpec translated = big;
    translated.src = kWanGateway;
    translated.ttl = static_cast<std::uint8_t>(big.ttl - 1);
    // The engine's ID (RFC 7857 §11), the same in every fragment (RFC 791 §3.2).
    translated.ip_id = net::load_be16(sent[0].data() + 4);
    for (const Bytes& f : sent) EXPECT_EQ(net::load_be16(f.data() + 4), translated.ip_id);
    EXPECT_THAT(compare_fields(dissect(build_packet(translated)), dissect(whole)),
                ::testing::IsEmpty());
    expect_checksums_ok(whole);  // the UDP checksum, over the whole datagram
    EXPECT_EQ(run.counter("router.fragments_received"), 2u);
    EXPECT_EQ(run.counter("router.fragments_sent"), 3u);
    EXPECT_EQ(run.counter("engine.in2out"), 1u);
  }
}

TEST_F(ReplayE2eTest, DontFragmentAndTooBigDrawsFragmentationNeededWithTheMtu) {
  PacketSpec big = udp(kHostA, 40000, kServer, 53);
  big.payload = pattern_payload(1000);
  big.dont_fragment = true;
  const ToolRun run = replay(TestCapture{DLT_RAW, true, {{kT0, build_packet(big)}}}, std::nullopt,
                             {"--config", small_wan_mtu_config(dir_, 576)});
  EXPECT_TRUE(read_capture(wan_out()).frames.empty());
  const TestCapture lan = read_capture(lan_out());
  ASSERT_EQ(lan.frames.size(), 1u);
  const Bytes& error = lan.frames[0].bytes;
  EXPECT_EQ(field(error, "ip.src"), kLanGateway.value());
  EXPECT_EQ(field(error, "ip.dst"), kHostA.value());
  EXPECT_EQ(field(error, "icmp.type"), 3u);    // destination unreachable
  EXPECT_EQ(field(error, "icmp.code"), 4u);    // fragmentation needed (RFC 1191)
  EXPECT_EQ(field(error, "icmp.rest"), 576u);  // the next-hop MTU in the low half
  EXPECT_EQ(field(error, "inner.ip.src"), kHostA.value());
  expect_checksums_ok(error);
  EXPECT_EQ(run.counter("icmp_sent"), 1u);
  EXPECT_EQ(run.counter(router_drop(router::DropReason::frag_needed)), 1u);
}

TEST_F(ReplayE2eTest, AnArpRequestForTheGatewayIsAnsweredAndNoneIsInvented) {
  const router::ArpPacket ask = router::ArpPacket::request(
      router::MacAddr({0x52, 0x54, 0x00, 0x00, 0x00, 0x0a}), kHostA, kLanGateway);
  Bytes arp(router::kArpLength);
  router::encode_arp(ask, arp.data());
  Bytes broadcast = ethernet(kMacA, 0x0806, arp);
  std::fill_n(broadcast.begin(), 6, 0xff);
  // A packet to a LAN host never seen: the router would ask for it.
  const ToolRun run =
      replay(TestCapture{DLT_EN10MB, true, {{kT0, broadcast}}},
             TestCapture{
                 DLT_RAW, true, {{kT0 + kMs, build_packet(udp(kServer, 7777, kWanGateway, 5000))}}},
             {"--forward", "udp/5000=192.168.77.3:6000"});

  const TestCapture lan = read_capture(lan_out());
  ASSERT_EQ(lan.frames.size(), 2u);
  const Bytes& reply = lan.frames[0].bytes;
  ASSERT_EQ(reply.size(), router::kArpFrameLength);
  EXPECT_EQ(Bytes(reply.begin(), reply.begin() + 6), kMacA);
  const auto answer = router::decode_arp(std::span(reply).subspan(router::kEthernetHeader));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->op, router::ArpOp::reply);
  EXPECT_EQ(answer->sender_ip, kLanGateway);
  EXPECT_EQ(answer->sender_mac, router::MacAddr({0x02, 0x00, 0x00, 0x00, 0x00, 0x01}));

  // Host B was never seen: its packet goes to the LAN's stand-in peer.
  const Bytes& forwarded = lan.frames[1].bytes;
  EXPECT_EQ(Bytes(forwarded.begin(), forwarded.begin() + 6),
            (Bytes{0x02, 0x00, 0x00, 0x00, 0x01, 0x01}));
  EXPECT_EQ(field(strip_ethernet(forwarded), "ip.dst"), kHostB.value());
  expect_checksums_ok(strip_ethernet(forwarded));
  EXPECT_EQ(run.counter("router.arp_replies_sent"), 1u);
  EXPECT_EQ(run.counter("lan.packets_out"), 2u);
}

TEST_F(ReplayE2eTest, TheWanNextHopIsLearntFromFramesThatCameThroughIt) {
  const Bytes kUpstreamMac{0x52, 0x54, 0x00, 0x00, 0x00, 0xfe};
  Bytes from_upstream =
      ethernet(kUpstreamMac, 0x0800, build_packet(udp(kServer, 53, kWanGateway, 40000)));
  std::copy(kWanGatewayMac.begin(), kWanGatewayMac.end(), from_upstream.begin());
  replay(TestCapture{DLT_EN10MB,
                     true,
                     {{kT0, ethernet(kMacA, 0x0800, build_packet(udp(kHostA, 40000, kServer, 53)))},
                      {kT0 + 2 * kMs,
                       ethernet(kMacA, 0x0800, build_packet(udp(kHostA, 40001, kServer, 53)))}}},
         TestCapture{DLT_EN10MB, true, {{kT0 + kMs, from_upstream}}});
  const TestCapture wan = read_capture(wan_out());
  ASSERT_EQ(wan.frames.size(), 2u);
  // Before anything came from the WAN: the stand-in peer; after: the
  // upstream router that the server's packet came through.
  EXPECT_EQ(Bytes(wan.frames[0].bytes.begin(), wan.frames[0].bytes.begin() + 6), kWanPeerMac);
  EXPECT_EQ(Bytes(wan.frames[1].bytes.begin(), wan.frames[1].bytes.begin() + 6), kUpstreamMac);
  for (const TestFrame& f : wan.frames) expect_checksums_ok(strip_ethernet(f.bytes));
  const TestCapture lan = read_capture(lan_out());
  ASSERT_EQ(lan.frames.size(), 1u);
  EXPECT_EQ(Bytes(lan.frames[0].bytes.begin(), lan.frames[0].bytes.begin() + 6), kMacA);
}

TEST_F(ReplayE2eTest, MalformedPacketsAreCountedAndSkipped) {
  PacketSpec bad_checksum = udp(kHostA, 40000, kServer, 53);
  bad_checksum.corrupt_ip_checksum = true;
  const ToolRun run =
      replay(TestCapture{DLT_RAW,
                         true,
                         {{kT0, Bytes{0x45, 0x00, 0x01}},
                          {kT0, build_packet(bad_checksum)},
                          {kT0 + kMs, build_packet(udp(kHostA, 40001, kServer, 53))}}},
             std::nullopt);
  // The router parses every frame before the engine sees it, as in masqd.
  EXPECT_EQ(run.counter(router_drop(router::DropReason::truncated)), 1u);
  EXPECT_EQ(run.counter(router_drop(router::DropReason::bad_ip_checksum)), 1u);
  EXPECT_EQ(read_capture(wan_out()).frames.size(), 1u);
}

TEST_F(ReplayE2eTest, AConfigFileWithFlagsOnTop) {
  // The file's LAN prefix does not hold host A; --lan replaces it, and
  // --seed replaces nat.seed: the result equals a file that says seed 9.
  const auto write_config = [&](const std::string& name, int seed) {
    std::ofstream(dir_ / name) << "[lan]\nname = \"lan0\"\naddress = \"10.9.9.1/24\"\n"
                               << "[wan]\nname = \"wan0\"\naddress = \"203.0.113.1/24\"\n"
                               << "[nat]\nseed = " << seed << "\n";
    return (dir_ / name).string();
  };
  const std::string seed_1 = write_config("seed1.toml", 1);
  const std::string seed_9 = write_config("seed9.toml", 9);
  replay(colliding_requests(), std::nullopt, {"--config", seed_1, "--seed", "9"}, "flag-");
  replay(colliding_requests(), std::nullopt, {"--config", seed_9}, "file-");
  EXPECT_EQ(read_capture(wan_out("flag-")).frames.size(), 2u);
  EXPECT_EQ(file_bytes(wan_out("flag-")), file_bytes(wan_out("file-")));
}

}  // namespace
}  // namespace masq::test
