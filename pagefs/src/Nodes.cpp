#include "Nodes.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace kchaos::pagefs {

Node::~Node() { ::close(fd); }

std::shared_ptr<Node> Nodes::open(const std::string& path, int flags, mode_t mode) {
  // The backing file is always opened for reading and writing, never with
  // O_TRUNC (a truncation is unsynced like a write) nor O_APPEND (the
  // write-back uses pwrite at the overlay's offsets).
  const int keep = flags & (O_CREAT | O_EXCL | O_NOFOLLOW);
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | keep, mode);
  if (fd < 0) return nullptr;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    errno = e;
    return nullptr;
  }
  std::shared_ptr<Node> node;
  {
    std::lock_guard lock(mutex_);
    auto& slot = nodes_[st.st_ino];
    if (slot) {
      ::close(fd);  // the node keeps its own descriptor on the same inode
    } else {
      slot = std::make_shared<Node>(fd, st.st_ino, static_cast<uint64_t>(st.st_size));
    }
    node = slot;
    ++node->opens;
  }
  if (flags & O_TRUNC) truncate(*node, 0);
  return node;
}

void Nodes::drop_if_done(ino_t ino) {
  // Called with mutex_ held.
  auto it = nodes_.find(ino);
  if (it == nodes_.end()) return;
  Node& node = *it->second;
  if (node.opens > 0) return;
  std::lock_guard node_lock(node.mutex);
  if (node.unlinked || !node.overlay.dirty()) {
    account(-static_cast<int64_t>(node.overlay.dirty_bytes()));
    nodes_.erase(it);
  }
}

void Nodes::release(const std::shared_ptr<Node>& node) {
  std::lock_guard lock(mutex_);
  --node->opens;
  drop_if_done(node->ino);
}

std::shared_ptr<Node> Nodes::find(ino_t ino) const {
  std::lock_guard lock(mutex_);
  auto it = nodes_.find(ino);
  return it == nodes_.end() ? nullptr : it->second;
}

void Nodes::unlinked(ino_t ino) {
  std::lock_guard lock(mutex_);
  auto it = nodes_.find(ino);
  if (it == nodes_.end()) return;
  it->second->unlinked = true;
  drop_if_done(ino);
}

int Nodes::write(Node& node, uint64_t offset, std::string_view data) {
  {
    std::lock_guard lock(node.mutex);
    const auto before = static_cast<int64_t>(node.overlay.dirty_bytes());
    node.overlay.write(offset, data, Clock::now());
    account(static_cast<int64_t>(node.overlay.dirty_bytes()) - before);
  }
  if (dirty_limit_ > 0 && static_cast<uint64_t>(dirty_.load()) > dirty_limit_) return flush(node);
  return 0;
}

int Nodes::truncate(Node& node, uint64_t size) {
  std::lock_guard lock(node.mutex);
  const auto before = static_cast<int64_t>(node.overlay.dirty_bytes());
  node.overlay.truncate(size, Clock::now());
  account(static_cast<int64_t>(node.overlay.dirty_bytes()) - before);
  return 0;
}

int Nodes::flush(Node& node) {
  std::lock_guard lock(node.mutex);
  if (!node.overlay.dirty()) return 0;
  account(-static_cast<int64_t>(node.overlay.dirty_bytes()));
  const Flush f = node.overlay.take();
  struct stat st {};
  if (::fstat(node.fd, &st) != 0) return -errno;
  if (f.cut < static_cast<uint64_t>(st.st_size) && ::ftruncate(node.fd, f.cut) != 0) return -errno;
  if (::ftruncate(node.fd, f.size) != 0) return -errno;
  for (const auto& [offset, bytes] : f.extents) {
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::pwrite(node.fd, bytes.data() + done, bytes.size() - done, offset + done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return -errno;
      }
      done += n;
    }
  }
  return 0;
}

void Nodes::write_back_older_than(std::chrono::milliseconds age) {
  const auto cutoff = Clock::now() - age;
  std::vector<std::pair<ino_t, std::shared_ptr<Node>>> due;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [ino, node] : nodes_) {
      std::lock_guard node_lock(node->mutex);
      if (node->overlay.dirty() && node->overlay.dirty_since() <= cutoff)
        due.emplace_back(ino, node);
    }
  }
  for (const auto& [ino, node] : due) flush(*node);
  std::lock_guard lock(mutex_);
  for (const auto& [ino, node] : due) drop_if_done(ino);
}

}  // namespace kchaos::pagefs
