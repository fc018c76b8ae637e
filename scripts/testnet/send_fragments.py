#!/usr/bin/python3
"""Fragment exchange for RFC 4787 REQ-14 (run on the server).

Waits on a UDP port for a large datagram from a client behind the NAT (the
client's kernel fragments it, so this shows outbound fragments crossing the
NAT) and checks its content, then answers the source it saw (the client's
mapping) with datagrams cut into IP fragments by hand: one sent in order,
one in reverse order. The client (probe.py udp-fragments) checks that both
arrive whole. Exits 0 only if the client's datagram arrived whole.

Every payload is PATTERN: bytes i % 251, so either end can check content.
"""

import argparse
import socket
import sys

from scapy.all import IP, UDP, Raw, fragment, send  # Debian's python3-scapy


MARK = b"end\n"


def pattern(size: int) -> bytes:
    return bytes(i % 251 for i in range(size))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", required=True, help="our address")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--bytes", type=int, default=4000, help="UDP payload size, both ways")
    parser.add_argument("--fragment-size", type=int, default=1024, help="payload bytes per fragment")
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((args.bind, args.port))
        s.settimeout(args.timeout)
        # The client sends the large datagram, then a small one that marks
        # its end; the small one alone still opens the way back, so that
        # inbound fragments are tested even when outbound ones are lost.
        whole = False
        while True:
            try:
                data, peer = s.recvfrom(65536)
            except socket.timeout:
                print("no datagram from the client")
                return 1
            if data == MARK:
                break
            whole = data == pattern(args.bytes)
            state = "whole" if whole else f"damaged ({len(data)} bytes)"
            print(f"{args.bytes}-byte datagram from {peer[0]}:{peer[1]} arrived {state}", flush=True)
        if not whole:
            print(f"the {args.bytes}-byte datagram from {peer[0]}:{peer[1]} did not arrive whole", flush=True)

        datagram = IP(src=args.bind, dst=peer[0]) / UDP(sport=args.port, dport=peer[1]) / Raw(pattern(args.bytes))
        frags = fragment(datagram, fragsize=args.fragment_size)
        send(frags, verbose=False)
        send(list(reversed(frags)), verbose=False)
        print(f"sent {args.bytes} bytes back twice as {len(frags)} fragments, in order and reversed")
    return 0 if whole else 1


if __name__ == "__main__":
    sys.exit(main())
