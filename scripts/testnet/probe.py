#!/usr/bin/python3
"""Small clients for the end-to-end tests, one job per subcommand.

  udp HOST PORT           ask a peer_echo server for our mapping (prints IP:PORT)
  tcp HOST PORT           the same over TCP; --hold keeps the connection alive
  udp-send HOST PORT      send one datagram and exit
  udp-refused HOST PORT   a connected UDP socket must see ICMP port unreachable
  reflect-refused         wait for a datagram, then send one back to its source
                          and expect ICMP port unreachable (the sender is gone)
  icmp-echo HOST          echo request with a chosen identifier (ping socket)
  udp-fragments HOST PORT send a large datagram, expect large ones back
                          (the other end is send_fragments.py)
  udp-many HOST PORT      one socket per source port from --sport on (--count
                          of them), each asks peer_echo for its mapping, --rounds
                          times with --pause between; prints one mapping per
                          line (the last round's); fails if any went unanswered
  tcp-silent HOST PORT    a TCP connect must get nothing: no answer, no RST

Every subcommand exits 0 on the expected outcome and 1 otherwise, with one
line on stdout saying what it saw.
"""

import argparse
import select
import socket
import struct
import sys
import time


def bound_socket(kind: int, sport: int) -> socket.socket:
    s = socket.socket(socket.AF_INET, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if sport:
        s.bind(("0.0.0.0", sport))
    return s


def cmd_udp(args) -> int:
    with bound_socket(socket.SOCK_DGRAM, args.sport) as s:
        s.settimeout(args.timeout)
        for _ in range(args.tries):
            s.sendto(b"probe\n", (args.host, args.port))
            try:
                data, _ = s.recvfrom(65536)
            except socket.timeout:
                continue
            print(data.decode().strip())
            return 0
    print("timeout")
    return 1


def cmd_tcp(args) -> int:
    with bound_socket(socket.SOCK_STREAM, args.sport) as s:
        s.settimeout(args.timeout)
        try:
            s.connect((args.host, args.port))
            reader = s.makefile("rb")
            line = reader.readline().decode().strip()
            if not line:
                print("closed")
                return 1
            print(line, flush=True)
            # Keep the connection (and so the NAT session) alive, checking
            # that data still flows both ways through it.
            deadline = time.monotonic() + args.hold
            while time.monotonic() < deadline:
                s.sendall(b"still-here\n")
                if reader.readline() != b"still-here\n":
                    print("echo broken", file=sys.stderr)
                    return 1
                time.sleep(0.2)
        except OSError as e:
            print(f"error: {e}")
            return 1
    return 0


def cmd_udp_send(args) -> int:
    with bound_socket(socket.SOCK_DGRAM, args.sport) as s:
        s.sendto(b"probe\n", (args.host, args.port))
    print("sent")
    return 0


def expect_refused(s: socket.socket, timeout: float) -> int:
    """Sends on a connected UDP socket until the kernel reports the ICMP port
    unreachable that came back (ECONNREFUSED), or the time is up."""
    deadline = time.monotonic() + timeout
    s.settimeout(0.5)
    while time.monotonic() < deadline:
        try:
            s.send(b"probe\n")
            data = s.recv(65536)
            print(f"reply: {data.decode().strip()}")
            return 1
        except ConnectionRefusedError:
            print("refused")
            return 0
        except socket.timeout:
            continue
    print("timeout")
    return 1


def cmd_udp_refused(args) -> int:
    with bound_socket(socket.SOCK_DGRAM, args.sport) as s:
        s.connect((args.host, args.port))
        return expect_refused(s, args.timeout)


def cmd_reflect_refused(args) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((args.bind, args.port))
        s.settimeout(args.timeout)
        try:
            _, peer = s.recvfrom(65536)
        except socket.timeout:
            print("nothing received")
            return 1
        print(f"from {peer[0]}:{peer[1]}", flush=True)
        time.sleep(args.delay)
        s.connect(peer)
        return expect_refused(s, args.timeout)


def cmd_icmp_echo(args) -> int:
    # An ICMP "ping socket" (net.ipv4.ping_group_range must allow us): the
    # port it is bound to is the echo identifier, so two hosts can use the
    # same one on purpose (RFC 5508 REQ-1a).
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
    s.bind(("0.0.0.0", args.ident))
    s.settimeout(args.timeout)
    got = 0
    for seq in range(1, args.count + 1):
        payload = b"masq-e2e" * 4
        header = struct.pack("!BBHHH", 8, 0, 0, 0, seq)  # the kernel writes the identifier
        s.sendto(header + payload, (args.host, 0))
        try:
            data, peer = s.recvfrom(65536)
        except socket.timeout:
            continue
        # The kernel delivers only replies carrying our identifier.
        icmp_type, _, _, _, rseq = struct.unpack("!BBHHH", data[:8])
        if icmp_type == 0 and rseq == seq and data[8:] == payload:
            got += 1
        time.sleep(0.1)
    print(f"{got}/{args.count} replies from {args.host} with identifier {args.ident}")
    return 0 if got == args.count else 1


def pattern(size: int) -> bytes:
    return bytes(i % 251 for i in range(size))


def cmd_udp_fragments(args) -> int:
    with bound_socket(socket.SOCK_DGRAM, args.sport) as s:
        s.settimeout(args.timeout)
        s.sendto(pattern(args.bytes), (args.host, args.port))
        time.sleep(0.2)
        s.sendto(b"end\n", (args.host, args.port))  # send_fragments.py's end mark
        whole = 0
        for _ in range(args.count):
            try:
                data, _ = s.recvfrom(65536)
            except socket.timeout:
                break
            if data == pattern(args.bytes):
                whole += 1
    print(f"{whole}/{args.count} {args.bytes}-byte datagrams arrived whole")
    return 0 if whole == args.count else 1


def cmd_udp_many(args) -> int:
    socks = [bound_socket(socket.SOCK_DGRAM, args.sport + i) for i in range(args.count)]
    mappings = {}
    for round_ in range(args.rounds):
        if round_:
            time.sleep(args.pause)
        mappings = {}
        for attempt in range(3):
            for i, s in enumerate(socks):
                if i not in mappings:
                    s.sendto(b"probe\n", (args.host, args.port))
            deadline = time.monotonic() + args.timeout
            while len(mappings) < len(socks) and time.monotonic() < deadline:
                ready, _, _ = select.select(socks, [], [], max(0.0, deadline - time.monotonic()))
                for s in ready:
                    data, _ = s.recvfrom(65536)
                    mappings[socks.index(s)] = data.decode().strip()
            if len(mappings) == len(socks):
                break
        if len(mappings) < len(socks):
            print(f"round {round_}: {len(socks) - len(mappings)} of {len(socks)} unanswered")
            return 1
    for i in range(len(socks)):
        print(mappings[i])
    return 0


def cmd_tcp_silent(args) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(args.timeout)
        try:
            s.connect((args.host, args.port))
        except socket.timeout:
            print("no answer")
            return 0
        except OSError as e:
            print(f"answered: {e}")
            return 1
        print("connected")
        return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)

    def target(p):
        p.add_argument("host")
        p.add_argument("port", type=int)
        p.add_argument("--sport", type=int, default=0, help="local source port (default: any)")
        p.add_argument("--timeout", type=float, default=3.0)

    p = sub.add_parser("udp")
    target(p)
    p.add_argument("--tries", type=int, default=3)
    p.set_defaults(func=cmd_udp)

    p = sub.add_parser("tcp")
    target(p)
    p.add_argument("--hold", type=float, default=0.0, help="seconds to keep the connection open")
    p.set_defaults(func=cmd_tcp)

    p = sub.add_parser("udp-send")
    target(p)
    p.set_defaults(func=cmd_udp_send)

    p = sub.add_parser("udp-refused")
    target(p)
    p.set_defaults(func=cmd_udp_refused)

    p = sub.add_parser("reflect-refused")
    p.add_argument("--bind", default="0.0.0.0")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--delay", type=float, default=1.0, help="seconds before sending back")
    p.add_argument("--timeout", type=float, default=10.0)
    p.set_defaults(func=cmd_reflect_refused)

    p = sub.add_parser("icmp-echo")
    p.add_argument("host")
    p.add_argument("--ident", type=int, required=True)
    p.add_argument("--count", type=int, default=3)
    p.add_argument("--timeout", type=float, default=2.0)
    p.set_defaults(func=cmd_icmp_echo)

    p = sub.add_parser("udp-fragments")
    target(p)
    p.add_argument("--bytes", type=int, default=4000)
    p.add_argument("--count", type=int, default=2, help="datagrams expected back")
    p.set_defaults(func=cmd_udp_fragments)

    p = sub.add_parser("udp-many")
    target(p)
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--pause", type=float, default=1.0)
    p.set_defaults(func=cmd_udp_many)

    p = sub.add_parser("tcp-silent")
    target(p)
    p.set_defaults(func=cmd_tcp_silent)

    args = parser.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
