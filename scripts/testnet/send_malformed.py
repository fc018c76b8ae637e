#!/usr/bin/python3
"""Send malformed IPv4 packets to the gateway, one class at a time (run on a LAN host).

Each class is a UDP, TCP or ICMP packet to HOST, built whole with scapy and
then spoiled in exactly one way, sent COUNT times in an Ethernet frame to
the gateway's MAC (resolved by ARP), so the kernel's own IP stack on this
host never sees or repairs it. The classes, named after the drop reason the
gateway should count:

  truncated             an IPv4 header cut to 16 bytes, nothing after it
  truncated_padded      the same cut, padded with zeros to the Ethernet minimum as
                        a NIC pads a short frame: the zeros read as the header's
                        last 4 bytes (the destination), so the checksum fails
  bad_version           version 6 in an IPv4 frame
  bad_ihl               IHL 4 (below the minimum of 5)
  bad_ihl_long          IHL 15 (60 bytes) in a frame with fewer IP bytes
  total_too_large       total length far past the bytes present
  total_too_small       total length 16, below the header's own 20 bytes
  bad_ip_checksum       header checksum off by a bit pattern
  bad_ip_options        IHL 6 with an option whose length field is 1
  truncated_l4          total length 24 for UDP: half a UDP header
  bad_tcp_offset        TCP data offset 2 (below 5)
  bad_tcp_offset_long   TCP data offset 15 past the end of the segment
  bad_udp_length        UDP length 4 (below 8)
  bad_udp_length_long   UDP length past the end of the datagram
  icmp_error_about_error  port unreachable quoting a host unreachable

and one that is not malformed at all, to show the line between them:

  padded                a correct UDP datagram followed by 20 bytes that are
                        not part of it (link padding): the total length says
                        where it ends; with --expect-reply, waits for the
                        answer on a socket bound to --sport

Every other field is left right (checksums included), so each packet has
exactly one thing wrong. Frames go out as built: a veth does not pad a
frame to the Ethernet minimum (60 bytes), so the gateway sees a 16-byte
header as 16 bytes. On a link that pads, no IPv4 packet is shorter than
46 bytes: a header cut short arrives as truncated_padded does, and only
the total length says where a datagram ends (a total length below the
packet's bytes is padding, not an error; below the header it is).
"""

import argparse
import socket
import struct
import sys

from scapy.all import ICMP, IP, TCP, UDP, Ether, Raw, conf, get_if_hwaddr, getmacbyip, sendp  # Debian's python3-scapy

ETHERNET_MIN_PAYLOAD = 46


def ip_checksum(header: bytes) -> int:
    if len(header) % 2:
        header += b"\0"
    total = sum(struct.unpack(f"!{len(header) // 2}H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def with_header(packet: bytes, ihl_bytes: int = 20, **fields) -> bytes:
    """packet with some header fields set and the header checksum made right again."""
    b = bytearray(packet)
    if "version_ihl" in fields:
        b[0] = fields["version_ihl"]
    if "total_length" in fields:
        struct.pack_into("!H", b, 2, fields["total_length"])
    struct.pack_into("!H", b, 10, 0)
    struct.pack_into("!H", b, 10, ip_checksum(bytes(b[:ihl_bytes])))
    return bytes(b)


def build(kind: str, src: str, dst: str, sport: int, dport: int) -> bytes:
    payload = Raw(b"malformed-" + kind.encode())
    udp = bytes(IP(src=src, dst=dst, ttl=64) / UDP(sport=sport, dport=dport) / payload)
    tcp_ip = IP(src=src, dst=dst, ttl=64)
    if kind == "truncated":
        return udp[:16]
    if kind == "truncated_padded":
        short = bytes(IP(src=src, dst=dst, ttl=64) / UDP(sport=sport, dport=dport) / Raw(b"short"))
        return short[:16].ljust(ETHERNET_MIN_PAYLOAD, b"\0")
    if kind == "bad_version":
        return with_header(udp, version_ihl=0x65)
    if kind == "bad_ihl":
        return with_header(udp, ihl_bytes=16, version_ihl=0x44)
    if kind == "bad_ihl_long":
        return with_header(udp[:40], ihl_bytes=20, version_ihl=0x4F, total_length=40)
    if kind == "total_too_large":
        return with_header(udp, total_length=len(udp) + 1000)
    if kind == "total_too_small":
        return with_header(udp, total_length=16)
    if kind == "bad_ip_checksum":
        b = bytearray(udp)
        b[10] ^= 0x5A
        return bytes(b)
    if kind == "bad_ip_options":
        # Option 68 (timestamp) with length 1: RFC 791 §3.1 option lengths count
        # the type and length octets, so 1 cannot be.
        b = udp[:20] + bytes([68, 1, 0, 0]) + udp[20:]
        return with_header(b, ihl_bytes=24, version_ihl=0x46, total_length=len(b))
    if kind == "truncated_l4":
        return with_header(udp[:24], total_length=24)
    if kind == "bad_tcp_offset":
        return bytes(tcp_ip / TCP(sport=sport, dport=dport, flags="S", dataofs=2) / payload)
    if kind == "bad_tcp_offset_long":
        return bytes(tcp_ip / TCP(sport=sport, dport=dport, flags="S", dataofs=15))
    if kind == "bad_udp_length":
        return bytes(IP(src=src, dst=dst, ttl=64) / UDP(sport=sport, dport=dport, len=4) / payload)
    if kind == "bad_udp_length_long":
        length = 8 + len(payload) + 200
        return bytes(IP(src=src, dst=dst, ttl=64) / UDP(sport=sport, dport=dport, len=length) / payload)
    if kind == "padded":
        return udp + b"\xAA" * 20
    if kind == "icmp_error_about_error":
        # What lan1 would quote if it complained about an error it received.
        quoted = IP(src=dst, dst=src, ttl=60) / ICMP(type=3, code=1) / IP(src=src, dst=dst) / UDP(sport=sport, dport=dport)
        return bytes(IP(src=src, dst=dst, ttl=64) / ICMP(type=3, code=3) / quoted)
    raise ValueError(f"unknown class {kind}")


KINDS = [
    "truncated", "truncated_padded", "bad_version", "bad_ihl", "bad_ihl_long", "total_too_large", "total_too_small",
    "bad_ip_checksum", "bad_ip_options", "truncated_l4", "bad_tcp_offset", "bad_tcp_offset_long",
    "bad_udp_length", "bad_udp_length_long", "icmp_error_about_error", "padded",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("host", help="destination address (beyond the gateway)")
    parser.add_argument("--gateway", required=True, help="the gateway's LAN address (for its MAC)")
    parser.add_argument("--src", required=True, help="our address")
    parser.add_argument("--iface", default="eth0")
    parser.add_argument("--sport", type=int, default=40200)
    parser.add_argument("--dport", type=int, default=9)
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--expect-reply", action="store_true",
                        help="padded only: a UDP answer from HOST:DPORT must reach --sport")
    parser.add_argument("--timeout", type=float, default=3.0)
    args = parser.parse_args()

    conf.verb = 0
    gw_mac = getmacbyip(args.gateway)
    if not gw_mac:
        print(f"no ARP answer from {args.gateway}")
        return 1
    ip = build(args.kind, args.src, args.host, args.sport, args.dport)
    frame = Ether(src=get_if_hwaddr(args.iface), dst=gw_mac, type=0x0800) / Raw(ip)
    if not args.expect_reply:
        sendp(frame, iface=args.iface, count=args.count)
        print(f"{args.kind}: {args.count} x {len(ip)} IP bytes to {gw_mac}")
        return 0
    # Bound first, so that the kernel hands the answer to us (and does not
    # answer it with port unreachable).
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((args.src, args.sport))
        s.settimeout(args.timeout)
        sendp(frame, iface=args.iface, count=args.count)
        try:
            data, peer = s.recvfrom(65536)
        except socket.timeout:
            print(f"{args.kind}: no answer from {args.host}:{args.dport}")
            return 1
    print(f"{args.kind}: {len(ip)} IP bytes answered by {peer[0]}:{peer[1]}: {data.decode(errors='replace').strip()}")
    return 0 if peer == (args.host, args.dport) else 1


if __name__ == "__main__":
    sys.exit(main())
