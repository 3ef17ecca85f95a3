// The power-loss filesystem on a real FUSE mount: what survives killing the
// daemon and removing the mount is exactly what was made durable
// (docs/power-loss.md).

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "kchaos/sys/Process.h"
#include "kchaos/sys/Wait.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Writes data at offset through a fresh descriptor; sync: 0 none, 1 fsync, 2 fdatasync.
void put(const fs::path& p, const std::string& data, int sync = 0, int flags = O_CREAT | O_WRONLY,
         off_t offset = 0) {
  const int fd = ::open(p.c_str(), flags, 0644);
  ASSERT_GE(fd, 0) << p << ": " << std::strerror(errno);
  ASSERT_EQ(::pwrite(fd, data.data(), data.size(), offset), static_cast<ssize_t>(data.size()));
  if (sync == 1) {
    ASSERT_EQ(::fsync(fd), 0);
  } else if (sync == 2) {
    ASSERT_EQ(::fdatasync(fd), 0);
  }
  ::close(fd);
}

bool mounted(const fs::path& at) {
  std::ifstream mounts("/proc/mounts");
  std::string source, target, type, rest;
  while (mounts >> source >> target >> type && std::getline(mounts, rest)) {
    if (target == at.string() && type == "fuse.kchaos-pagefs") return true;
  }
  return false;
}

class PageFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0 || !fs::exists("/dev/fuse")) GTEST_SKIP() << "needs root and /dev/fuse";
    root_ = fs::temp_directory_path() / ("kchaos-pagefs-test-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(backing_ = root_ / "backing");
    fs::create_directories(mnt_ = root_ / "mnt");
  }
  void TearDown() override {
    if (pid_ > 0) power_loss();
    if (!root_.empty()) fs::remove_all(root_);
  }

  void mount(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {KCHAOS_PAGEFS, backing_.string(), mnt_.string(), "--name",
                                     "kchaos-pagefs-test"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    pid_ = kchaos::spawn_detached(argv, root_ / "pagefs.log");
    ASSERT_TRUE(kchaos::poll_until(10s, 10ms, [&] { return mounted(mnt_); }))
        << "not mounted: " << slurp(root_ / "pagefs.log");
  }
  // The daemon dies with what it held; the dead mount goes.
  void power_loss() {
    ::kill(pid_, SIGKILL);
    kchaos::poll_until(
        5s, 5ms, [&] { return kchaos::process_state(pid_) == kchaos::ProcessState::gone; });
    pid_ = -1;
    ASSERT_EQ(::umount2(mnt_.c_str(), MNT_DETACH), 0) << std::strerror(errno);
    ASSERT_FALSE(mounted(mnt_));
  }
  void remount_after_power_loss() {
    power_loss();
    mount();
  }

  fs::path root_, backing_, mnt_;
  pid_t pid_ = -1;
};

}  // namespace

TEST_F(PageFsTest, UnsyncedWritesAreGoneAfterPowerLossAndSyncedOnesKept) {
  mount();
  put(backing_ / "old", "old content");  // durable before the mount
  put(mnt_ / "unsynced", "never synced");
  put(mnt_ / "fsynced", "fsynced", 1);
  put(mnt_ / "fdatasynced", "fdatasynced", 2);
  put(mnt_ / "old", "NEW", 0, O_WRONLY);
  EXPECT_EQ(slurp(mnt_ / "unsynced"), "never synced") << "readers see the unsynced bytes";
  EXPECT_EQ(slurp(mnt_ / "old"), "NEW content");
  EXPECT_EQ(fs::file_size(mnt_ / "unsynced"), 12u);
  remount_after_power_loss();
  EXPECT_TRUE(fs::exists(mnt_ / "unsynced")) << "names are durable at once";
  EXPECT_EQ(slurp(mnt_ / "unsynced"), "");
  EXPECT_EQ(slurp(mnt_ / "fsynced"), "fsynced");
  EXPECT_EQ(slurp(mnt_ / "fdatasynced"), "fdatasynced");
  EXPECT_EQ(slurp(mnt_ / "old"), "old content");
}

TEST_F(PageFsTest, MmapWritesSurviveOnlyWhenMsynced) {
  mount();
  const size_t size = 3 * 4096;
  for (const char* name : {"msynced.index", "dirty.index"}) {
    put(mnt_ / name, std::string(size, '\0'), 1);
    const int fd = ::open((mnt_ / name).c_str(), O_RDWR);
    ASSERT_GE(fd, 0);
    auto* map =
        static_cast<char*>(::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
    ASSERT_NE(map, MAP_FAILED) << std::strerror(errno);
    std::memset(map + 100, 'A', 10);
    std::memset(map + 4096 + 7, 'B', 10);
    if (std::string(name) == "msynced.index") {
      ASSERT_EQ(::msync(map, size, MS_SYNC), 0);  // what MappedByteBuffer.force() does
    }
    ::munmap(map, size);
    ::close(fd);
    const std::string seen = slurp(mnt_ / name);
    EXPECT_EQ(seen.substr(100, 10), std::string(10, 'A')) << name;
    EXPECT_EQ(seen.substr(4096 + 7, 10), std::string(10, 'B')) << name;
  }
  remount_after_power_loss();
  const std::string kept = slurp(mnt_ / "msynced.index");
  EXPECT_EQ(kept.substr(100, 10), std::string(10, 'A'));
  EXPECT_EQ(kept.substr(4096 + 7, 10), std::string(10, 'B'));
  EXPECT_EQ(slurp(mnt_ / "dirty.index"), std::string(size, '\0'));
}

TEST_F(PageFsTest, TruncationsRenamesAndUnlinksFollowTheModel) {
  mount();
  put(mnt_ / "cut", "0123456789", 1);
  ASSERT_EQ(::truncate((mnt_ / "cut").c_str(), 3), 0);
  put(mnt_ / "cut-synced", "0123456789", 1);
  ASSERT_EQ(::truncate((mnt_ / "cut-synced").c_str(), 3), 0);
  put(mnt_ / "cut-synced", "", 1, O_WRONLY);
  put(mnt_ / "otrunc", "durable", 1);
  put(mnt_ / "otrunc", "x", 0, O_WRONLY | O_TRUNC);
  EXPECT_EQ(slurp(mnt_ / "otrunc"), "x");
  put(mnt_ / "a", "renamed unsynced");
  fs::rename(mnt_ / "a", mnt_ / "b");
  put(mnt_ / "c", "renamed then synced");
  fs::rename(mnt_ / "c", mnt_ / "d");
  put(mnt_ / "d", "", 1, O_WRONLY);
  put(mnt_ / "gone", "durable", 1);
  fs::remove(mnt_ / "gone");
  remount_after_power_loss();
  EXPECT_EQ(slurp(mnt_ / "cut"), "0123456789");
  EXPECT_EQ(slurp(mnt_ / "cut-synced"), "012");
  EXPECT_EQ(slurp(mnt_ / "otrunc"), "durable");
  EXPECT_FALSE(fs::exists(mnt_ / "a"));
  EXPECT_EQ(slurp(mnt_ / "b"), "") << "the name moved, the bytes were never durable";
  EXPECT_EQ(slurp(mnt_ / "d"), "renamed then synced") << "the bytes follow the file";
  EXPECT_FALSE(fs::exists(mnt_ / "gone"));
}

TEST_F(PageFsTest, AnUnlinkedOpenFileStaysReadableThroughItsDescriptor) {
  mount();
  const int fd = ::open((mnt_ / "f").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "still here", 10), 10);
  ASSERT_EQ(::unlink((mnt_ / "f").c_str()), 0);
  char buf[16] = {};
  EXPECT_EQ(::pread(fd, buf, sizeof buf, 0), 10);
  EXPECT_STREQ(buf, "still here");
  ::close(fd);
  EXPECT_TRUE(fs::is_empty(backing_)) << "no .fuse_hidden files";
}

TEST_F(PageFsTest, ACleanUnmountIsACleanShutdownAndKeepsEverything) {
  mount();
  put(mnt_ / "f", "kept by a clean shutdown");
  ::kill(pid_, SIGTERM);
  ASSERT_TRUE(kchaos::poll_until(10s, 10ms, [&] { return !mounted(mnt_); }));
  pid_ = -1;
  EXPECT_EQ(slurp(backing_ / "f"), "kept by a clean shutdown");
}

TEST_F(PageFsTest, WritebackAgeMakesOldChangesDurable) {
  mount({"--writeback-s", "1"});
  put(mnt_ / "old-enough", "written back");
  std::this_thread::sleep_for(2500ms);
  put(mnt_ / "too-young", "lost");
  remount_after_power_loss();
  EXPECT_EQ(slurp(mnt_ / "old-enough"), "written back");
  EXPECT_EQ(slurp(mnt_ / "too-young"), "");
}

// Eight writers, eight files each, random writes, truncations and fsyncs:
// while mounted every file reads as written; after power loss as last synced.
TEST_F(PageFsTest, ConcurrentWritersOnManyFilesKeepExactlyTheirSyncedContent) {
  mount();
  constexpr int kThreads = 8, kFiles = 8, kOps = 300;
  struct File {
    std::string now, synced;
  };
  std::vector<std::vector<File>> files(kThreads, std::vector<File>(kFiles));
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      std::mt19937 rng(t + 1);
      std::vector<int> fds;
      for (int f = 0; f < kFiles; ++f) {
        const auto p = mnt_ / ("w" + std::to_string(t) + "-" + std::to_string(f));
        fds.push_back(::open(p.c_str(), O_CREAT | O_RDWR, 0644));
      }
      for (int op = 0; op < kOps * kFiles; ++op) {
        const int f = rng() % kFiles;
        File& file = files[t][f];
        const int what = rng() % 100;
        bool ok = true;
        if (what < 85) {
          const size_t at = rng() % 65536, n = 1 + rng() % 4096;
          const std::string data(n, static_cast<char>('a' + rng() % 26));
          ok = ::pwrite(fds[f], data.data(), n, at) == static_cast<ssize_t>(n);
          if (file.now.size() < at + n) file.now.resize(at + n, '\0');
          file.now.replace(at, n, data);
        } else if (what < 92) {
          const size_t size = rng() % 70000;
          ok = ::ftruncate(fds[f], size) == 0;
          file.now.resize(size, '\0');
        } else {
          ok = ::fsync(fds[f]) == 0;
          file.synced = file.now;
        }
        if (!ok && errors[t].empty()) errors[t] = std::strerror(errno);
      }
      for (int fd : fds) ::close(fd);
    });
  }
  for (auto& w : writers) w.join();
  for (int t = 0; t < kThreads; ++t) ASSERT_EQ(errors[t], "") << "writer " << t;
  auto name = [](int t, int f) { return "w" + std::to_string(t) + "-" + std::to_string(f); };
  for (int t = 0; t < kThreads; ++t) {
    for (int f = 0; f < kFiles; ++f)
      ASSERT_EQ(slurp(mnt_ / name(t, f)), files[t][f].now) << name(t, f);
  }
  remount_after_power_loss();
  int synced_files = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int f = 0; f < kFiles; ++f) {
      ASSERT_EQ(slurp(mnt_ / name(t, f)), files[t][f].synced) << name(t, f);
      synced_files += !files[t][f].synced.empty();
    }
  }
  EXPECT_GT(synced_files, kThreads * kFiles / 2) << "the test should sync most files";
}
