#!/usr/bin/env python3
"""A long TCP transfer whose every byte both ends check, for the restart
test (tests/e2e/restart.sh).

  stream.py receive BIND PORT            accept one connection, read to EOF
  stream.py send HOST PORT --until FILE  send until FILE exists, then close

The sender writes a known byte pattern (byte i is pattern(i)) in paced
chunks until FILE appears, then shuts its side down. The receiver checks
every byte against the pattern as it arrives and, at EOF, answers with the
count and a SHA-256 of what it got; the sender checks both against what it
sent. Each prints one line and exits 0 only when everything matched.
"""
import argparse
import hashlib
import os
import socket
import sys
import time

CHUNK = 16384
PERIOD_S = 0.02  # ~0.8 MB/s: the transfer spans the restarts


def pattern(start, n):
    return bytes((i * 7 + 3) % 251 for i in range(start, start + n))


def receive(args):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.bind, args.port))
    srv.listen(1)
    srv.settimeout(args.timeout)
    conn, peer = srv.accept()
    conn.settimeout(args.timeout)
    digest = hashlib.sha256()
    got = 0
    while True:
        data = conn.recv(65536)
        if not data:
            break
        if data != pattern(got, len(data)):
            print(f"receive: byte {got}..{got + len(data)} differs from what was sent")
            return 1
        digest.update(data)
        got += len(data)
    conn.sendall(f"{got} {digest.hexdigest()}\n".encode())
    conn.close()
    print(f"receive: {got} bytes from {peer[0]}:{peer[1]}, every one as sent")
    return 0


def send(args):
    s = socket.create_connection((args.host, args.port), timeout=args.timeout)
    s.settimeout(args.timeout)
    digest = hashlib.sha256()
    sent = 0
    while not os.path.exists(args.until):
        data = pattern(sent, CHUNK)
        s.sendall(data)
        digest.update(data)
        sent += len(data)
        if args.progress:
            with open(args.progress + ".tmp", "w") as f:
                f.write(str(sent))
            os.replace(args.progress + ".tmp", args.progress)
        time.sleep(PERIOD_S)
    s.shutdown(socket.SHUT_WR)
    answer = b""
    while not answer.endswith(b"\n"):
        data = s.recv(256)
        if not data:
            break
        answer += data
    expected = f"{sent} {digest.hexdigest()}"
    if answer.decode().strip() != expected:
        print(f"send: sent {sent} bytes, the receiver answered {answer!r}")
        return 1
    print(f"send: {sent} bytes, the receiver confirmed every one")
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("receive")
    r.add_argument("bind")
    r.add_argument("port", type=int)
    r.add_argument("--timeout", type=float, default=60)
    s = sub.add_parser("send")
    s.add_argument("host")
    s.add_argument("port", type=int)
    s.add_argument("--until", required=True)
    s.add_argument("--progress", help="file the byte count sent so far is written to")
    s.add_argument("--timeout", type=float, default=60)
    args = p.parse_args()
    try:
        return receive(args) if args.cmd == "receive" else send(args)
    except OSError as e:
        print(f"{args.cmd}: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
