#include "masq/ctl/translation_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace masq::ctl {
namespace {

std::string rotated(const std::string& path, std::uint32_t k) {
  return path + "." + std::to_string(k);
}

int open_file(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
}

}  // namespace

std::vector<std::string> translation_log_files(const TranslationLogOptions& options) {
  std::vector<std::string> files;
  struct stat st {};
  for (std::uint32_t k = options.keep; k >= 1; --k) {
    if (std::string f = rotated(options.path, k); ::stat(f.c_str(), &st) == 0)
      files.push_back(std::move(f));
  }
  if (::stat(options.path.c_str(), &st) == 0) files.push_back(options.path);
  return files;
}

TranslationLog::OpenResult TranslationLog::open(const TranslationLogOptions& options) {
  if (options.path.empty()) return {nullptr, "translation log: empty path"};
  if (options.max_bytes == 0) return {nullptr, "translation log: max_bytes must be positive"};
  const int fd = open_file(options.path);
  if (fd < 0) {
    return {nullptr,
            "cannot open the translation log " + options.path + ": " + std::strerror(errno)};
  }
  struct stat st {};
  ::fstat(fd, &st);
  return {std::unique_ptr<TranslationLog>(
              new TranslationLog(options, fd, static_cast<std::uint64_t>(st.st_size))),
          {}};
}

TranslationLog::TranslationLog(TranslationLogOptions options, int fd, std::uint64_t size)
    : options_(std::move(options)), fd_(fd), size_(size) {}

TranslationLog::~TranslationLog() {
  flush();
  if (fd_ >= 0) ::close(fd_);
}

void TranslationLog::append(std::string_view line) {
  const std::uint64_t used = size_ + pending_.size();
  if (used != 0 && used + line.size() + 1 > options_.max_bytes) {
    flush();
    rotate();
  }
  pending_.append(line);
  pending_.push_back('\n');
  ++pending_lines_;
}

void TranslationLog::flush() {
  if (pending_.empty()) return;
  // A file that could not be reopened after a rotation is tried again.
  if (fd_ < 0) fd_ = open_file(options_.path);
  std::size_t done = 0;
  while (fd_ >= 0 && done < pending_.size()) {
    const ssize_t n = ::write(fd_, pending_.data() + done, pending_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      fail("writing the translation log " + options_.path + ": " + std::strerror(errno));
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  size_ += done;
  if (done == pending_.size()) {
    lines_written_ += pending_lines_;
  } else {
    lines_lost_ += pending_lines_;
  }
  pending_.clear();
  pending_lines_ = 0;
}

void TranslationLog::rotate() {
  const std::string& path = options_.path;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (options_.keep == 0) {
    ::unlink(path.c_str());
  } else {
    // The oldest goes when renamed over.
    for (std::uint32_t k = options_.keep; k > 1; --k)
      ::rename(rotated(path, k - 1).c_str(), rotated(path, k).c_str());
    if (::rename(path.c_str(), rotated(path, 1).c_str()) != 0 && errno != ENOENT)
      fail("rotating the translation log " + path + ": " + std::strerror(errno));
  }
  fd_ = open_file(path);
  if (fd_ < 0) fail("reopening the translation log " + path + ": " + std::strerror(errno));
  size_ = 0;
  ++rotations_;
}

void TranslationLog::fail(std::string what) {
  error_ = std::move(what);
}

std::string TranslationLog::take_error() {
  std::string e;
  e.swap(error_);
  return e;
}

}  // namespace masq::ctl
