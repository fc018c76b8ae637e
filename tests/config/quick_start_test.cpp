#include "config/quick_start.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/base_toml.hpp"
#include "config/read_toml.hpp"

namespace masq::config {
namespace {

using testing::addr;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::prefix;
using testing::read;
using testing::ReadResult;

// The file the flags are applied over: base_toml() with one forward.
ReadResult read_file() {
  return read(testing::base_toml("af_packet", testing::kSshForward));
}

TEST(ApplyFlags, NoFlagsLeaveTheDraftAlone) {
  auto r = read_file();
  apply_flags({}, r.draft, r.errors);
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.draft.lan.value->value.name, "lan0");
  EXPECT_EQ(r.draft.io, IoBackend::af_packet);
  EXPECT_EQ(r.draft.forwards.size(), 1u);
}

TEST(ApplyFlags, FlagsOverrideTheFileAndForwardsAddUp) {
  auto r = read_file();
  QuickStart flags;
  flags.lan = "eth1=10.0.0.1/8";
  flags.wan = "eth0=198.51.100.2/30";
  flags.gateway = "198.51.100.1";
  flags.io = "af_xdp";
  flags.control = "/tmp/masq.sock";
  flags.metrics = "127.0.0.1:9100";
  flags.state = "/tmp/masq.state";
  flags.forwards = {"tcp/8080=10.0.0.3:80", "udp/5000-5010=10.0.0.3:5000"};
  apply_flags(flags, r.draft, r.errors);
  EXPECT_THAT(r.errors, IsEmpty());
  ASSERT_TRUE(r.draft.lan.value);
  EXPECT_EQ(r.draft.lan.value->value, (Interface{"eth1", addr("10.0.0.1"), prefix("10.0.0.0/8")}));
  EXPECT_EQ(r.draft.lan.value->where, "--lan eth1=10.0.0.1/8");
  ASSERT_TRUE(r.draft.wan.value);
  EXPECT_EQ(r.draft.wan.value->value,
            (Interface{"eth0", addr("198.51.100.2"), prefix("198.51.100.0/30")}));
  EXPECT_EQ(r.draft.gateway->value, addr("198.51.100.1"));
  EXPECT_EQ(r.draft.gateway->where, "--gateway 198.51.100.1");
  EXPECT_EQ(r.draft.io, IoBackend::af_xdp);
  EXPECT_EQ(r.draft.control.path, "/tmp/masq.sock");
  EXPECT_EQ(r.draft.metrics, (MetricsListen{addr("127.0.0.1"), 9100}));
  EXPECT_EQ(r.draft.state.path, "/tmp/masq.state");
  ASSERT_EQ(r.draft.forwards.size(), 3u);
  EXPECT_EQ(r.draft.forwards[0].forward.internal_port, 22);
  EXPECT_FALSE(r.draft.forwards[1].external_given);
  EXPECT_EQ(r.draft.forwards[1].forward,
            (nat::PortForward{net::Proto::tcp, {}, {8080, 8080}, addr("10.0.0.3"), 80}));
  EXPECT_EQ(r.draft.forwards[2].forward,
            (nat::PortForward{net::Proto::udp, {}, {5000, 5010}, addr("10.0.0.3"), 5000}));
}

TEST(ApplyFlags, FlagsAloneFillAnEmptyDraft) {
  Draft draft;
  std::vector<std::string> errors;
  QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  apply_flags(flags, draft, errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_TRUE(draft.lan.value);
  EXPECT_FALSE(draft.wan.value);
  EXPECT_FALSE(draft.wan.rejected);
}

TEST(ApplyFlags, BadFlagsAreReportedWithTheirValue) {
  Draft draft;
  std::vector<std::string> errors;
  QuickStart flags;
  flags.lan = "lan0";
  flags.wan = "wan0=203.0.113.1";
  flags.gateway = "gw";
  flags.io = "netmap";
  flags.control = "";
  flags.forwards = {"tcp/80x=192.168.77.3:8080",
                    "sctp/80=192.168.77.3:80",
                    "tcp:80=192.168.77.3:80",
                    "udp/5000-5010=192.168.77.3",
                    "tcp/65000-65535=192.168.77.3:65001",
                    "tcp/65000-65535=192.168.77.3:1",
                    "=tcp/80"};
  apply_flags(flags, draft, errors);
  EXPECT_THAT(
      errors,
      ElementsAre(
          "--lan lan0: bad interface 'lan0' (want NAME=ADDR/LEN)",
          "--wan wan0=203.0.113.1: bad address '203.0.113.1' (want ADDR/LEN); or \"dhcp\" for a "
          "leased address",
          "--gateway gw: bad address 'gw'",
          "--io netmap: bad backend 'netmap' (want af_packet or af_xdp)",
          "--control : empty socket path", "--forward tcp/80x=192.168.77.3:8080: bad port '80x'",
          "--forward sctp/80=192.168.77.3:80: bad protocol 'sctp' (want tcp or udp)",
          "--forward tcp:80=192.168.77.3:80: bad forward 'tcp:80=192.168.77.3:80' "
          "(want PROTO/[ADDR:]PORTS=ADDR:PORT, e.g. tcp/8080=192.168.77.3:80)",
          "--forward udp/5000-5010=192.168.77.3: bad endpoint '192.168.77.3' (want ADDR:PORT)",
          "--forward tcp/65000-65535=192.168.77.3:65001: internal ports 65001..65536 run past "
          "65535",
          "--forward =tcp/80: bad forward '=tcp/80' "
          "(want PROTO/[ADDR:]PORTS=ADDR:PORT, e.g. tcp/8080=192.168.77.3:80)"));
  EXPECT_TRUE(draft.lan.rejected);
  EXPECT_TRUE(draft.wan.rejected);
  EXPECT_EQ(draft.forwards.size(), 1u);
}

TEST(ApplyFlags, ABadInterfaceFlagReplacesTheFilesValue) {
  auto r = read_file();
  QuickStart flags;
  flags.lan = "lan0=192.168.77.0/24";
  apply_flags(flags, r.draft, r.errors);
  EXPECT_THAT(r.errors, ElementsAre("--lan lan0=192.168.77.0/24: '192.168.77.0/24' is the network "
                                    "address of its prefix"));
  EXPECT_FALSE(r.draft.lan.value);
  EXPECT_TRUE(r.draft.lan.rejected);
}

}  // namespace
}  // namespace masq::config
