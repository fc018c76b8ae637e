// Reading and writing the snapshot file (masq/state/snapshot_file.hpp).
#include "masq/state/snapshot_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace masq::state {
namespace {

std::string failed(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

bool write_all(int fd, std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

std::string write_atomically(const std::filesystem::path& path,
                             std::span<const std::uint8_t> bytes) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create " + dir.string() + ": " + ec.message();
  // In the same directory, so that the rename stays within one file system.
  const std::filesystem::path tmp =
      dir / ("." + path.filename().string() + ".tmp." + std::to_string(::getpid()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return failed("cannot create", tmp);
  std::string error;
  if (!write_all(fd, bytes)) {
    error = failed("cannot write", tmp);
  } else if (::fsync(fd) != 0) {
    error = failed("cannot fsync", tmp);
  }
  if (::close(fd) != 0 && error.empty()) error = failed("cannot close", tmp);
  if (error.empty() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    error = failed("cannot rename to", path);
  }
  if (!error.empty()) {
    ::unlink(tmp.c_str());
    return error;
  }
  // The rename itself is durable once the directory is.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return failed("cannot open", dir);
  if (::fsync(dir_fd) != 0) error = failed("cannot fsync", dir);
  ::close(dir_fd);
  return error;
}

Loaded load(const std::filesystem::path& path) {
  Loaded out;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.absent = errno == ENOENT;
    if (!out.absent) out.error = failed("cannot open", path);
    return out;
  }
  in.seekg(0, std::ios::end);
  std::vector<std::uint8_t> bytes(
      static_cast<std::size_t>(std::max<std::streamoff>(in.tellg(), 0)));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!in) {
    out.error = failed("cannot read", path);
    return out;
  }
  Decoded d = decode(bytes);
  out.snapshot = std::move(d.snapshot);
  out.error = std::move(d.error);
  return out;
}

}  // namespace masq::state
