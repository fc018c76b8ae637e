#!/usr/bin/env bash
# Per-session accounting ([nat] accounting = true) with real traffic: a
# known number of pings and UDP datagrams, and masqctl sessions shows
# exactly those packets and bytes in each direction, in JSON and as
# conntrack -L's "packets= bytes=".
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "accounting is masqd's"
GW_NAT_TOML='accounting = true'
e2e_setup

# counts PROTO INTERNAL_ADDR: "in2out_packets in2out_bytes out2in_packets
# out2in_bytes external" of the one session of PROTO from INTERNAL_ADDR.
counts() {
  masqd_sessions_json | "$MQ_PY" -c '
import json, sys
proto, addr = sys.argv[1], sys.argv[2]
for s in json.load(sys.stdin)["sessions"]:
    if s["proto"] == proto and s["internal"].split(":")[0] == addr:
        i, o = s["in2out"], s["out2in"]
        print(i["packets"], i["bytes"], o["packets"], o["bytes"], s["external"])
' "$1" "$2"
}

# Five echoes of 56 data bytes: 84-byte IPv4 packets each way.
check "lan1 pings $SRV1 five times" nsx lan1 ping -c 5 -i 0.2 -W 2 "$SRV1"
read -r ip ib op ob _ <<<"$(counts icmp "$LAN1")"
expect_eq "the echo session counts 5 requests of 84 bytes" "$ip $ib" "5 420"
expect_eq "... and 5 replies of 84 bytes" "$op $ob" "5 420"

# Four datagrams "probe\n" (34-byte packets), each answered by the echo
# server with the source it saw, "EXTERNAL\n".
for _ in 1 2 3 4; do
  probe lan2 udp "$SRV1" "$ECHO_UDP_PORT" --sport 41010 --tries 1 >/dev/null ||
    not_ok "lan2's datagram from 41010 answered"
done
read -r ip ib op ob ext <<<"$(counts udp "$LAN2")"
expect_eq "the UDP session counts 4 datagrams of 34 bytes" "$ip $ib" "4 136"
expect_eq "... and 4 answers of $((28 + ${#ext} + 1)) bytes" "$op $ob" "4 $((4 * (28 + ${#ext} + 1)))"

line=$(masqctl sessions --proto udp --inside "$LAN2")
expect_eq "masqctl sessions shows both directions as conntrack -L does" \
  "$(grep -o 'in2out packets=[0-9]* bytes=[0-9]* out2in packets=[0-9]* bytes=[0-9]*' <<<"$line")" \
  "in2out packets=4 bytes=136 out2in packets=4 bytes=$((4 * (28 + ${#ext} + 1)))"
