#include "xsk_program.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <unistd.h>
#include <xdp/libxdp.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <mutex>

#include "interface_info.hpp"

namespace masq::io::detail {
namespace {

constexpr const char* kObjectFile = "xsk_def_xdp_prog.o";  // shipped by libxdp
constexpr const char* kProgramName = "xsk_def_prog";
constexpr const char* kMapName = "xsks_map";
constexpr std::uint32_t kDefaultQueueSlots = 64;

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

}  // namespace

void silence_bpf_logging() {
  static std::once_flag once;
  std::call_once(once, [] {
    libbpf_set_print(discard_libbpf);
    libxdp_set_print(discard_libxdp);
  });
}

XskProgram::Attached XskProgram::attach(int ifindex, bool native, std::uint32_t queues) {
  const char* const mode = native ? "native" : "generic";
  // libxdp knows where its object files are installed (LIBXDP_OBJECT_PATH,
  // then its build's default); the object itself is loaded and attached
  // with libbpf, so that the attachment is a link this process owns.
  xdp_program* found = xdp_program__find_file(kObjectFile, nullptr, nullptr);
  if (found == nullptr || libxdp_get_error(found) != 0) {
    const long err = found == nullptr ? -ENOENT : libxdp_get_error(found);
    return {nullptr,
            std::string("loading ") + kObjectFile + ": " + libxdp_error(static_cast<int>(err))};
  }
  bpf_object* object = xdp_program__bpf_obj(found);
  auto fail = [&](std::string error) {
    xdp_program__close(found);
    return Attached{nullptr, std::move(error)};
  };
  bpf_map* map = bpf_object__find_map_by_name(object, kMapName);
  bpf_program* program = bpf_object__find_program_by_name(object, kProgramName);
  if (map == nullptr || program == nullptr) {
    return fail(std::string(kObjectFile) + " has no " + kMapName + " or " + kProgramName);
  }
  // One slot per rx queue index the program may see.
  bpf_map__set_max_entries(map, std::max(kDefaultQueueSlots, queues));
  if (const int err = bpf_object__load(object); err != 0) {
    return fail(std::string("loading ") + kObjectFile + ": " + error_text(-err));
  }
  LIBBPF_OPTS(bpf_link_create_opts, options,
              .flags = static_cast<__u32>(native ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE));
  const int link_fd = bpf_link_create(bpf_program__fd(program), ifindex, BPF_XDP, &options);
  if (link_fd < 0) {
    const int err = errno;
    if (err == EBUSY || err == EEXIST) {
      return fail(std::string("XDP attach (") + mode +
                  ") refused: another XDP program is attached to the interface, and masqd "
                  "does not remove what it did not attach (xdp-loader status shows it)");
    }
    return fail(std::string("XDP attach (") + mode + ") failed: " + error_text(err));
  }
  return {std::unique_ptr<XskProgram>(new XskProgram(found, link_fd, native, bpf_map__fd(map))),
          {}};
}

XskProgram::~XskProgram() {
  ::close(link_fd_);  // the last reference to the link: the program is detached
  xdp_program__close(program_);
}

}  // namespace masq::io::detail
