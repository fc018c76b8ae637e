#include <gtest/gtest.h>

#include "engine_harness.hpp"
#include "masq/nat/engine.hpp"
#include "masq/nat/port_slice.hpp"

namespace masq::nat {
namespace {

using harness::flow;
using net::Ipv4Addr;
using net::Proto;
using test::L4Kind;

const Ipv4Addr kPublic = Ipv4Addr::from_octets(203, 0, 113, 1);
const Ipv4Addr kStatic = Ipv4Addr::from_octets(203, 0, 113, 9);
const Ipv4Addr kRemote = Ipv4Addr::from_octets(198, 51, 100, 7);
const Ipv4Addr kServer = Ipv4Addr::from_octets(192, 168, 77, 3);
const Ipv4Addr kStaticHost = Ipv4Addr::from_octets(192, 168, 77, 9);
constexpr std::uint32_t kWorkers = 4;

EngineConfig config(std::uint32_t index) {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("192.168.77.0/24")};
  cfg.pool = {{kPublic, kPublic}};
  cfg.static_nat = {{kStaticHost, kStatic}};
  cfg.forwards = {{Proto::tcp, kPublic, {8080, 8080}, kServer, 80}};
  cfg.max_sessions = 256;
  cfg.worker = {index, kWorkers};
  return cfg;
}

std::uint32_t owner_of(const Engine& e, std::vector<std::uint8_t> bytes, Side side) {
  const PacketRef ref = parse_packet(bytes);
  EXPECT_EQ(ref.error, net::ParseError::ok);
  return e.owner(ref.packet, side);
}

TEST(Owner, LanPacketsBelongToTheirSubscriber) {
  const Engine e(config(0));
  for (std::uint8_t host = 2; host < 40; ++host) {
    const Ipv4Addr src = Ipv4Addr::from_octets(192, 168, 77, host);
    for (const L4Kind kind : {L4Kind::udp, L4Kind::tcp, L4Kind::icmp}) {
      EXPECT_EQ(owner_of(e, test::build_packet(flow(kind, src, 4000, kRemote, 53)), Side::lan),
                address_owner(src, kWorkers));
    }
  }
}

// The gateway host's ports on the WAN address are worker 0's, which
// serves the host interfaces; the same ports elsewhere keep their slice.
TEST(Owner, TheHostsPortsBelongToWorkerZero) {
  EngineConfig cfg = config(3);
  cfg.host_ports = HostPorts{kPublic, {32768, 60999}};
  const Engine e(cfg);
  for (const std::uint16_t port :
       {std::uint16_t{32768}, std::uint16_t{50000}, std::uint16_t{60999}}) {
    for (const L4Kind kind : {L4Kind::udp, L4Kind::tcp}) {
      EXPECT_EQ(owner_of(e, test::build_packet(flow(kind, kRemote, 53, kPublic, port)), Side::wan),
                0u);
    }
  }
  EXPECT_EQ(
      owner_of(e, test::build_packet(flow(L4Kind::udp, kRemote, 53, kPublic, 61000)), Side::wan),
      port_owner(Proto::udp, 61000, kWorkers));
}

// A reply reaches the worker whose slice holds its destination port or
// identifier: the worker whose binder handed it out.
TEST(Owner, WanPacketsBelongToTheirPortsSlice) {
  const Engine e(config(2));
  for (const std::uint16_t port :
       {std::uint16_t{1}, std::uint16_t{1023}, std::uint16_t{1024}, std::uint16_t{20000},
        std::uint16_t{40000}, std::uint16_t{65535}}) {
    EXPECT_EQ(
        owner_of(e, test::build_packet(flow(L4Kind::udp, kRemote, 53, kPublic, port)), Side::wan),
        port_owner(Proto::udp, port, kWorkers));
    test::PacketSpec echo = flow(L4Kind::icmp, kRemote, 0, kPublic, 0);
    echo.icmp_type = 0;
    echo.icmp_rest_high = port;
    EXPECT_EQ(owner_of(e, test::build_packet(echo), Side::wan),
              port_owner(Proto::icmp, port, kWorkers));
  }
}

TEST(Owner, ForwardsAndStaticAddressesBelongToTheirHost) {
  const Engine e(config(0));
  EXPECT_EQ(
      owner_of(e, test::build_packet(flow(L4Kind::tcp, kRemote, 999, kPublic, 8080)), Side::wan),
      address_owner(kServer, kWorkers));
  EXPECT_EQ(owner_of(e, test::build_packet(flow(L4Kind::udp, kRemote, 999, kStatic, 7)), Side::wan),
            address_owner(kStaticHost, kWorkers));
}

// An error from outside is about a packet we sent: the quote's source port.
TEST(Owner, WanErrorsBelongToTheQuotedSourcePort) {
  const Engine e(config(1));
  for (const std::uint16_t port :
       {std::uint16_t{1500}, std::uint16_t{33000}, std::uint16_t{60000}}) {
    test::PacketSpec err = flow(L4Kind::icmp, kRemote, 0, kPublic, 0);
    err.icmp_type = 3;
    err.icmp_code = 3;
    err.inner = {flow(L4Kind::udp, kPublic, port, kRemote, 53)};
    EXPECT_EQ(owner_of(e, test::build_packet(err), Side::wan),
              port_owner(Proto::udp, port, kWorkers));
  }
}

// Every fragment of a datagram from outside goes to one worker, named by
// its source: only the first carries ports.
TEST(Owner, WanFragmentsMeetByTheirSource) {
  const Engine e(config(3));
  test::PacketSpec first = flow(L4Kind::udp, kRemote, 53, kPublic, 40000);
  first.more_fragments = true;
  first.payload = test::pattern_payload(64);
  EXPECT_EQ(owner_of(e, test::build_packet(first), Side::wan), address_owner(kRemote, kWorkers));
}

// A hairpinned packet's second half needs the destination's mapping: it
// belongs where that mapping is, as the same packet from outside would.
TEST(Owner, HairpinnedPacketsBelongToTheDestinationsWorker) {
  const Engine e(config(0));
  const Ipv4Addr host = Ipv4Addr::from_octets(192, 168, 77, 2);
  for (const std::uint16_t port :
       {std::uint16_t{1500}, std::uint16_t{33000}, std::uint16_t{60000}}) {
    EXPECT_EQ(
        owner_of(e, test::build_packet(flow(L4Kind::udp, host, 4000, kPublic, port)), Side::lan),
        port_owner(Proto::udp, port, kWorkers));
  }
  EXPECT_EQ(
      owner_of(e, test::build_packet(flow(L4Kind::tcp, host, 4000, kPublic, 8080)), Side::lan),
      address_owner(kServer, kWorkers));
}

TEST(Owner, OneWorkerOwnsAll) {
  EngineConfig cfg = config(0);
  cfg.worker = {};
  const Engine e(cfg);
  EXPECT_EQ(
      owner_of(e, test::build_packet(flow(L4Kind::udp, kRemote, 53, kPublic, 40000)), Side::wan),
      0u);
}

}  // namespace
}  // namespace masq::nat
