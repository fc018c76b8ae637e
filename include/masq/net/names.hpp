// Names written once. An enum or a counter struct lists its members in one
// X-macro; the macros below expand that list into the enumerators, a
// constexpr table of names, or a table of {name, reader} for counters, and
// the functions here look names up in those tables. masqctl, metrics,
// masq-replay and the tests all read the same tables, so a name cannot
// drift between them. Cold: for printing and parsing, never per packet.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

// X-macro expanders: MASQ_LIST(MASQ_ENUMERATOR) declares the values of an
// enum, MASQ_LIST(MASQ_NAME) their names in the same order.
#define MASQ_ENUMERATOR(name) name,
#define MASQ_NAME(name) std::string_view{#name},
// MASQ_LIST(MASQ_COUNTER_MEMBER) declares the counters of a struct.
#define MASQ_COUNTER_MEMBER(name) std::uint64_t name = 0;

namespace masq::net {

template <std::size_t N>
using NameTable = std::array<std::string_view, N>;

// "unknown" past the end (a count_ sentinel, a corrupt value).
template <typename E, std::size_t N>
constexpr std::string_view name_of(const NameTable<N>& names, E value) {
  const auto i = static_cast<std::size_t>(value);
  return i < N ? names[i] : std::string_view{"unknown"};
}

template <typename E, std::size_t N>
constexpr std::optional<E> value_named(const NameTable<N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

// One counter of a struct S: its name and how to read it. A captureless
// lambda converts to `read`, so a table of these is constexpr.
template <typename S>
struct CounterField {
  std::string_view name;
  std::uint64_t (*read)(const S&);
};

template <typename S, std::size_t N, typename Fn>
constexpr void for_each_counter(const std::array<CounterField<S>, N>& fields, const S& s, Fn&& fn) {
  for (const CounterField<S>& f : fields) fn(f.name, f.read(s));
}

template <typename S, std::size_t N>
constexpr const CounterField<S>* counter_named(const std::array<CounterField<S>, N>& fields,
                                               std::string_view name) {
  for (const CounterField<S>& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace masq::net
