// Small text helpers for the tests' fixture syntaxes: words, numbers, hex.
// Every parse function throws TextError with a message naming the bad
// token. Cold.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace masq::test {

class TextError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Splits on blanks; everything from a '#' on is a comment.
std::vector<std::string> split_words(std::string_view line);

// Decimal, or hexadecimal with a 0x prefix; at most `max`.
std::uint64_t parse_uint(std::string_view text, std::uint64_t max, std::string_view what);

// Hex digits, blanks between byte pairs allowed ("4500 0014").
std::vector<std::uint8_t> parse_hex(std::string_view text, std::string_view what);

}  // namespace masq::test
