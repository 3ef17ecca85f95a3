#pragma once
// The files the filesystem holds an overlay for, by the backing file's inode,
// so that a file's unsynced bytes follow it through renames and stay readable
// through an open descriptor after an unlink. Each node keeps one descriptor
// on the backing file: a closed file with unsynced bytes can still be written
// back.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "kchaos/pagefs/Overlay.h"

namespace kchaos::pagefs {

struct Node {
  Node(int fd, ino_t ino, uint64_t size) : fd(fd), ino(ino), overlay(size) {}
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  const int fd;      // O_RDWR on the backing file
  const ino_t ino;   // the backing file's inode
  std::mutex mutex;  // guards overlay
  Overlay overlay;
  int opens = 0;  // guarded by the table's mutex
  bool unlinked = false;
};

class Nodes {
 public:
  explicit Nodes(uint64_t dirty_limit) : dirty_limit_(dirty_limit) {}

  /// Opens the backing file at `path` with `flags` (O_CREAT with `mode`
  /// creates it) and counts one more open of its node. Returns the node, or
  /// null with errno set.
  std::shared_ptr<Node> open(const std::string& path, int flags, mode_t mode);
  /// One open fewer; a node that is closed and clean (or unlinked) is dropped.
  void release(const std::shared_ptr<Node>& node);
  /// The node of a backing inode, or null.
  std::shared_ptr<Node> find(ino_t ino) const;
  /// The backing inode lost its last name: its unsynced bytes go with it.
  void unlinked(ino_t ino);

  /// Writes to a node through its overlay; past the dirty limit the node is
  /// written back, as a kernel forces writeback. Returns 0 or -errno.
  int write(Node& node, uint64_t offset, std::string_view data);
  int truncate(Node& node, uint64_t size);
  /// Makes the node's view durable in the backing file. Returns 0 or -errno.
  int flush(Node& node);
  /// Writes back every node whose oldest unsynced change is older than `age`.
  void write_back_older_than(std::chrono::milliseconds age);

 private:
  void account(int64_t delta) { dirty_ += delta; }
  void drop_if_done(ino_t ino);

  mutable std::mutex mutex_;
  std::unordered_map<ino_t, std::shared_ptr<Node>> nodes_;
  std::atomic<int64_t> dirty_{0};
  const uint64_t dirty_limit_;
};

}  // namespace kchaos::pagefs
