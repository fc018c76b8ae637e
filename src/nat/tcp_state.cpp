#include "tcp_state.hpp"

namespace masq::nat {

std::string_view to_string(TcpState s) {
  switch (s) {
    case TcpState::none:
      return "none";
    case TcpState::syn_out:
      return "syn_out";
    case TcpState::syn_in:
      return "syn_in";
    case TcpState::established:
      return "established";
    case TcpState::fin_out:
      return "fin_out";
    case TcpState::fin_in:
      return "fin_in";
    case TcpState::fin_both:
      return "fin_both";
    case TcpState::reset:
      return "reset";
  }
  return "unknown";
}

}  // namespace masq::nat
