// The nftables ruleset masqd installs for the gateway host: the kernel
// kept off the links masqd owns, the WAN host interface admitting replies
// and the opened ports only, in tables named after that interface.
#include "host_firewall.hpp"

#include <gtest/gtest.h>

namespace masq::app {
namespace {

TEST(HostFirewall, TablesAreNamedAfterTheWanHostInterface) {
  EXPECT_EQ(host_table_name("masq-wan0"), "masq_host_masq_wan0");
}

TEST(HostFirewall, RulesetKeepsTheKernelOffTheLinksAndOpensOnlyWhatIsAsked) {
  const std::string rules = host_ruleset(
      "masq_host_masq_wan0", {"lan0",
                              "wan0",
                              "masq-wan0",
                              {{net::Proto::tcp, {22, 22}}, {net::Proto::udp, {60000, 60010}}}});
  EXPECT_EQ(rules,
            "add table netdev masq_host_masq_wan0\n"
            "delete table netdev masq_host_masq_wan0\n"
            "add table inet masq_host_masq_wan0\n"
            "delete table inet masq_host_masq_wan0\n"
            "table netdev masq_host_masq_wan0 {\n"
            "  chain lan {\n"
            "    type filter hook ingress device \"lan0\" priority filter; policy drop;\n"
            "  }\n"
            "  chain wan {\n"
            "    type filter hook ingress device \"wan0\" priority filter; policy drop;\n"
            "  }\n"
            "}\n"
            "table inet masq_host_masq_wan0 {\n"
            "  chain input {\n"
            "    type filter hook input priority filter; policy accept;\n"
            "    iifname \"masq-wan0\" ct state established,related accept\n"
            "    iifname \"masq-wan0\" tcp dport 22 accept\n"
            "    iifname \"masq-wan0\" udp dport 60000-60010 accept\n"
            "    iifname \"masq-wan0\" drop\n"
            "  }\n"
            "}\n");
}

}  // namespace
}  // namespace masq::app
