#include "interface_claim.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "interface_info.hpp"

namespace masq::io::detail {
namespace {

// The same name in two network namespaces is two interfaces: the lock is
// per namespace (the inode of /proc/self/ns/net names it).
std::string lock_path(std::string_view ifname) {
  struct stat ns {};
  const unsigned long long netns = ::stat("/proc/self/ns/net", &ns) == 0 ? ns.st_ino : 0;
  return std::string(kClaimDirectory) + "/net" + std::to_string(netns) + "." + std::string(ifname) +
         ".lock";
}

// "masqd pid 4242", from what the owner wrote into the lock file.
std::string owner_of(int fd) {
  char text[128] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  if (n <= 0) return "another process";
  std::string owner(text, static_cast<std::size_t>(n));
  while (!owner.empty() && (owner.back() == '\n' || owner.back() == '\0')) owner.pop_back();
  return owner.empty() ? "another process" : owner;
}

}  // namespace

Claim claim_interface(std::string_view ifname) {
  std::error_code ec;
  std::filesystem::create_directories(kClaimDirectory, ec);
  if (ec) {
    return {UniqueFd{}, "cannot make " + std::string(kClaimDirectory) + ": " + ec.message()};
  }
  const std::string path = lock_path(ifname);
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!fd.valid()) return {UniqueFd{}, "cannot open " + path + ": " + error_text(errno)};
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return {UniqueFd{}, std::string(ifname) + " is owned by " + owner_of(fd.get())};
    }
    return {UniqueFd{}, "cannot lock " + path + ": " + error_text(errno)};
  }
  const std::string owner =
      std::string(program_invocation_short_name) + " pid " + std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd.get(), 0) != 0 ||
      ::pwrite(fd.get(), owner.data(), owner.size(), 0) != static_cast<ssize_t>(owner.size())) {
    return {UniqueFd{}, "cannot write " + path + ": " + error_text(errno)};
  }
  return {std::move(fd), {}};
}

}  // namespace masq::io::detail
