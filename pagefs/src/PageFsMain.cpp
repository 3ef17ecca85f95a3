// kchaos-pagefs: a pass-through filesystem whose unsynced writes live only in
// its own memory, as a page cache's do. Killing it (power loss) loses exactly
// what was never made durable. See docs/power-loss.md.

#include <stdlib.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "Operations.h"

namespace {

constexpr const char* kUsage =
    "usage: kchaos-pagefs BACKING_DIR MOUNT_POINT [--writeback-s S] [--dirty-limit-mb M]\n"
    "                     [--name NAME] [--sync-backing]\n"
    "  Mounts BACKING_DIR at MOUNT_POINT (in the foreground). Written bytes stay in\n"
    "  memory until fsync/fdatasync (or msync + fsync) makes them durable in\n"
    "  BACKING_DIR; kill -9 and unmount to lose what was not.\n"
    "  --writeback-s S      also write back changes older than S seconds (0 = never, default)\n"
    "  --dirty-limit-mb M   write a file back when unsynced bytes exceed M MiB (default 1024)\n"
    "  --name NAME          the mount's source name in /proc/mounts (default kchaos-pagefs)\n"
    "  --sync-backing       fsync also syncs the backing file (an fsync costs a disk flush)\n";

struct Options {
  std::string backing, mount_point, name = "kchaos-pagefs";
  double writeback_s = 0;
  double dirty_limit_mb = 1024;
  bool sync_backing = false;
};

[[noreturn]] void usage_error(const std::string& what) {
  std::cerr << "kchaos-pagefs: " << what << "\n" << kUsage;
  std::exit(2);
}

double number(const std::string& flag, const char* text) {
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == std::strlen(text) && v >= 0 && v < 1e9) return v;
  } catch (const std::exception&) {
  }
  usage_error(flag + " needs a number from 0 to 1e9, not '" + text + "'");
}

Options parse(int argc, char** argv) {
  Options o;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (a == "--sync-backing") {
      o.sync_backing = true;
      continue;
    }
    if (a.rfind("--", 0) == 0) {
      if (i + 1 >= argc) usage_error(a + " needs a value");
      const char* v = argv[++i];
      if (a == "--writeback-s")
        o.writeback_s = number(a, v);
      else if (a == "--dirty-limit-mb")
        o.dirty_limit_mb = number(a, v);
      else if (a == "--name")
        o.name = v;
      else
        usage_error("unknown option " + a);
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 2) usage_error("give a backing directory and a mount point");
  o.backing = positional[0];
  o.mount_point = positional[1];
  while (o.backing.size() > 1 && o.backing.back() == '/') o.backing.pop_back();
  for (const auto* dir : {&o.backing, &o.mount_point}) {
    struct stat st {};
    if (::stat(dir->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      usage_error("'" + *dir + "' is not a directory");
    }
  }
  // The daemon does not keep its working directory.
  char* absolute = ::realpath(o.backing.c_str(), nullptr);
  o.backing = absolute;
  std::free(absolute);
  if (o.name.find_first_of(", \t\n") != std::string::npos)
    usage_error("--name has no commas or spaces");
  return o;
}

// Writes back changes older than the age, like the kernel's dirty expiry.
class WriteBack {
 public:
  WriteBack(kchaos::pagefs::Nodes& nodes, double seconds) {
    if (seconds <= 0) return;
    const auto age = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
    const auto tick = std::min<std::chrono::milliseconds>(age / 4 + std::chrono::milliseconds(1),
                                                          std::chrono::milliseconds(500));
    thread_ = std::thread([this, &nodes, age, tick] {
      std::unique_lock lock(mutex_);
      while (!stop_) {
        wake_.wait_for(lock, tick, [this] { return stop_; });
        if (!stop_) nodes.write_back_older_than(age);
      }
    });
  }
  ~WriteBack() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  kchaos::pagefs::FileSystem fs{
      o.backing, kchaos::pagefs::Nodes(static_cast<uint64_t>(o.dirty_limit_mb * 1048576)),
      o.sync_backing};
  const std::string mount_options = "fsname=" + o.name + ",subtype=kchaos-pagefs";
  std::vector<std::string> args = {argv[0], "-o", mount_options};
  std::vector<char*> raw;
  for (auto& a : args) raw.push_back(a.data());
  fuse_args fargs = FUSE_ARGS_INIT(static_cast<int>(raw.size()), raw.data());
  const fuse_operations ops = kchaos::pagefs::operations();
  fuse* f = fuse_new(&fargs, &ops, sizeof ops, &fs);
  if (f == nullptr || fuse_mount(f, o.mount_point.c_str()) != 0) {
    std::cerr << "kchaos-pagefs: cannot mount " << o.mount_point << " (see above)\n";
    return 3;
  }
  fuse_set_signal_handlers(fuse_get_session(f));
  int rc = 0;
  {
    WriteBack writeback(fs.nodes, o.writeback_s);
    rc = fuse_loop_mt(f, 0);
  }
  // A clean stop (SIGTERM, SIGINT): everything reaches the backing directory
  // before the mount goes away, so whoever sees it gone sees the data there.
  // (An unmount from outside ends the loop after the mount is gone: then
  // only this process's exit says the data is written.)
  fs.nodes.write_back_older_than(std::chrono::milliseconds(0));
  fuse_remove_signal_handlers(fuse_get_session(f));
  fuse_unmount(f);
  fuse_destroy(f);
  return rc == 0 ? 0 : 3;
}
