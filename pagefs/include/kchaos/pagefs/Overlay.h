#pragma once
// What a page cache holds for one file: the bytes written since the file was
// last made durable, kept in memory over the durable (backing) file. A read
// sees the overlay; power loss drops it; fsync writes it through. The overlay
// knows nothing of FUSE or of file descriptors, so it is tested on its own.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kchaos::pagefs {

using Clock = std::chrono::steady_clock;

/// What makes the backing file equal to the overlay's view: cut it to `cut`
/// bytes (what survives of its old content), set its size to `size`, then
/// write `extents` (offset, bytes).
struct Flush {
  uint64_t cut = 0;
  uint64_t size = 0;
  std::vector<std::pair<uint64_t, std::string>> extents;
};

class Overlay {
 public:
  /// `durable_size` is the backing file's size when the overlay starts.
  explicit Overlay(uint64_t durable_size);

  void write(uint64_t offset, std::string_view data, Clock::time_point now);
  void truncate(uint64_t size, Clock::time_point now);

  /// Fills `out` with up to `length` bytes of the file's current view from
  /// `offset`; `read_durable(offset, buffer, length)` reads the backing file
  /// and returns how many bytes it read. Returns how many bytes were filled.
  size_t read(uint64_t offset, char* out, size_t length,
              const std::function<size_t(uint64_t, char*, size_t)>& read_durable) const;

  /// The view's size, which is the file's size as readers see it.
  uint64_t size() const { return size_; }
  bool dirty() const { return dirty_; }
  /// Bytes held in memory that the backing file does not have.
  uint64_t dirty_bytes() const { return dirty_bytes_; }
  /// When the oldest change not yet durable was made (meaningless if clean).
  Clock::time_point dirty_since() const { return dirty_since_; }

  /// Hands over what makes the backing file equal to the view and becomes
  /// clean, as if the backing file now held it.
  Flush take();

 private:
  void mark_dirty(Clock::time_point now);

  uint64_t durable_size_;  // the backing file's size
  uint64_t visible_;       // backing bytes at or past this were truncated away
  uint64_t size_;
  std::map<uint64_t, std::string> extents_;  // disjoint, not touching
  uint64_t dirty_bytes_ = 0;
  bool dirty_ = false;
  Clock::time_point dirty_since_{};
};

}  // namespace kchaos::pagefs
