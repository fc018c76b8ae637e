#include "xsk_program.hpp"

#include <xdp/libxdp.h>

#include <algorithm>
#include <cstdarg>
#include <cstring>
#include <mutex>

#include "interface_info.hpp"

namespace masq::io::detail {
namespace {

constexpr const char* kObjectFile = "xsk_def_xdp_prog.o";  // shipped by libxdp
constexpr const char* kProgramName = "xsk_def_prog";
constexpr const char* kMapName = "xsks_map";
constexpr std::uint32_t kDefaultQueueSlots = 64;
constexpr int kMaxStaleRemovals = 8;

int discard_libbpf(libbpf_print_level, const char*, va_list) {
  return 0;
}
int discard_libxdp(libxdp_print_level, const char*, va_list) {
  return 0;
}

std::string libxdp_error(int err) {
  char buf[256];
  if (libxdp_strerror(err, buf, sizeof buf) == 0) return buf;
  return error_text(-err);
}

bool is_xsk_program(const xdp_program* p) {
  return p != nullptr && std::strcmp(xdp_program__name(p), kProgramName) == 0;
}

// Detaches one leftover from the interface's current XDP state; false when
// there was none.
bool remove_one(int ifindex) {
  xdp_multiprog* mp = xdp_multiprog__get_from_ifindex(ifindex);
  if (mp == nullptr || libxdp_get_error(mp) != 0) return false;
  bool removed = false;
  if (xdp_multiprog__is_legacy(mp)) {
    if (is_xsk_program(xdp_multiprog__main_prog(mp))) removed = xdp_multiprog__detach(mp) == 0;
  } else {
    for (xdp_program* p = xdp_multiprog__next_prog(nullptr, mp); p != nullptr;
         p = xdp_multiprog__next_prog(p, mp)) {
      if (is_xsk_program(p)) {
        removed = xdp_program__detach(p, ifindex, xdp_multiprog__attach_mode(mp), 0) == 0;
        break;
      }
    }
  }
  xdp_multiprog__close(mp);
  return removed;
}

}  // namespace

void silence_bpf_logging() {
  static std::once_flag once;
  std::call_once(once, [] {
    libbpf_set_print(discard_libbpf);
    libxdp_set_print(discard_libxdp);
  });
}

int XskProgram::remove_stale(int ifindex) {
  int removed = 0;
  while (removed < kMaxStaleRemovals && remove_one(ifindex)) ++removed;
  return removed;
}

XskProgram::Attached XskProgram::attach(int ifindex, bool native, std::uint32_t queue_id) {
  xdp_program* program = xdp_program__find_file(kObjectFile, nullptr, nullptr);
  if (program == nullptr || libxdp_get_error(program) != 0) {
    const long err = program == nullptr ? -ENOENT : libxdp_get_error(program);
    return {nullptr,
            std::string("loading ") + kObjectFile + ": " + libxdp_error(static_cast<int>(err))};
  }
  bpf_map* map = bpf_object__find_map_by_name(xdp_program__bpf_obj(program), kMapName);
  if (map == nullptr) {
    xdp_program__close(program);
    return {nullptr, std::string(kObjectFile) + " has no " + kMapName};
  }
  // One slot per rx queue index the program may see.
  bpf_map__set_max_entries(map, std::max(kDefaultQueueSlots, queue_id + 1));
  const xdp_attach_mode mode = native ? XDP_MODE_NATIVE : XDP_MODE_SKB;
  const int err = xdp_program__attach(program, ifindex, mode, 0);
  if (err != 0) {
    xdp_program__close(program);
    return {nullptr, std::string("XDP attach (") + (native ? "native" : "generic") +
                         ") failed: " + libxdp_error(err)};
  }
  return {std::unique_ptr<XskProgram>(new XskProgram(program, ifindex, native, bpf_map__fd(map))),
          {}};
}

XskProgram::~XskProgram() {
  xdp_program__detach(program_, ifindex_, native_ ? XDP_MODE_NATIVE : XDP_MODE_SKB, 0);
  xdp_program__close(program_);
}

}  // namespace masq::io::detail
