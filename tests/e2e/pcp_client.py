#!/usr/bin/python3
"""A PCP client (RFC 6887) for the end-to-end tests, one job per subcommand.

  map      MAP request (--proto, --port, --lifetime, --suggest, --prefer-failure,
           --filter ADDR/LEN[:PORT], --nonce HEX, --third-party ADDR)
  peer     PEER request (the same, and --peer ADDR:PORT)
  announce ANNOUNCE request
  raw HEX  any bytes, as they are
  listen   wait for the unsolicited announcements on 224.0.0.1:5350 (both
           kinds; with --natpmp-ext ADDR, until a NAT-PMP one names ADDR)

Each prints one line: "result=NAME ext=ADDR:PORT lifetime=N epoch=N" for an
answer, "no answer" when none came, or for listen "announce pcp epoch=N" /
"announce natpmp ext=ADDR". Exits 0 when an answer (or announcement) came.
"""

import argparse
import ipaddress
import os
import socket
import struct
import sys
import time

SERVER_PORT = 5351
CLIENT_PORT = 5350
RESULTS = ["success", "unsupp_version", "not_authorized", "malformed_request", "unsupp_opcode",
           "unsupp_option", "malformed_option", "network_failure", "no_resources",
           "unsupp_protocol", "user_ex_quota", "cannot_provide_external", "address_mismatch",
           "excessive_remote_peers"]
PROTOS = {"udp": 17, "tcp": 6}


def v4mapped(addr: str) -> bytes:
    return b"\x00" * 10 + b"\xff\xff" + socket.inet_aton(addr)


def header(opcode: int, lifetime: int, client: str) -> bytes:
    return struct.pack("!BBHI", 2, opcode, 0, lifetime) + v4mapped(client)


def map_body(args) -> bytes:
    return (bytes.fromhex(args.nonce) + struct.pack("!B3xHH", PROTOS[args.proto], args.port,
                                                     args.suggest) + v4mapped("0.0.0.0"))


def options(args) -> bytes:
    out = b""
    if args.third_party:
        # RFC 6887 §13.1: THIRD_PARTY (code 1), the internal address of the mapping.
        out += struct.pack("!BBH", 1, 0, 16) + v4mapped(args.third_party)
    if args.prefer_failure:
        out += struct.pack("!BBH", 2, 0, 0)
    for f in args.filter:
        net, _, port = f.partition(":")
        prefix = ipaddress.ip_network(net, strict=False)
        out += struct.pack("!BBH", 3, 0, 20) + struct.pack(
            "!BBH", 0, prefix.prefixlen + 96, int(port or 0)) + v4mapped(str(prefix.network_address))
    return out


def describe(data: bytes) -> str:
    if len(data) < 24 or data[0] != 2 or not data[1] & 0x80:
        return "malformed answer " + data.hex()
    result = data[3]
    name = RESULTS[result] if result < len(RESULTS) else str(result)
    lifetime, epoch = struct.unpack("!II", data[4:12])
    line = f"result={name}"
    if (data[1] & 0x7F) in (1, 2) and len(data) >= 60:
        port = struct.unpack("!H", data[42:44])[0]
        line += f" ext={socket.inet_ntoa(data[56:60])}:{port}"
    return line + f" lifetime={lifetime} epoch={epoch}"


def exchange(args, make) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect((args.server, SERVER_PORT))
        s.settimeout(args.timeout)
        request = make(s.getsockname()[0])
        for _ in range(args.tries):
            s.send(request)
            try:
                data = s.recv(2048)
            except (socket.timeout, ConnectionRefusedError):
                continue
            print(describe(data))
            return 0
    print("no answer")
    return 1


def cmd_map(args) -> int:
    return exchange(args, lambda me: header(1, args.lifetime, me) + map_body(args) + options(args))


def cmd_peer(args) -> int:
    addr, _, port = args.peer.rpartition(":")
    return exchange(args, lambda me: header(2, args.lifetime, me) + map_body(args) +
                    struct.pack("!H2x", int(port)) + v4mapped(addr) + options(args))


def cmd_announce(args) -> int:
    return exchange(args, lambda me: header(0, 0, me))


def cmd_raw(args) -> int:
    return exchange(args, lambda me: bytes.fromhex(args.hex))


def cmd_listen(args) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", CLIENT_PORT))
        deadline = time.monotonic() + args.timeout
        seen = set()
        wanted = f"announce natpmp ext={args.natpmp_ext}" if args.natpmp_ext else None
        while time.monotonic() < deadline and (len(seen) < 2 or wanted):
            s.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data, (source, _) = s.recvfrom(2048)
            except socket.timeout:
                break
            if source != args.server:
                continue
            if len(data) >= 24 and data[0] == 2 and data[1] == 0x80:
                line = f"announce pcp epoch={struct.unpack('!I', data[8:12])[0]}"
            elif len(data) == 12 and data[0] == 0 and data[1] == 128:
                line = f"announce natpmp ext={socket.inet_ntoa(data[8:12])}"
            else:
                continue
            if wanted:
                if line == wanted:
                    print(line, flush=True)
                    return 0
            elif line.split(" ")[1] not in seen:
                seen.add(line.split(" ")[1])
                print(line, flush=True)
        return 0 if seen and not wanted else 1


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--server", default="192.168.77.1")
    p.add_argument("--timeout", type=float, default=1.0)
    p.add_argument("--tries", type=int, default=3)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("map", "peer"):
        q = sub.add_parser(name)
        q.add_argument("--proto", choices=PROTOS, default="udp")
        q.add_argument("--port", type=int, required=True)
        q.add_argument("--lifetime", type=int, default=120)
        q.add_argument("--suggest", type=int, default=0)
        q.add_argument("--prefer-failure", action="store_true")
        q.add_argument("--third-party", default="", metavar="ADDR")
        q.add_argument("--filter", action="append", default=[])
        q.add_argument("--nonce", default=os.urandom(12).hex())
        if name == "peer":
            q.add_argument("--peer", required=True)
    sub.add_parser("announce")
    raw = sub.add_parser("raw")
    raw.add_argument("hex")
    sub.add_parser("listen").add_argument("--natpmp-ext", default="")
    args = p.parse_args()
    return {"map": cmd_map, "peer": cmd_peer, "announce": cmd_announce, "raw": cmd_raw,
            "listen": cmd_listen}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
