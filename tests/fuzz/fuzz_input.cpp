#include "fuzz/fuzz_input.hpp"

#include <algorithm>

namespace masq::test {

std::optional<FuzzStep> FuzzInputReader::next() {
  if (rest_.size() < 4) return std::nullopt;
  FuzzStep step;
  step.side = (rest_[0] & 1) != 0 ? Side::wan : Side::lan;
  step.joins_batch = (rest_[0] & 2) != 0;
  step.l4_seed = (rest_[0] & 4) != 0;
  step.dt = rest_[1];
  const std::size_t len =
      std::min<std::size_t>((std::size_t{rest_[2]} << 8) | rest_[3], rest_.size() - 4);
  step.packet = rest_.subspan(4, len);
  rest_ = rest_.subspan(4 + len);
  return step;
}

void append_fuzz_step(std::vector<std::uint8_t>& out, const FuzzStep& step) {
  out.push_back(static_cast<std::uint8_t>((step.side == Side::wan ? 1 : 0) |
                                          (step.joins_batch ? 2 : 0) | (step.l4_seed ? 4 : 0)));
  out.push_back(step.dt);
  out.push_back(static_cast<std::uint8_t>(step.packet.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(step.packet.size()));
  out.insert(out.end(), step.packet.begin(), step.packet.end());
}

}  // namespace masq::test
