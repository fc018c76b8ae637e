#include "masq/config/config.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>

#include "defaults.hpp"
#include "quick_start.hpp"
#include "toml_reader.hpp"

namespace masq::config {
namespace {

LoadResult failure(std::string message) {
  LoadResult result;
  result.errors.push_back(std::move(message));
  return result;
}

}  // namespace

LoadResult load(std::optional<std::string_view> toml_text, std::string_view source_name,
                const QuickStart& flags) {
  LoadResult result;
  Draft draft;
  // After a syntax error the document means nothing: report only that.
  if (toml_text && !read_toml(*toml_text, source_name, draft, result.errors)) return result;
  apply_flags(flags, draft, result.errors);
  // The engine's own checks name fields; these are the lines that set them
  // (complete() appends the forwards to the engine's in this order).
  auto where = draft.engine_where;  // complete() reads it too (defaults not given)
  for (std::size_t i = 0; i < draft.forwards.size(); ++i) {
    where["forwards[" + std::to_string(i) + "]"] = draft.forwards[i].where;
  }
  auto config = complete(std::move(draft), source_name, result.errors);
  // The engine's own checks only make sense on a config that is whole.
  if (!config || !result.errors.empty()) return result;
  for (const auto& error : nat::validate(config->engine)) {
    const auto it = where.find(error.subject);
    result.errors.push_back(it != where.end() ? error_at(it->second, error.message)
                                              : error_at(source_name, error.text()));
  }
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

LoadResult load_file(const std::optional<std::filesystem::path>& path, const QuickStart& flags) {
  if (!path) return load(std::nullopt, "command line", flags);
  const auto source = path->string();
  std::error_code error;
  const auto size = std::filesystem::file_size(*path, error);
  if (error) return failure(error_at(source, "cannot open: " + error.message()));
  std::string text(size, '\0');
  std::ifstream in(*path, std::ios::binary);
  if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
    return failure(error_at(source, std::string{"cannot read: "} + std::strerror(errno)));
  }
  return load(text, source, flags);
}

}  // namespace masq::config
