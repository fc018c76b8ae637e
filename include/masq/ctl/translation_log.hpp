// TranslationLog: the translation log file (event_line.hpp lines) with
// size-based rotation, like logrotate's "size" and "rotate": when the next
// line would take the file past max_bytes, PATH becomes PATH.1, PATH.1
// PATH.2, and so on up to PATH.<keep>, the oldest going. A reopened log
// (masqd restarted) is appended to. Lines are collected and written by
// flush(), once per drain of the workers' events, not one write a line.
// Owned by the control plane's thread. Cold.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace masq::ctl {

struct TranslationLogOptions {
  std::string path;
  std::uint64_t max_bytes = 64ull << 20;
  std::uint32_t keep = 4;  // rotated files kept besides PATH
};

// The files of a log, oldest first: PATH.<keep> .. PATH.1, PATH (those
// that exist).
std::vector<std::string> translation_log_files(const TranslationLogOptions& options);

class TranslationLog {
 public:
  struct OpenResult {
    std::unique_ptr<TranslationLog> log;  // set exactly when error is empty
    std::string error;
  };
  static OpenResult open(const TranslationLogOptions& options);
  ~TranslationLog();
  TranslationLog(const TranslationLog&) = delete;
  TranslationLog& operator=(const TranslationLog&) = delete;

  // Queues one line (its newline is added); rotates first when it would
  // not fit.
  void append(std::string_view line);
  // Writes what is queued. An error (disk full) loses those lines; the
  // first is kept for the caller to report.
  void flush();

  const TranslationLogOptions& options() const { return options_; }
  std::uint64_t lines_written() const { return lines_written_; }
  std::uint64_t lines_lost() const { return lines_lost_; }
  std::uint64_t rotations() const { return rotations_; }
  // The latest error not yet taken ("" when none).
  std::string take_error();

 private:
  TranslationLog(TranslationLogOptions options, int fd, std::uint64_t size);
  void rotate();
  void fail(std::string what);

  TranslationLogOptions options_;
  int fd_;
  std::uint64_t size_;  // of the file, what is queued not included
  std::string pending_;
  std::uint64_t pending_lines_ = 0;
  std::uint64_t lines_written_ = 0;
  std::uint64_t lines_lost_ = 0;
  std::uint64_t rotations_ = 0;
  std::string error_;
};

}  // namespace masq::ctl
