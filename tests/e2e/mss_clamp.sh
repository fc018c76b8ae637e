#!/usr/bin/env bash
# TCP MSS clamping with masqd's default ([nat.tcp] mss_clamp = "auto": the
# smaller link MTU less 40). The WAN link has MTU 1280; lan1 (MTU 1500)
# fetches a page from the server (MTU 1500): the SYN reaches the server
# announcing MSS 1240, and the server's SYN-ACK reaches lan1 announcing
# 1240 too, so neither end sends segments the WAN link cannot carry. The
# kernel's NAT has no clamp in our ruleset: masqd only.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
is_masqd || e2e_skip "the kernel ruleset clamps nothing"
WAN_MTU=1280
e2e_setup

cap_start srv srv eth0 "tcp port $HTTP_PORT and tcp[tcpflags] & tcp-syn != 0" || e2e_abort "tcpdump on the server"
cap_start lan1 lan1 eth0 "tcp port $HTTP_PORT and tcp[tcpflags] & tcp-syn != 0" || e2e_abort "tcpdump on lan1"
check "lan1 fetches a page from the server" nsx lan1 curl -sS --max-time 5 -o /dev/null "http://$SRV1:$HTTP_PORT/"
cap_stop srv
cap_stop lan1

# tcpdump prints "options [mss N,...]" for every SYN.
mss_of() { cap_show "$1" "$2" | grep -o 'mss [0-9]*' | head -n 1 | cut -d' ' -f2; }
expect_eq "MSS of lan1's SYN as the server sees it" "$(mss_of srv "src host $GW_WAN")" 1240
expect_eq "MSS of the server's SYN-ACK as lan1 sees it" "$(mss_of lan1 "src host $SRV1")" 1240
expect_eq "MSS lan1 announced itself" "$(mss_of lan1 "src host $LAN1")" 1460
