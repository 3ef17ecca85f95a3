#include "Operations.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <vector>

namespace kchaos::pagefs {
namespace {

FileSystem& fs() { return *static_cast<FileSystem*>(fuse_get_context()->private_data); }
std::string real(const char* path) { return fs().root + path; }
int result(int rc) { return rc == 0 ? 0 : -errno; }

// An open file's handle is a heap copy of its node's shared pointer.
std::shared_ptr<Node>& node_of(fuse_file_info* fi) {
  return *reinterpret_cast<std::shared_ptr<Node>*>(fi->fh);
}

void show_overlay(struct stat* st) {
  if (!S_ISREG(st->st_mode)) return;
  if (auto node = fs().nodes.find(st->st_ino)) {
    std::lock_guard lock(node->mutex);
    st->st_size = static_cast<off_t>(node->overlay.size());
    st->st_blocks = (st->st_size + 511) / 512;
  }
}

int do_getattr(const char* path, struct stat* st, fuse_file_info* fi) {
  const int rc = fi ? ::fstat(node_of(fi)->fd, st) : ::lstat(real(path).c_str(), st);
  if (rc != 0) return -errno;
  show_overlay(st);
  return 0;
}

int do_open(const char* path, fuse_file_info* fi, mode_t mode, bool create) {
  const int flags = create ? (fi->flags | O_CREAT) : (fi->flags & ~O_CREAT);
  auto node = fs().nodes.open(real(path), flags, mode);
  if (!node) return -errno;
  fi->fh = reinterpret_cast<uint64_t>(new std::shared_ptr<Node>(std::move(node)));
  return 0;
}

int op_open(const char* path, fuse_file_info* fi) { return do_open(path, fi, 0, false); }
int op_create(const char* path, mode_t mode, fuse_file_info* fi) {
  return do_open(path, fi, mode, true);
}

int op_release(const char*, fuse_file_info* fi) {
  auto* handle = &node_of(fi);
  fs().nodes.release(*handle);
  delete handle;
  return 0;
}

int op_read(const char*, char* buf, size_t size, off_t offset, fuse_file_info* fi) {
  Node& node = *node_of(fi);
  int error = 0;
  auto durable = [&](uint64_t at, char* out, size_t length) -> size_t {
    size_t done = 0;
    while (done < length) {
      const ssize_t n = ::pread(node.fd, out + done, length - done, at + done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) error = errno;
      if (n <= 0) break;
      done += n;
    }
    return done;
  };
  std::lock_guard lock(node.mutex);
  const size_t n = node.overlay.read(offset, buf, size, durable);
  return error ? -error : static_cast<int>(n);
}

int op_write(const char*, const char* buf, size_t size, off_t offset, fuse_file_info* fi) {
  const int rc = fs().nodes.write(*node_of(fi), offset, std::string_view(buf, size));
  return rc < 0 ? rc : static_cast<int>(size);
}

int op_truncate(const char* path, off_t size, fuse_file_info* fi) {
  if (fi) return fs().nodes.truncate(*node_of(fi), size);
  auto node = fs().nodes.open(real(path), O_RDWR, 0);
  if (!node) return -errno;
  const int rc = fs().nodes.truncate(*node, size);
  fs().nodes.release(node);
  return rc;
}

int op_fsync(const char*, int, fuse_file_info* fi) {
  Node& node = *node_of(fi);
  const int rc = fs().nodes.flush(node);
  if (rc != 0 || !fs().sync_backing) return rc;
  return ::fdatasync(node.fd) == 0 ? 0 : -errno;
}
int op_flush(const char*, fuse_file_info*) { return 0; }
// Names are durable as soon as they change (see docs/power-loss.md).
int op_fsyncdir(const char*, int, fuse_file_info*) { return 0; }

// The inode that loses its last name with this change, or 0.
ino_t last_name(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) return 0;
  return st.st_ino;
}

int op_unlink(const char* path) {
  const std::string p = real(path);
  const ino_t gone = last_name(p);
  if (::unlink(p.c_str()) != 0) return -errno;
  if (gone) fs().nodes.unlinked(gone);
  return 0;
}

int op_rename(const char* from, const char* to, unsigned int flags) {
  const std::string target = real(to);
  const ino_t gone = (flags & RENAME_EXCHANGE) ? 0 : last_name(target);
  if (::renameat2(AT_FDCWD, real(from).c_str(), AT_FDCWD, target.c_str(), flags) != 0)
    return -errno;
  if (gone) fs().nodes.unlinked(gone);
  return 0;
}

int op_mkdir(const char* path, mode_t mode) { return result(::mkdir(real(path).c_str(), mode)); }
int op_rmdir(const char* path) { return result(::rmdir(real(path).c_str())); }
int op_link(const char* from, const char* to) {
  return result(::link(real(from).c_str(), real(to).c_str()));
}
int op_symlink(const char* target, const char* path) {
  return result(::symlink(target, real(path).c_str()));
}
int op_readlink(const char* path, char* buf, size_t size) {
  const ssize_t n = ::readlink(real(path).c_str(), buf, size - 1);
  if (n < 0) return -errno;
  buf[n] = '\0';
  return 0;
}
int op_access(const char* path, int mask) { return result(::access(real(path).c_str(), mask)); }
int op_chmod(const char* path, mode_t mode, fuse_file_info* fi) {
  return result(fi ? ::fchmod(node_of(fi)->fd, mode) : ::chmod(real(path).c_str(), mode));
}
int op_chown(const char* path, uid_t uid, gid_t gid, fuse_file_info* fi) {
  return result(fi ? ::fchown(node_of(fi)->fd, uid, gid) : ::lchown(real(path).c_str(), uid, gid));
}
int op_utimens(const char* path, const struct timespec tv[2], fuse_file_info* fi) {
  return result(fi ? ::futimens(node_of(fi)->fd, tv)
                   : ::utimensat(AT_FDCWD, real(path).c_str(), tv, AT_SYMLINK_NOFOLLOW));
}
int op_statfs(const char* path, struct statvfs* st) {
  return result(::statvfs(real(path).c_str(), st));
}

int op_opendir(const char* path, fuse_file_info* fi) {
  DIR* dir = ::opendir(real(path).c_str());
  if (!dir) return -errno;
  fi->fh = reinterpret_cast<uint64_t>(dir);
  return 0;
}

int op_readdir(const char*, void* buf, fuse_fill_dir_t fill, off_t, fuse_file_info* fi,
               fuse_readdir_flags) {
  DIR* dir = reinterpret_cast<DIR*>(fi->fh);
  ::rewinddir(dir);
  while (dirent* e = ::readdir(dir)) {
    struct stat st {};
    st.st_ino = e->d_ino;
    st.st_mode = static_cast<mode_t>(DTTOIF(e->d_type));
    if (fill(buf, e->d_name, &st, 0, static_cast<fuse_fill_dir_flags>(0)) != 0) break;
  }
  return 0;
}

int op_releasedir(const char*, fuse_file_info* fi) {
  ::closedir(reinterpret_cast<DIR*>(fi->fh));
  return 0;
}

void* op_init(fuse_conn_info*, fuse_config* cfg) {
  // Sizes change in the overlay only: the kernel must ask, not remember.
  cfg->attr_timeout = 0;
  cfg->entry_timeout = 0;
  cfg->negative_timeout = 0;
  cfg->use_ino = 1;
  // An unlinked open file stays reachable through its handle, without the
  // .fuse_hidden renames that would show up in Kafka's log directories.
  cfg->hard_remove = 1;
  cfg->nullpath_ok = 1;
  return fuse_get_context()->private_data;
}

// A clean unmount (SIGTERM, fusermount3 -u) is a clean shutdown: everything
// is written back. Only a killed daemon loses what it holds.
void op_destroy(void* data) {
  static_cast<FileSystem*>(data)->nodes.write_back_older_than(std::chrono::milliseconds(0));
}

}  // namespace

fuse_operations operations() {
  fuse_operations ops{};
  ops.init = op_init;
  ops.destroy = op_destroy;
  ops.getattr = do_getattr;
  ops.open = op_open;
  ops.create = op_create;
  ops.release = op_release;
  ops.read = op_read;
  ops.write = op_write;
  ops.truncate = op_truncate;
  ops.fsync = op_fsync;
  ops.flush = op_flush;
  ops.fsyncdir = op_fsyncdir;
  ops.unlink = op_unlink;
  ops.rename = op_rename;
  ops.mkdir = op_mkdir;
  ops.rmdir = op_rmdir;
  ops.link = op_link;
  ops.symlink = op_symlink;
  ops.readlink = op_readlink;
  ops.access = op_access;
  ops.chmod = op_chmod;
  ops.chown = op_chown;
  ops.utimens = op_utimens;
  ops.statfs = op_statfs;
  ops.opendir = op_opendir;
  ops.readdir = op_readdir;
  ops.releasedir = op_releasedir;
  return ops;
}

}  // namespace kchaos::pagefs
