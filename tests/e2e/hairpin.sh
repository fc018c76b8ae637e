#!/usr/bin/env bash
# Hairpinning through a port forward (RFC 4787 REQ-9, RFC 5382 REQ-8): lan1
# reaches the public address's forwarded port 8080, which is lan2, and lan2
# sees the gateway's public address as the source, never lan1's private one
# (REQ-9a).
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
GW_FORWARDS=("tcp/$LAN_SVC_PORT=$LAN2:$LAN_SVC_PORT" "udp/$LAN_SVC_PORT=$LAN2:$LAN_SVC_PORT")
e2e_setup

seen=$(probe lan1 tcp "$GW_WAN" "$LAN_SVC_PORT" --hold 1) || not_ok "lan1 TCP to $GW_WAN:$LAN_SVC_PORT: $seen"
expect_eq "TCP lan1 -> $GW_WAN:$LAN_SVC_PORT: lan2 sees the source" "$(addr_of "$seen")" "$GW_WAN"
seen=$(probe lan1 udp "$GW_WAN" "$LAN_SVC_PORT") || not_ok "lan1 UDP to $GW_WAN:$LAN_SVC_PORT: $seen"
expect_eq "UDP lan1 -> $GW_WAN:$LAN_SVC_PORT: lan2 sees the source" "$(addr_of "$seen")" "$GW_WAN"
