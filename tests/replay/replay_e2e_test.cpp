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
#include "masq/net/ipv4_addr.hpp"
#include "pcap_files.hpp"
#include "replay_tool.hpp"
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
const Bytes kBroadcast(6, 0xff);

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
  const Bytes arp = ethernet(kMacA, 0x0806, Bytes(28, 0));
  const Bytes runt(10, 0xaa);
  const ToolRun run =
      replay(TestCapture{DLT_EN10MB, false, {{kT0, arp}, {kT0, tagged}, {kT0, runt}}},
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

  EXPECT_EQ(run.counter("lan.frames_in"), 3u);
  EXPECT_EQ(run.counter("lan.not_ipv4"), 1u);
  EXPECT_EQ(run.counter("lan.malformed"), 1u);
}

TEST_F(ReplayE2eTest, AnOutputWithoutItsOwnInputTakesTheOtherLinkType) {
  const Bytes request = build_packet(udp(kHostA, 40000, kServer, 53));
  replay(TestCapture{DLT_EN10MB, true, {{kT0, ethernet(kMacA, 0x0800, request)}}}, std::nullopt);
  const TestCapture wan = read_capture(wan_out());
  EXPECT_EQ(wan.dlt, DLT_EN10MB);
  ASSERT_EQ(wan.frames.size(), 1u);
  const Bytes& frame = wan.frames[0].bytes;
  ASSERT_GE(frame.size(), 14u);
  // Nothing was ever seen from the server on the WAN: broadcast.
  EXPECT_EQ(Bytes(frame.begin(), frame.begin() + 6), kBroadcast);
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
  EXPECT_EQ(run.counter("drop." + std::string(nat::to_string(nat::DropReason::truncated))), 1u);
  EXPECT_EQ(run.counter("drop." + std::string(nat::to_string(nat::DropReason::bad_ip_checksum))),
            1u);
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
