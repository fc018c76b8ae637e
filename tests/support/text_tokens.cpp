#include "support/text_tokens.hpp"

#include <charconv>

namespace masq::test {

std::vector<std::string> split_words(std::string_view line) {
  line = line.substr(0, line.find('#'));
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) words.emplace_back(line.substr(start, i - start));
  }
  return words;
}

std::uint64_t parse_uint(std::string_view text, std::uint64_t max, std::string_view what) {
  int base = 10;
  std::string_view digits = text;
  if (digits.starts_with("0x") || digits.starts_with("0X")) {
    base = 16;
    digits.remove_prefix(2);
  }
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || v > max) {
    throw TextError(std::string(what) + ": '" + std::string(text) + "' is not a number up to " +
                    std::to_string(max));
  }
  return v;
}

std::vector<std::uint8_t> parse_hex(std::string_view text, std::string_view what) {
  std::string digits;
  for (const char c : text) {
    if (c == ' ' || c == '\t') continue;
    digits += c;
  }
  if (digits.size() % 2 != 0) {
    throw TextError(std::string(what) + ": odd number of hex digits in '" + std::string(text) +
                    "'");
  }
  std::vector<std::uint8_t> out(digits.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto [end, ec] =
        std::from_chars(digits.data() + 2 * i, digits.data() + 2 * i + 2, out[i], 16);
    if (ec != std::errc{} || end != digits.data() + 2 * i + 2) {
      throw TextError(std::string(what) + ": '" + std::string(text) + "' is not hex");
    }
  }
  return out;
}

}  // namespace masq::test
