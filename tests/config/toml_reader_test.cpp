#include "config/toml_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/base_toml.hpp"
#include "config/read_toml.hpp"

namespace masq::config {
namespace {

using testing::addr;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::prefix;
using testing::read;

TEST(ReadToml, ReadsTheTopLevelSections) {
  const auto r = read(testing::base_toml("af_xdp"));
  EXPECT_THAT(r.errors, IsEmpty());
  ASSERT_TRUE(r.draft.lan.value);
  EXPECT_EQ(r.draft.lan.value->value,
            (Interface{"lan0", addr("192.168.77.1"), prefix("192.168.77.0/24")}));
  EXPECT_EQ(r.draft.lan.value->where, "masq.toml:3: lan.address");
  ASSERT_TRUE(r.draft.wan.value);
  EXPECT_EQ(r.draft.wan.value->value,
            (Interface{"wan0", addr("203.0.113.1"), prefix("203.0.113.0/24")}));
  ASSERT_TRUE(r.draft.gateway);
  EXPECT_EQ(r.draft.gateway->value, addr("203.0.113.254"));
  EXPECT_EQ(r.draft.gateway->where, "masq.toml:8: wan.gateway");
  EXPECT_EQ(r.draft.io, IoBackend::af_xdp);
  EXPECT_EQ(r.draft.control.path, "/run/masq/masq.sock");
}

TEST(ReadToml, AnMtuIsReadPerSideAndChecked) {
  const auto r = read(R"([lan]
name = "lan0"
address = "192.168.77.1/24"
mtu = 9000
[wan]
name = "wan0"
address = "203.0.113.1/24"
mtu = 67
)");
  EXPECT_EQ(r.draft.lan.mtu, 9000);
  EXPECT_FALSE(r.draft.wan.mtu);
  EXPECT_THAT(r.errors, ElementsAre(HasSubstr("masq.toml:8: wan.mtu:")));
}

TEST(ReadToml, TheControlSocketsModeOwnerAndGroup) {
  const auto r = read(R"([control]
socket = "/run/m/m.sock"
mode = "0640"
owner = "root"
group = "adm"
)");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.draft.control, (ControlSocket{"/run/m/m.sock", 0640, "root", "adm"}));
  const auto bad = read("[control]\nmode = \"0980\"\n");
  EXPECT_THAT(bad.errors, ElementsAre(HasSubstr("masq.toml:2: control.mode: bad mode '0980'")));
  const auto wide = read("[control]\nmode = \"1777\"\n");
  EXPECT_THAT(wide.errors, ElementsAre(HasSubstr("control.mode: bad mode")));
}

TEST(ReadToml, TheMetricsListener) {
  const auto r = read("[metrics]\nlisten = \"127.0.0.1:9187\"\n");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.draft.metrics, (MetricsListen{addr("127.0.0.1"), 9187}));
  const auto bad = read("[metrics]\nlisten = \"127.0.0.1\"\n");
  EXPECT_THAT(bad.errors, ElementsAre(HasSubstr("masq.toml:2: metrics.listen: bad endpoint")));
}

TEST(ReadToml, TheStateSnapshot) {
  EXPECT_EQ(read("").draft.state, StateOptions{});
  EXPECT_FALSE(read("").draft.state.path);
  // A [state] table keeps one, at the default path unless told.
  const auto defaults = read("[state]\n");
  EXPECT_EQ(defaults.draft.state.path, std::string(kDefaultStatePath));
  EXPECT_EQ(defaults.draft.state.interval_s, kDefaultStateIntervalS);
  const auto r = read("[state]\npath = \"/tmp/s\"\ninterval_s = 5\n");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.draft.state, (StateOptions{"/tmp/s", 5}));
  const auto bad = read("[state]\ninterval_s = -1\nsize = 3\n");
  EXPECT_THAT(bad.errors, ElementsAre(HasSubstr("masq.toml:2: state.interval_s"),
                                      HasSubstr("masq.toml:3: state.size")));
}

TEST(ReadToml, TheTranslationLog) {
  const auto r = read(R"([log]
translations = "/var/log/masq/translations.log"
translations_max_bytes = 1048576
translations_keep = 9
translations_remote = true
ipfix = "192.0.2.7:4739"
)");
  EXPECT_THAT(r.errors, IsEmpty());
  LogOptions expected;
  expected.translations = "/var/log/masq/translations.log";
  expected.translations_max_bytes = 1048576;
  expected.translations_keep = 9;
  expected.translations_remote = true;
  expected.ipfix = "192.0.2.7:4739";
  EXPECT_EQ(r.draft.log, expected);
  EXPECT_EQ(read("").draft.log, LogOptions{});  // no log unless asked
  const auto bad = read("[log]\ntranslations = \"t.log\"\ntranslations_max_bytes = 10\n");
  EXPECT_THAT(bad.errors,
              ElementsAre(HasSubstr("masq.toml:2: log.translations: bad log file 't.log'"),
                          HasSubstr("masq.toml:3: log.translations_max_bytes")));
  EXPECT_THAT(read("[log]\nipfix = \"192.0.2.7\"\n").errors,
              ElementsAre(HasSubstr("masq.toml:2: log.ipfix: bad endpoint")));
}

TEST(ReadToml, AnEmptyFileLeavesEverythingUnset) {
  const auto r = read("");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_TRUE(r.parsed);
  EXPECT_FALSE(r.draft.lan.value);
  EXPECT_FALSE(r.draft.lan.rejected);
  EXPECT_FALSE(r.draft.gateway);
  EXPECT_FALSE(r.draft.io);
  EXPECT_FALSE(r.draft.control.path);
}

TEST(ReadToml, UnknownKeysAreReportedWithTheirLines) {
  const auto r = read(R"([lan]
name = "lan0"
adress = "192.168.77.1/24"
[wan]
name = "wan0"
address = "203.0.113.1/24"
gatway = "203.0.113.254"
[lna]
[io]
backnd = "af_xdp"
)");
  EXPECT_THAT(
      r.errors,
      ElementsAre(
          "masq.toml:1: lan.address: missing",
          "masq.toml:3: lan.adress: unknown key (known here: name, address, mtu, source_guard)",
          "masq.toml:7: wan.gatway: unknown key (known here: name, address, mtu, gateway)",
          "masq.toml:10: io.backnd: unknown key (known here: backend, rx_frames, "
          "tx_frames, tcp_gso, busy_poll_us, workers)",
          "masq.toml:8: lna: unknown key (known here: lan, wan, io, control, metrics, log, state, "
          "router, pcp, host, nat)"));
  EXPECT_TRUE(r.draft.lan.rejected);
  EXPECT_TRUE(r.draft.wan.value);
}

TEST(ReadToml, BadValuesAreReportedAndTheInterfaceRejected) {
  const auto r = read(R"([lan]
name = "a-very-long-interface-name"
address = "192.168.77.1"
[wan]
name = "wan0"
address = "203.0.113.1/24"
gateway = "203.0.113"
[io]
backend = "dpdk"
)");
  EXPECT_THAT(
      r.errors,
      ElementsAre(HasSubstr("masq.toml:2: lan.name: interface name 'a-very-long-interface-name'"),
                  "masq.toml:3: lan.address: bad address '192.168.77.1' (want ADDR/LEN)",
                  "masq.toml:7: wan.gateway: bad address '203.0.113'",
                  "masq.toml:9: io.backend: bad backend 'dpdk' (want af_packet or af_xdp)"));
  EXPECT_FALSE(r.draft.lan.value);
  EXPECT_TRUE(r.draft.lan.rejected);
  EXPECT_FALSE(r.draft.gateway);
  EXPECT_FALSE(r.draft.io);
}

TEST(ReadToml, RingSizesAreReadWithinTheirRange) {
  const auto good = read(R"([io]
rx_frames = 16384
tx_frames = 64
)");
  EXPECT_THAT(good.errors, IsEmpty());
  EXPECT_EQ(good.draft.rx_frames, 16384u);
  EXPECT_EQ(good.draft.tx_frames, 64u);

  const auto bad = read(R"([io]
rx_frames = 63
tx_frames = 1048576
)");
  EXPECT_THAT(bad.errors, ElementsAre("masq.toml:2: io.rx_frames: must be at least 64",
                                      "masq.toml:3: io.tx_frames: must be at most 262144"));
  EXPECT_FALSE(bad.draft.rx_frames);
  EXPECT_FALSE(bad.draft.tx_frames);
}

TEST(ReadToml, WorkersAreReadWithinTheirRange) {
  const auto good = read("[io]\nworkers = 3\n");
  EXPECT_THAT(good.errors, IsEmpty());
  EXPECT_EQ(good.draft.workers, 3u);
  const auto bad = read("[io]\nworkers = 0\n");
  EXPECT_THAT(bad.errors, ElementsAre("masq.toml:2: io.workers: must be at least 1"));
  EXPECT_FALSE(bad.draft.workers);
}

TEST(ReadToml, TcpGsoIsABoolean) {
  const auto off = read(R"([io]
tcp_gso = false
)");
  EXPECT_THAT(off.errors, IsEmpty());
  EXPECT_EQ(off.draft.tcp_gso, false);
  EXPECT_FALSE(read("[io]\n").draft.tcp_gso);
  EXPECT_THAT(read("[io]\ntcp_gso = 1\n").errors,
              ElementsAre(HasSubstr("masq.toml:2: io.tcp_gso:")));
}

TEST(ReadToml, BusyPollIsBoundedMicroseconds) {
  const auto ok = read("[io]\nbusy_poll_us = 200\n");
  EXPECT_THAT(ok.errors, IsEmpty());
  EXPECT_EQ(ok.draft.busy_poll_us, 200u);
  EXPECT_THAT(read("[io]\nbusy_poll_us = 1000001\n").errors,
              ElementsAre("masq.toml:2: io.busy_poll_us: must be at most 1000000"));
}

TEST(ReadToml, WrongTypesAreErrors) {
  const auto r = read(R"(wan = "wan0"
nat = 3
[lan]
name = 0
address = "192.168.77.1/24"
[control]
socket = true
)");
  EXPECT_THAT(r.errors, ElementsAre("masq.toml:4: lan.name: expected a string, got integer",
                                    "masq.toml:1: wan: expected a table, got string",
                                    "masq.toml:7: control.socket: expected a string, got boolean",
                                    "masq.toml:2: nat: expected a table, got integer"));
  EXPECT_TRUE(r.draft.lan.rejected);
  EXPECT_TRUE(r.draft.wan.rejected);
}

TEST(ReadToml, SyntaxErrorsNameTheLine) {
  const auto r = read("[lan]\nname = \"lan0\"\naddress = 192.168.77.1/24\n");
  EXPECT_FALSE(r.parsed);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0], HasSubstr("masq.toml:3: syntax error: "));
}

}  // namespace
}  // namespace masq::config
