#pragma once
// Append-only journal files of fixed-size records (see Records.h).

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "kchaos/common/Error.h"
#include "kchaos/journal/Crc32c.h"
#include "kchaos/journal/Records.h"

namespace kchaos::journal {

/// A journal that cannot be read: wrong magic, version or kind. The harness
/// cannot vouch for what it holds (exit 3), unless a caller knows better
/// (`kchaos journal dump` of a file the user named).
class JournalError : public HarnessError {
 public:
  using HarnessError::HarnessError;
};

/// Sets the record's crc field over every byte before it.
template <typename R>
void seal(R& r) {
  r.crc = crc32c(&r, offsetof(R, crc));
}

template <typename R>
bool verify(const R& r) {
  return r.crc == crc32c(&r, offsetof(R, crc));
}

/// Appends records. append() buffers; flush() hands the buffer to the kernel
/// with one write(), after which a SIGKILL of the writer cannot lose it.
template <typename R>
class Writer {
 public:
  Writer(const std::filesystem::path& path, uint64_t run_id, uint32_t writer_id);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void append(R record) {
    seal(record);
    const auto* p = reinterpret_cast<const char*>(&record);
    buffer_.insert(buffer_.end(), p, p + sizeof(R));
    if (buffer_.size() >= kFlushBytes) flush();
  }
  /// append() and flush() at once.
  void write(const R& record) {
    append(record);
    flush();
  }
  void flush();
  /// fsync: for the end of a run, not for every record.
  void sync();

 private:
  static constexpr size_t kFlushBytes = 1 << 16;
  int fd_ = -1;
  std::vector<char> buffer_;
};

struct ReadSummary {
  Header header{};
  uint64_t records = 0;
  /// The file ended in part of a record (a writer killed mid-write).
  bool torn_tail = false;
  /// Whole records whose CRC did not match (dropped, never misread).
  uint64_t bad_records = 0;
};

/// Calls on_record for every intact record in path; throws JournalError when
/// the file is not a journal of this kind and version.
template <typename R>
ReadSummary read(const std::filesystem::path& path, const std::function<void(const R&)>& on_record);

/// Reads just the header; throws JournalError.
Header read_header(const std::filesystem::path& path);

}  // namespace kchaos::journal

#include "kchaos/journal/Journal-inl.h"
