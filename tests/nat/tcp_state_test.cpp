#include "tcp_state.hpp"

#include <gtest/gtest.h>

namespace masq::nat {
namespace {

constexpr TcpFlags kSyn{true, false, false, false};
constexpr TcpFlags kSynAck{true, true, false, false};
constexpr TcpFlags kAck{false, true, false, false};
constexpr TcpFlags kFin{false, true, true, false};
constexpr TcpFlags kRst{false, false, false, true};

TEST(TcpState, ThreeWayHandshake) {
  TcpState s = TcpState::syn_out;
  s = tcp_next(s, kSynAck, /*in2out=*/false);
  EXPECT_EQ(s, TcpState::established);
  EXPECT_EQ(tcp_next(s, kAck, true), TcpState::established);
}

TEST(TcpState, SimultaneousOpen) {  // RFC 5382 REQ-2a: SYNs cross
  EXPECT_EQ(tcp_next(TcpState::syn_out, kSyn, false), TcpState::established);
}

TEST(TcpState, InboundOpenThroughForward) {
  EXPECT_EQ(tcp_next(TcpState::syn_in, kAck, true), TcpState::syn_in);
  EXPECT_EQ(tcp_next(TcpState::syn_in, kSynAck, true), TcpState::established);
}

TEST(TcpState, FinEachWay) {
  EXPECT_EQ(tcp_next(TcpState::established, kFin, true), TcpState::fin_out);
  EXPECT_EQ(tcp_next(TcpState::fin_out, kAck, true), TcpState::fin_out);
  EXPECT_EQ(tcp_next(TcpState::fin_out, kFin, false), TcpState::fin_both);
  EXPECT_EQ(tcp_next(TcpState::established, kFin, false), TcpState::fin_in);
  EXPECT_EQ(tcp_next(TcpState::fin_in, kFin, true), TcpState::fin_both);
}

TEST(TcpState, RstKeepsSessionAndLaterPacketRevives) {  // RFC 7857 §3.3, RFC 6146 TRANS
  EXPECT_EQ(tcp_next(TcpState::established, kRst, false), TcpState::reset);
  EXPECT_EQ(tcp_next(TcpState::reset, kAck, true), TcpState::established);
}

TEST(TcpState, NewSynOnClosedTupleReopens) {
  EXPECT_EQ(tcp_next(TcpState::fin_both, kSyn, true), TcpState::syn_out);
  EXPECT_EQ(tcp_next(TcpState::reset, kSyn, false), TcpState::syn_in);
}

TEST(TcpState, TimersPerState) {
  EXPECT_EQ(timer_for(TcpState::established), TcpTimer::established);
  EXPECT_EQ(timer_for(TcpState::syn_out), TcpTimer::opening);
  EXPECT_EQ(timer_for(TcpState::fin_out), TcpTimer::established);  // half-closed
  EXPECT_EQ(timer_for(TcpState::fin_in), TcpTimer::established);
  EXPECT_EQ(timer_for(TcpState::fin_both), TcpTimer::transitory);
  EXPECT_EQ(timer_for(TcpState::reset), TcpTimer::transitory);
  EXPECT_EQ(to_string(TcpState::fin_out), "fin_out");
}

}  // namespace
}  // namespace masq::nat
