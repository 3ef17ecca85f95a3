#include "kchaos/pagefs/Overlay.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace kchaos::pagefs {

Overlay::Overlay(uint64_t durable_size)
    : durable_size_(durable_size), visible_(durable_size), size_(durable_size) {}

void Overlay::mark_dirty(Clock::time_point now) {
  if (!dirty_) dirty_since_ = now;
  dirty_ = true;
}

void Overlay::write(uint64_t offset, std::string_view data, Clock::time_point now) {
  if (data.empty()) return;
  mark_dirty(now);
  const uint64_t end = offset + data.size();
  // The extent that starts at or before `offset` and reaches it grows in
  // place, so appends cost what they write.
  auto it = extents_.upper_bound(offset);
  if (it != extents_.begin() && std::prev(it)->first + std::prev(it)->second.size() >= offset) {
    --it;
  } else {
    it = extents_.emplace_hint(it, offset, std::string());
  }
  std::string& bytes = it->second;
  dirty_bytes_ -= bytes.size();
  const uint64_t at = offset - it->first;
  if (bytes.size() < at + data.size()) bytes.resize(at + data.size());
  std::memcpy(bytes.data() + at, data.data(), data.size());
  // Later extents that the write reaches or touches fold into this one.
  for (auto next = std::next(it);
       next != extents_.end() && next->first <= it->first + bytes.size();) {
    const uint64_t reach = it->first + bytes.size();
    if (next->first + next->second.size() > reach) {
      bytes.append(next->second, reach - next->first, std::string::npos);
    }
    dirty_bytes_ -= next->second.size();
    next = extents_.erase(next);
  }
  dirty_bytes_ += bytes.size();
  size_ = std::max(size_, end);
}

void Overlay::truncate(uint64_t size, Clock::time_point now) {
  if (size == size_) return;
  mark_dirty(now);
  if (size < size_) {
    visible_ = std::min(visible_, size);
    for (auto it = extents_.lower_bound(size); it != extents_.end();) {
      dirty_bytes_ -= it->second.size();
      it = extents_.erase(it);
    }
    if (!extents_.empty()) {
      auto& [start, bytes] = *extents_.rbegin();
      if (start + bytes.size() > size) {
        dirty_bytes_ -= bytes.size() - (size - start);
        bytes.resize(size - start);
      }
    }
  }
  size_ = size;
}

size_t Overlay::read(uint64_t offset, char* out, size_t length,
                     const std::function<size_t(uint64_t, char*, size_t)>& read_durable) const {
  if (offset >= size_) return 0;
  const size_t n = static_cast<size_t>(std::min<uint64_t>(length, size_ - offset));
  // The durable part, then zeros where the file was extended or cut.
  const uint64_t durable_end = std::min(visible_, durable_size_);
  size_t got = 0;
  if (offset < durable_end) {
    got =
        read_durable(offset, out, static_cast<size_t>(std::min<uint64_t>(n, durable_end - offset)));
  }
  std::memset(out + got, 0, n - got);
  // Then the overlay on top.
  auto it = extents_.upper_bound(offset);
  if (it != extents_.begin()) --it;
  for (; it != extents_.end() && it->first < offset + n; ++it) {
    const uint64_t from = std::max(it->first, offset);
    const uint64_t to = std::min<uint64_t>(it->first + it->second.size(), offset + n);
    if (from < to)
      std::memcpy(out + (from - offset), it->second.data() + (from - it->first), to - from);
  }
  return n;
}

Flush Overlay::take() {
  Flush f;
  f.cut = std::min(visible_, durable_size_);
  f.size = size_;
  for (auto& [start, bytes] : extents_) f.extents.emplace_back(start, std::move(bytes));
  extents_.clear();
  durable_size_ = visible_ = size_;
  dirty_bytes_ = 0;
  dirty_ = false;
  return f;
}

}  // namespace kchaos::pagefs
