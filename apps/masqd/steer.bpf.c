/* The PACKET_FANOUT_EBPF programs that steer each frame of lan0 and wan0
 * to the AF_PACKET socket of the worker that owns it (the kernel takes
 * the return value modulo the group's sockets, indexed by worker), by the
 * formulas of worker_owner.h, which masqd's own Engine::owner() uses too:
 *   LAN: the IPv4 source (the subscriber);
 *   WAN: TCP/UDP destination port, ICMP echo identifier, or the quoted
 *        source port / identifier of an ICMP error; a fragment by its
 *        source, so that all of a datagram's fragments meet.
 * What is not steered exactly (ARP, forwards, static 1:1, quotes the
 * program does not read, VLAN tags) goes to worker 0 or to the slice,
 * and the worker that gets it hands it on (docs/architecture.md,
 * "Workers and steering"). In the fanout hook the skb's data starts at
 * the network header. Built with clang -target bpf; loaded by
 * steering.cpp. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "masq/nat/worker_owner.h"

/* Set by the loader before the program is loaded. */
const volatile struct masq_steer_config config = {1, 0, 0, 0};

static __always_inline int ipv4_header(struct __sk_buff* skb, __u8 h[20]) {
  if (skb->protocol != bpf_htons(ETH_P_IP)) return 0;
  return bpf_skb_load_bytes(skb, 0, h, 20) == 0 && (h[0] >> 4) == 4;
}

static __always_inline __u32 be32(const __u8* p) {
  return ((__u32)p[0] << 24) | ((__u32)p[1] << 16) | ((__u32)p[2] << 8) | p[3];
}
static __always_inline __u32 be16(const __u8* p) { return ((__u32)p[0] << 8) | p[1]; }

SEC("socket")
int steer_lan(struct __sk_buff* skb) {
  __u8 h[20];
  if (!ipv4_header(skb, h)) return 0;
  return masq_address_owner(be32(h + 12), config.workers);
}

SEC("socket")
int steer_wan(struct __sk_buff* skb) {
  __u8 h[20];
  if (!ipv4_header(skb, h)) return 0;
  const unsigned int workers = config.workers;
  if (be16(h + 6) & 0x3FFF) return masq_address_owner(be32(h + 12), workers);
  const __u32 l4 = (h[0] & 0x0F) * 4;
  __u8 t[8];
  if (bpf_skb_load_bytes(skb, l4, t, 8) != 0) return 0;
  if (h[9] == IPPROTO_TCP || h[9] == IPPROTO_UDP) {
    const struct masq_steer_config c = config;
    if (masq_is_host_port(&c, be32(h + 16), be16(t + 2))) return 0;
    return masq_port_owner(0, be16(t + 2), workers);
  }
  if (h[9] != IPPROTO_ICMP) return 0;
  if (t[0] == 0 || t[0] == 8) return masq_port_owner(1, be16(t + 4), workers);
  if (t[0] != 3 && t[0] != 11 && t[0] != 12) return 0;
  /* An error: the quoted header, then its transport's first bytes. */
  __u8 q[20];
  if (bpf_skb_load_bytes(skb, l4 + 8, q, 20) != 0) return 0;
  const __u32 ql4 = l4 + 8 + (q[0] & 0x0F) * 4;
  __u8 qt[8];
  if (bpf_skb_load_bytes(skb, ql4, qt, 8) != 0) return 0;
  if (q[9] == IPPROTO_TCP || q[9] == IPPROTO_UDP) return masq_port_owner(0, be16(qt), workers);
  if (q[9] == IPPROTO_ICMP) return masq_port_owner(1, be16(qt + 4), workers);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
