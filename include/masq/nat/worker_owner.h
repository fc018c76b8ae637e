/* Which worker owns what: the two formulas masqd's workers, the binder and
 * the kernel-side steering program (apps/masqd/steer.bpf.c) all use, so
 * that a flow's two directions meet in one worker. Plain C, no includes:
 * the BPF program compiles it with clang -target bpf, C++ wraps it in
 * port_slice.hpp. Pure, hot (every steered packet).
 *
 * - A subscriber (an inside address) belongs to the worker its address
 *   hashes to: its paired pool address, its quotas and all its sessions
 *   live there (RFC 4787 REQ-2, RFC 6888 REQ-4/5 stay exact per host).
 * - An external port (or ICMP identifier) belongs to the worker whose
 *   slice holds it: every port class is cut into `count` contiguous
 *   slices, slice k being the offsets o of the class with o * count / span
 *   == k. The slices partition the class, and differ in size by one at
 *   most.
 * - The gateway host's own ports (TCP and UDP, on the WAN address, which
 *   the NAT never hands out) belong to worker 0, which serves the host
 *   interfaces: the host's TCP arrives as super-frames, too large to hand
 *   between workers. */
#ifndef MASQ_NAT_WORKER_OWNER_H
#define MASQ_NAT_WORKER_OWNER_H

#ifdef __cplusplus
#define MASQ_AS_U32(x) static_cast<unsigned int>(x)
#define MASQ_AS_U64(x) static_cast<unsigned long long>(x)
#else
#define MASQ_AS_U32(x) ((unsigned int)(x))
#define MASQ_AS_U64(x) ((unsigned long long)(x))
#endif

/* The classes a new mapping's port is chosen in (RFC 4787 REQ-3a): ICMP
 * identifiers all form one, TCP and UDP ports 1-1023 and 1024-65535. Port
 * 0 is in no class; it belongs to worker 0. */
static inline unsigned int masq_port_class_first(int icmp, unsigned int port) {
  return icmp ? 0u : port < 1024u ? 1u : 1024u;
}
static inline unsigned int masq_port_class_span(int icmp, unsigned int port) {
  return icmp ? 65536u : port < 1024u ? 1023u : 64512u;
}

/* The worker whose slice of the port's class holds `port`. */
static inline unsigned int masq_port_owner(int icmp, unsigned int port, unsigned int count) {
  if (!icmp && port == 0u) return 0u;
  const unsigned long long offset = MASQ_AS_U64(port - masq_port_class_first(icmp, port));
  return MASQ_AS_U32(offset * count / masq_port_class_span(icmp, port));
}

/* The worker a subscriber (an IPv4 address, host order) belongs to:
 * murmur3's finaliser spreads neighbouring addresses, and the
 * multiply-shift maps the hash onto [0, count) without a division. */
static inline unsigned int masq_address_owner(unsigned int addr, unsigned int count) {
  unsigned int h = addr;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return MASQ_AS_U32((MASQ_AS_U64(h) * count) >> 32);
}

/* What the steering program is loaded with (its .rodata): the number of
 * workers, and the host's ports on the WAN address (host order; last 0:
 * none). */
struct masq_steer_config {
  unsigned int workers;
  unsigned int host_addr;
  unsigned int host_first;
  unsigned int host_last;
};

/* Whether a TCP or UDP packet to `addr`:`port` is for the gateway host.
 * host_addr 0: the WAN address follows a DHCP lease, any address will do
 * (the worker that takes a packet not the host's hands it on). */
static inline int masq_is_host_port(const struct masq_steer_config* c, unsigned int addr,
                                    unsigned int port) {
  return c->host_last != 0u && (c->host_addr == 0u || addr == c->host_addr) &&
         port >= c->host_first && port <= c->host_last;
}

#endif
