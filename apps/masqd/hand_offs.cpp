#include "hand_offs.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace masq::app {

HandOffs::HandOffs(std::uint32_t workers, std::size_t slots, std::size_t slot_bytes)
    : workers_(workers), rings_(std::size_t{workers} * workers) {
  for (std::uint32_t from = 0; from < workers; ++from) {
    for (std::uint32_t to = 0; to < workers; ++to) {
      if (from != to)
        rings_[from * workers + to] = std::make_unique<HandOffRing>(slots, slot_bytes);
    }
  }
  for (std::uint32_t k = 0; k < workers; ++k) {
    const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) {
      const int err = errno;
      for (const int open : wake_fds_) ::close(open);
      throw std::system_error(err, std::generic_category(), "eventfd");
    }
    wake_fds_.push_back(fd);
  }
}

HandOffs::~HandOffs() {
  for (const int fd : wake_fds_) ::close(fd);
}

// Non-blocking: a counter that cannot grow is readable already.
void HandOffs::wake(std::uint32_t worker) const {
  const std::uint64_t one = 1;
  static_cast<void>(::write(wake_fds_[worker], &one, sizeof one));
}

void HandOffs::clear_wake(std::uint32_t worker) const {
  std::uint64_t count;
  static_cast<void>(::read(wake_fds_[worker], &count, sizeof count));
}

}  // namespace masq::app
