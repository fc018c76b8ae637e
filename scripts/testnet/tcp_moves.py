#!/usr/bin/python3
"""TCP moves for RFC 5382 end-to-end tests, each run in its own namespace.

connect HOST PORT --sport P: connect from port P (SO_REUSEADDR and
  SO_REUSEPORT, so it may share P with a listener), print the first line
  the peer sends (peer_echo's "IP:PORT": our mapping), keep the connection
  --hold seconds.
open HOST PORT --sport P: an active open that may cross the peer's (RFC
  5382 REQ-2a simultaneous open): retries connect() until --timeout, then
  sends "ping" and expects the same word back, or answers "ping" itself
  with --answer. Prints "open" when done.
refused HOST PORT: connect() must be refused (a RST came back) within
  --timeout; prints "refused".
unreachable HOST PORT: connect() must fail with "host unreachable" within
  --timeout, which only an ICMP error (not a RST) reports; prints
  "unreachable".
accept --port P: listen on P (shared as above) and print the first peer
  that connects, within --timeout.
"""

import argparse
import errno
import socket
import sys
import time


def sock(sport: int) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    if sport:
        s.bind(("0.0.0.0", sport))
    return s


def cmd_connect(a) -> int:
    s = sock(a.sport)
    s.settimeout(a.timeout)
    s.connect((a.host, a.port))
    print(s.makefile("rb").readline().decode().strip(), flush=True)
    time.sleep(a.hold)
    s.close()
    return 0


def cmd_open(a) -> int:
    deadline = time.monotonic() + a.timeout
    while True:
        s = sock(a.sport)
        s.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            s.connect((a.host, a.port))
            break
        except OSError as e:
            s.close()
            if time.monotonic() >= deadline:
                print(f"error: {e}", flush=True)
                return 1
            time.sleep(0.2)
    if a.answer:
        ok = s.recv(4) == b"ping"
        s.sendall(b"ping")
    else:
        s.sendall(b"ping")
        ok = s.recv(4) == b"ping"
    print("open" if ok else "no echo", flush=True)
    return 0 if ok else 1


def cmd_refused(a) -> int:
    s = sock(0)
    s.settimeout(a.timeout)
    try:
        s.connect((a.host, a.port))
    except ConnectionRefusedError:
        print("refused", flush=True)
        return 0
    except OSError as e:
        print(f"error: {e}", flush=True)
        return 1
    print("connected", flush=True)
    return 1


def cmd_unreachable(a) -> int:
    s = sock(0)
    s.settimeout(a.timeout)
    try:
        s.connect((a.host, a.port))
    except OSError as e:
        if e.errno == errno.EHOSTUNREACH:
            print("unreachable", flush=True)
            return 0
        print(f"error: {e}", flush=True)
        return 1
    print("connected", flush=True)
    return 1


def cmd_accept(a) -> int:
    s = sock(a.port)
    s.listen(4)
    s.settimeout(a.timeout)
    print("listening", flush=True)
    try:
        conn, peer = s.accept()
    except socket.timeout:
        print("nobody", flush=True)
        return 1
    print(f"accepted {peer[0]}:{peer[1]}", flush=True)
    conn.close()
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    for name, run in (
        ("connect", cmd_connect),
        ("open", cmd_open),
        ("refused", cmd_refused),
        ("unreachable", cmd_unreachable),
    ):
        c = sub.add_parser(name)
        c.add_argument("host")
        c.add_argument("port", type=int)
        c.add_argument("--sport", type=int, default=0)
        c.add_argument("--hold", type=float, default=0.0)
        c.add_argument("--answer", action="store_true")
        c.add_argument("--timeout", type=float, default=10.0)
        c.set_defaults(run=run)
    c = sub.add_parser("accept")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--timeout", type=float, default=10.0)
    c.set_defaults(run=cmd_accept)
    a = p.parse_args()
    return a.run(a)


if __name__ == "__main__":
    sys.exit(main())
