#include "table_reader.hpp"

#include <algorithm>

namespace masq::config {

std::string_view type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::none:
      return "nothing";
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "floating-point number";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
  }
  return "unknown type";
}

namespace {

std::string expected_message(std::string_view expected, const toml::node& node) {
  std::string message = "expected ";
  message += expected;
  message += ", got ";
  message += type_name(node.type());
  return message;
}

}  // namespace

TableReader::TableReader(const toml::table& table, std::string path, std::string_view source,
                         std::vector<std::string>& errors)
    : table_(&table), path_(std::move(path)), source_(source), errors_(&errors) {}

const toml::node* TableReader::lookup(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  return table_->get(key);
}

std::string TableReader::key_path(std::string_view key) const {
  if (path_.empty()) return std::string{key};
  std::string out = path_;
  if (!key.empty()) {
    out += '.';
    out += key;
  }
  return out;
}

std::string TableReader::element_path(std::string_view key, std::size_t index) const {
  return key_path(key) + '[' + std::to_string(index) + ']';
}

std::string TableReader::element_where(std::string_view key, std::size_t index,
                                       const toml::node& element) const {
  return file_location(source_, element.source().begin.line, element_path(key, index));
}

std::uint32_t TableReader::line_of(std::string_view key) const {
  const auto it = table_->find(key);
  if (it != table_->end()) return it->first.source().begin.line;
  return table_->source().begin.line;
}

std::string TableReader::where(std::string_view key) const {
  return file_location(source_, line_of(key), key_path(key));
}

void TableReader::error(std::string_view key, std::string_view message) {
  errors_->push_back(error_at(where(key), message));
}

void TableReader::type_error(std::string_view key, const toml::node& node,
                             std::string_view expected) {
  error(key, expected_message(expected, node));
}

std::optional<std::string> TableReader::string(std::string_view key) {
  const auto* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  if (const auto* value = node->as_string()) return value->get();
  type_error(key, *node, "a string");
  return std::nullopt;
}

std::optional<std::string> TableReader::required_string(std::string_view key) {
  if (table_->get(key) == nullptr) {
    lookup(key);
    error(key, "missing");
    return std::nullopt;
  }
  return string(key);
}

std::optional<bool> TableReader::boolean(std::string_view key) {
  const auto* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  if (const auto* value = node->as_boolean()) return value->get();
  type_error(key, *node, "a boolean");
  return std::nullopt;
}

std::optional<std::int64_t> TableReader::integer_in(std::string_view key, std::int64_t min,
                                                    std::int64_t max) {
  const auto* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  const auto* value = node->as_integer();
  if (value == nullptr) {
    type_error(key, *node, "an integer");
    return std::nullopt;
  }
  if (value->get() < min) {
    error(key, "must be at least " + std::to_string(min));
    return std::nullopt;
  }
  if (value->get() > max) {
    error(key, "must be at most " + std::to_string(max));
    return std::nullopt;
  }
  return value->get();
}

std::optional<TableReader> TableReader::table(std::string_view key) {
  const auto* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  if (const auto* sub = node->as_table()) {
    return TableReader(*sub, key_path(key), source_, *errors_);
  }
  type_error(key, *node, "a table");
  return std::nullopt;
}

std::vector<Sourced<std::string>> TableReader::strings(std::string_view key) {
  std::vector<Sourced<std::string>> out;
  const auto* node = lookup(key);
  if (node == nullptr) return out;
  const auto* array = node->as_array();
  if (array == nullptr) {
    type_error(key, *node, "an array of strings");
    return out;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto& element = *array->get(i);
    if (const auto* value = element.as_string()) {
      out.push_back({value->get(), element_where(key, i, element)});
    } else {
      errors_->push_back(
          error_at(element_where(key, i, element), expected_message("a string", element)));
    }
  }
  return out;
}

std::vector<TableReader> TableReader::tables(std::string_view key) {
  std::vector<TableReader> out;
  const auto* node = lookup(key);
  if (node == nullptr) return out;
  const auto* array = node->as_array();
  if (array == nullptr) {
    type_error(key, *node, "an array of tables");
    return out;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto& element = *array->get(i);
    if (const auto* sub = element.as_table()) {
      out.emplace_back(*sub, element_path(key, i), source_, *errors_);
    } else {
      errors_->push_back(
          error_at(element_where(key, i, element), expected_message("a table", element)));
    }
  }
  return out;
}

const toml::node* TableReader::node(std::string_view key) {
  return lookup(key);
}

void TableReader::reject_unknown_keys() {
  std::string message = "unknown key";
  for (std::size_t i = 0; i < known_.size(); ++i) {
    message += i == 0 ? " (known here: " : ", ";
    message += known_[i];
  }
  if (!known_.empty()) message += ')';
  for (const auto& [key, value] : *table_) {
    if (std::find(known_.begin(), known_.end(), key.str()) != known_.end()) continue;
    errors_->push_back(
        error_at(file_location(source_, key.source().begin.line, key_path(key.str())), message));
  }
}

}  // namespace masq::config
