#!/usr/bin/python3
"""Fragmented UDP datagrams with a chosen IPv4 ID, for RFC 6864 / RFC 7857 §11.

send (on a LAN host): cuts one UDP datagram of TAG's pattern into IP
fragments by hand, all with --ip-id, and sends them (scapy), so that two
hosts can send datagrams with the same ID to one server.
receive (on the server): waits for --count datagrams on a UDP port and
prints, for each, its source and whether it is some TAG's pattern, whole.
Exits 0 only when --count datagrams arrived whole from --count different
sources.

A TAG's pattern: bytes (i + TAG) % 251, so a datagram spliced from two
senders' fragments does not pass for either.
"""

import argparse
import socket
import sys


def pattern(size: int, tag: int) -> bytes:
    return bytes((i + tag) % 251 for i in range(size))


def cmd_send(args) -> int:
    from scapy.all import IP, UDP, Raw, fragment, send  # Debian's python3-scapy

    datagram = IP(dst=args.dst, id=args.ip_id, flags=0) / UDP(sport=args.sport, dport=args.port) / Raw(
        pattern(args.bytes, args.tag))
    frags = fragment(datagram, fragsize=args.fragment_size)
    send(frags, verbose=False)
    print(f"sent {args.bytes} bytes as {len(frags)} fragments with id {args.ip_id}")
    return 0


def cmd_receive(args) -> int:
    whole_from = set()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((args.bind, args.port))
        s.settimeout(args.timeout)
        for _ in range(args.count):
            try:
                data, peer = s.recvfrom(65536)
            except socket.timeout:
                print("timed out waiting for datagrams", flush=True)
                break
            tags = [t for t in args.tags if data == pattern(args.bytes, t)]
            state = f"whole (tag {tags[0]})" if tags else f"damaged ({len(data)} bytes)"
            print(f"datagram from {peer[0]}:{peer[1]} {state}", flush=True)
            if tags:
                whole_from.add((peer, tags[0]))
    return 0 if len(whole_from) == args.count else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("send")
    p.add_argument("--dst", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--sport", type=int, required=True)
    p.add_argument("--ip-id", type=int, required=True)
    p.add_argument("--tag", type=int, required=True)
    p.add_argument("--bytes", type=int, default=3000)
    p.add_argument("--fragment-size", type=int, default=1024)
    p.set_defaults(run=cmd_send)
    p = sub.add_parser("receive")
    p.add_argument("--bind", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, default=2)
    p.add_argument("--tags", type=int, nargs="+", required=True)
    p.add_argument("--bytes", type=int, default=3000)
    p.add_argument("--timeout", type=float, default=20.0)
    p.set_defaults(run=cmd_receive)
    args = parser.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
