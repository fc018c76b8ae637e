#!/usr/bin/python3
"""Reads one iperf3 --json result on stdin and sums up what the receiver got.

Prints one human line (or, with --tsv, "MBIT_PER_S<TAB>PACKETS_PER_S<TAB>
LOST_PERCENT", the last two being "-" for TCP) and exits 1 when the run fell short of the
given limits, or reported an error.
"""

import argparse
import json
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-bytes", type=int, default=1, help="least bytes the receiver must get")
    parser.add_argument("--max-loss", type=float, default=100.0, help="most UDP loss allowed, percent")
    parser.add_argument("--tsv", action="store_true")
    args = parser.parse_args()

    try:
        result = json.load(sys.stdin)
    except json.JSONDecodeError as e:
        print(f"no iperf3 JSON: {e}")
        return 1
    if "error" in result:
        print(f"iperf3: {result['error']}")
        return 1

    received = result["end"]["sum_received"]
    seconds = received["seconds"] or 1.0
    mbit = received["bits_per_second"] / 1e6
    udp = "lost_packets" in received
    ok = received["bytes"] >= args.min_bytes
    if udp:
        # For UDP the receiver's "packets" counts what it expected, lost ones
        # included.
        got = received["packets"] - received["lost_packets"]
        pps = got / seconds
        loss = received["lost_percent"]
        ok = ok and got > 0 and received["lost_percent"] <= args.max_loss
        line = (f"{mbit:.1f} Mbit/s, {got} datagrams received, {received['lost_packets']} lost "
                f"({received['lost_percent']:.2f} %), {pps:.0f} datagrams/s")
    else:
        pps = None
        loss = None
        line = f"{mbit:.0f} Mbit/s, {received['bytes']} bytes received"

    if args.tsv:
        if pps is None:
            print(f"{mbit:.1f}\t-\t-")
        else:
            print(f"{mbit:.1f}\t{pps:.0f}\t{loss:.1f}")
    else:
        print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
