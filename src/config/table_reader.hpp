// TableReader: typed, checked access to one TOML table. Every accessor
// records its key as known, reports a wrong type (or an integer out of range)
// at the key's line, and returns nothing for an absent key; at the end
// reject_unknown_keys() reports every key nobody asked for, so that a typo
// is an error rather than a silently ignored setting.
// Internal to the config component. Cold.
#pragma once

#include <toml++/toml.h>

#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sourced.hpp"
#include "value_parse.hpp"

namespace masq::config {

enum class Presence { optional, required };

class TableReader {
 public:
  // `path` is the table's dotted key: "" for the root, "nat",
  // "nat.forward[0]". Errors are appended to `errors` (which must outlive
  // the reader).
  TableReader(const toml::table& table, std::string path, std::string_view source,
              std::vector<std::string>& errors);

  std::optional<std::string> string(std::string_view key);
  std::optional<std::string> required_string(std::string_view key);
  std::optional<bool> boolean(std::string_view key);

  // An integer in [min, max]; max defaults to the largest T that TOML's
  // 64-bit integers can hold.
  template <std::integral T>
  std::optional<T> integer(std::string_view key, T min = std::numeric_limits<T>::min(),
                           T max = std::numeric_limits<T>::max()) {
    constexpr auto kTomlMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    const auto top = static_cast<std::uint64_t>(max) > kTomlMax
                         ? std::numeric_limits<std::int64_t>::max()
                         : static_cast<std::int64_t>(max);
    const auto value = integer_in(key, static_cast<std::int64_t>(min), top);
    if (!value) return std::nullopt;
    return static_cast<T>(*value);
  }

  // A sub-table as a reader of its own.
  std::optional<TableReader> table(std::string_view key);
  // An array of strings, each with its own location ("nat.pool[1]").
  std::vector<Sourced<std::string>> strings(std::string_view key);
  // An array of tables, each as a reader of its own ("nat.static[0]").
  std::vector<TableReader> tables(std::string_view key);
  // A key that may hold more than one type; the caller checks it.
  const toml::node* node(std::string_view key);

  // A string run through one of the value_parse.hpp parsers; an absent key
  // is an error only when it is required.
  template <typename T>
  std::optional<T> parse(std::string_view key, Parsed<T> (*parser)(std::string_view),
                         Presence presence = Presence::optional) {
    const auto text = presence == Presence::required ? required_string(key) : string(key);
    if (!text) return std::nullopt;
    return check(key, parser(*text));
  }

  // Reports `parsed.error` at `key` and returns the value, if any.
  template <typename T>
  std::optional<T> check(std::string_view key, Parsed<T> parsed) {
    if (!parsed.value) error(key, parsed.error);
    return std::move(parsed.value);
  }

  // "FILE:LINE: PATH.KEY": the key's line, or the table's when the key is absent.
  std::string where(std::string_view key) const;
  void error(std::string_view key, std::string_view message);
  void type_error(std::string_view key, const toml::node& node, std::string_view expected);

  void reject_unknown_keys();

  std::string_view source() const { return source_; }
  std::vector<std::string>& errors() { return *errors_; }

 private:
  std::optional<std::int64_t> integer_in(std::string_view key, std::int64_t min, std::int64_t max);
  std::string key_path(std::string_view key) const;
  std::string element_path(std::string_view key, std::size_t index) const;
  std::string element_where(std::string_view key, std::size_t index,
                            const toml::node& element) const;
  std::uint32_t line_of(std::string_view key) const;
  const toml::node* lookup(std::string_view key);

  const toml::table* table_;
  std::string path_;
  std::string source_;
  std::vector<std::string>* errors_;
  std::vector<std::string> known_;
};

// "string", "integer", ...: TOML's names for the types, for messages.
std::string_view type_name(toml::node_type type);

}  // namespace masq::config
