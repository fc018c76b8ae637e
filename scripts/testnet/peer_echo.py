#!/usr/bin/python3
"""Peer-address echo for the test network: tells each client where it came from.

Over UDP every datagram is answered with one line "IP:PORT", the source the
server saw; over TCP each connection gets that line first, then everything
the client sends is echoed until it closes. Behind a NAT the line is the
client's external mapping, which is what the end-to-end tests compare (the
way a STUN server's XOR-MAPPED-ADDRESS would, RFC 5389 §15.2).

Each --bind address gets its own sockets, so a reply always leaves from the
address the request was sent to.
"""

import argparse
import selectors
import socket
import threading


def serve_tcp_client(conn: socket.socket, peer: tuple) -> None:
    with conn:
        try:
            conn.sendall(f"{peer[0]}:{peer[1]}\n".encode())
            while data := conn.recv(65536):
                conn.sendall(data)
        except OSError:
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", action="append", default=[], help="address to serve on (repeatable)")
    parser.add_argument("--udp", type=int, action="append", default=[], help="UDP port (repeatable)")
    parser.add_argument("--tcp", type=int, action="append", default=[], help="TCP port (repeatable)")
    args = parser.parse_args()

    sel = selectors.DefaultSelector()
    for addr in args.bind or ["0.0.0.0"]:
        for port in args.udp:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, port))
            sel.register(s, selectors.EVENT_READ, "udp")
        for port in args.tcp:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, port))
            s.listen(64)
            sel.register(s, selectors.EVENT_READ, "tcp")

    while True:
        for key, _ in sel.select():
            sock = key.fileobj
            if key.data == "udp":
                try:
                    _, peer = sock.recvfrom(65536)
                    sock.sendto(f"{peer[0]}:{peer[1]}\n".encode(), peer)
                except OSError:
                    # An ICMP error about an earlier reply surfaces here; the
                    # server carries on.
                    continue
            else:
                conn, peer = sock.accept()
                threading.Thread(target=serve_tcp_client, args=(conn, peer), daemon=True).start()


if __name__ == "__main__":
    main()
