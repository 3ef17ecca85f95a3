// disk-full: fills the broker's log directory (a tmpfs kchaos mounts when a
// scenario has this fault) with a filler file; healing deletes it and
// restarts a broker that stopped because of it.

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <stdexcept>

#include "Kinds.h"
#include "kchaos/sys/Process.h"
#include "kchaos/common/Error.h"

namespace kchaos::faults {
namespace {

void fill(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw HarnessError("cannot create " + file.string() + ": " + std::strerror(errno));
  struct statvfs st {};
  ::statvfs(file.parent_path().c_str(), &st);
  const off_t free_bytes = static_cast<off_t>(st.f_bavail) * static_cast<off_t>(st.f_frsize);
  if (free_bytes > 0) ::posix_fallocate(fd, 0, free_bytes);
  // Whatever fallocate could not take, write until the device says no.
  static char block[4096] = {};
  while (::write(fd, block, sizeof block) > 0) {
  }
  ::close(fd);
}

class DiskFull : public Fault {
 public:
  using Fault::Fault;

 protected:
  void do_inject(FaultContext& ctx) override {
    brokers_ = resolve(ctx, spec_, rng(ctx));
    for (int id : brokers_) {
      const auto dir = ctx.cluster.data_dir(id);
      if (mount_type(dir) != "tmpfs") {
        throw HarnessError("disk-full needs broker " + std::to_string(id) +
                                 "'s log directory on the tmpfs kchaos mounts for it (" +
                                 dir.string() + " is not)");
      }
      fill(dir / kDiskFiller);
    }
    description_ = "disk-full " + brokers_text(brokers_);
  }
  void do_heal(FaultContext& ctx) override {
    for (int id : brokers_) {
      std::error_code ec;
      std::filesystem::remove(ctx.cluster.data_dir(id) / kDiskFiller, ec);
      // A broker that stopped on the full disk comes back, unless another
      // fault holds it down.
      const auto guard = ctx.holds.guard({id});
      if (!ctx.holds.held_down(id) && !ctx.cluster.is_running(id)) ctx.cluster.start(id);
    }
  }
};

std::unique_ptr<Fault> make(const FaultSpec& s) { return std::make_unique<DiskFull>(s); }

}  // namespace

extern const Factory kDiskFull = {"disk-full", make};

}  // namespace kchaos::faults
