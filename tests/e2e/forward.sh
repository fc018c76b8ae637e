#!/usr/bin/env bash
# Port forwards reached from the WAN: tcp/8080 and udp/8080 on the public
# address go to lan2:8080, whose peer_echo reports the remote's real address
# (a forward translates the destination only). A port that is not forwarded
# stays closed.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
GW_FORWARDS=("tcp/$LAN_SVC_PORT=$LAN2:$LAN_SVC_PORT" "udp/$LAN_SVC_PORT=$LAN2:$LAN_SVC_PORT")
e2e_setup

seen=$(probe srv tcp "$GW_WAN" "$LAN_SVC_PORT" --hold 1) || not_ok "TCP to $GW_WAN:$LAN_SVC_PORT: $seen"
expect_eq "TCP $GW_WAN:$LAN_SVC_PORT reaches lan2, which sees the server's address" "$(addr_of "$seen")" "$SRV1"
seen=$(probe srv udp "$GW_WAN" "$LAN_SVC_PORT") || not_ok "UDP to $GW_WAN:$LAN_SVC_PORT: $seen"
expect_eq "UDP $GW_WAN:$LAN_SVC_PORT reaches lan2, which sees the server's address" "$(addr_of "$seen")" "$SRV1"
seen=$(probe srv udp "$GW_WAN" "$LAN_SVC_PORT" --sport 5555) || true
expect_eq "UDP from a fixed source port keeps it through the forward" "$seen" "$SRV1:5555"

out=$(probe srv tcp "$GW_WAN" "$ECHO_TCP_PORT" --timeout 2)
expect_eq "TCP $GW_WAN:$ECHO_TCP_PORT (not forwarded) gets no connection" "$out" "error: timed out"
