// TCP connection tracking for NAT, after RFC 7857 §3 and the state machine
// of RFC 6146 §3.5.2 (written for NAT64; the NAT44 reading is the same with
// "V4" = in2out and "V6" = out2in). Only flags are inspected: sequence
// numbers are the endpoints' business (RFC 5382 REQ-2: every valid
// sequence passes). Hot: a table-free switch on the fast path.
#pragma once

#include <cstdint>
#include <string_view>

#include "masq/net/names.hpp"

namespace masq::nat {

#define MASQ_NAT_TCP_STATES(X)                                                   \
  X(none)        /* not TCP */                                                   \
  X(syn_out)     /* SYN seen from inside (RFC 6146 V4 INIT) */                   \
  X(syn_in)      /* SYN seen from outside through a forward or static mapping */ \
  X(established) /* both sides sent SYN */                                       \
  X(fin_out)     /* FIN from inside */                                           \
  X(fin_in)      /* FIN from outside */                                          \
  X(fin_both)    /* FIN both ways: closing, transitory timer */                  \
  X(reset)       /* RST seen: kept (transitory timer) because RSTs can be forged (RFC 7857 §3.3) */

enum class TcpState : std::uint8_t { MASQ_NAT_TCP_STATES(MASQ_ENUMERATOR) };

inline constexpr net::NameTable<8> kTcpStateNames{MASQ_NAT_TCP_STATES(MASQ_NAME)};
constexpr std::string_view to_string(TcpState s) {
  return net::name_of(kTcpStateNames, s);
}

struct TcpFlags {
  bool syn = false;
  bool ack = false;
  bool fin = false;
  bool rst = false;
};

enum class TcpTimer : std::uint8_t { opening, established, transitory };

// A half-closed connection may go on sending one way for a long time: it
// keeps the established timer until both FINs are seen (RFC 6146
// §3.5.2.2, RFC 5382 REQ-5).
constexpr TcpTimer timer_for(TcpState s) {
  switch (s) {
    case TcpState::established:
    case TcpState::fin_out:
    case TcpState::fin_in:
      return TcpTimer::established;
    case TcpState::syn_out:
    case TcpState::syn_in:
      return TcpTimer::opening;
    default:
      return TcpTimer::transitory;
  }
}

constexpr TcpState tcp_next(TcpState s, TcpFlags f, bool in2out) {
  if (f.rst) return TcpState::reset;
  // A fresh SYN on a closing or reset 4-tuple starts a new connection.
  if (f.syn && !f.ack && (s == TcpState::fin_both || s == TcpState::reset)) {
    return in2out ? TcpState::syn_out : TcpState::syn_in;
  }
  switch (s) {
    case TcpState::syn_out:
      return (!in2out && f.syn) ? TcpState::established : s;
    case TcpState::syn_in:
      return (in2out && f.syn) ? TcpState::established : s;
    case TcpState::established:
      if (f.fin) return in2out ? TcpState::fin_out : TcpState::fin_in;
      return s;
    case TcpState::fin_out:
      return (!in2out && f.fin) ? TcpState::fin_both : s;
    case TcpState::fin_in:
      return (in2out && f.fin) ? TcpState::fin_both : s;
    // RFC 6146: in TRANS, any packet other than RST moves back to ESTABLISHED.
    case TcpState::reset:
      return TcpState::established;
    default:
      return s;
  }
}

}  // namespace masq::nat
