#!/usr/bin/python3
"""One unsolicited TCP SYN, and everything its target sends back for a while.

Sends a SYN from --sport to --dst:--dport (scapy, so no local socket
answers for us) and listens on --iface for --listen seconds to whatever
--dst sends: each packet is printed as "DELAY KIND", DELAY in seconds
after the SYN, KIND "icmp T/C", "tcp FLAGS" or "other". For RFC 5382
REQ-4: a NAT must not answer within 6 s.
"""

import argparse
import sys
import time

from scapy.all import ICMP, IP, TCP, AsyncSniffer, send  # Debian's python3-scapy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iface", required=True)
    parser.add_argument("--dst", required=True)
    parser.add_argument("--dport", type=int, required=True)
    parser.add_argument("--sport", type=int, required=True)
    parser.add_argument("--listen", type=float, default=8.0)
    args = parser.parse_args()

    sniffer = AsyncSniffer(iface=args.iface, store=True,
                           filter=f"src host {args.dst} and (icmp or (tcp and dst port {args.sport}))")
    sniffer.start()
    time.sleep(0.5)  # the capture is open before the SYN leaves
    start = time.time()
    send(IP(dst=args.dst) / TCP(sport=args.sport, dport=args.dport, flags="S", seq=1000), verbose=False)
    print("sent", flush=True)
    time.sleep(args.listen)
    sniffer.stop()
    for p in sniffer.results:
        delay = float(p.time) - start
        if ICMP in p:
            kind = f"icmp {p[ICMP].type}/{p[ICMP].code}"
        elif TCP in p:
            kind = f"tcp {p[TCP].flags}"
        else:
            kind = "other"
        print(f"{delay:.2f} {kind}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
