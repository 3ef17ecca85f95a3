#pragma once
// Template definitions for Journal.h.

#include <fcntl.h>

#include <cerrno>

namespace kchaos::journal {

namespace detail {
void write_all(int fd, const char* data, size_t size, const std::string& what);
int open_journal(const std::filesystem::path& path, const Header& header);
void check_header(const Header& h, Kind kind, uint32_t record_size,
                  const std::filesystem::path& path);
}  // namespace detail

template <typename R>
Writer<R>::Writer(const std::filesystem::path& path, uint64_t run_id, uint32_t writer_id) {
  Header h{};
  std::memcpy(h.magic, kMagic, 4);
  h.version = kVersion;
  h.kind = static_cast<uint32_t>(kind_of<R>());
  h.record_size = sizeof(R);
  h.run_id = run_id;
  h.writer_id = writer_id;
  fd_ = detail::open_journal(path, h);
  buffer_.reserve(kFlushBytes + sizeof(R));
}

template <typename R>
Writer<R>::~Writer() {
  try {
    flush();
  } catch (...) {
  }
  if (fd_ >= 0) ::close(fd_);
}

template <typename R>
void Writer<R>::flush() {
  if (buffer_.empty()) return;
  detail::write_all(fd_, buffer_.data(), buffer_.size(), "journal");
  buffer_.clear();
}

template <typename R>
void Writer<R>::sync() {
  flush();
  ::fsync(fd_);
}

template <typename R>
ReadSummary read(const std::filesystem::path& path,
                 const std::function<void(const R&)>& on_record) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw JournalError("cannot open journal " + path.string() + ": " + std::strerror(errno));
  ReadSummary s;
  std::vector<char> buf(sizeof(R) * 16384);
  size_t have = 0;
  bool header_done = false;
  while (true) {
    ssize_t n = ::read(fd, buf.data() + have, buf.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      throw JournalError("cannot read journal " + path.string() + ": " + std::strerror(errno));
    }
    have += static_cast<size_t>(n);
    size_t pos = 0;
    if (!header_done) {
      if (have < sizeof(Header)) {
        if (n == 0) {
          ::close(fd);
          throw JournalError(path.string() + " is not a kchaos journal (shorter than its header)");
        }
        continue;
      }
      std::memcpy(&s.header, buf.data(), sizeof(Header));
      try {
        detail::check_header(s.header, kind_of<R>(), sizeof(R), path);
      } catch (...) {
        ::close(fd);
        throw;
      }
      header_done = true;
      pos = sizeof(Header);
    }
    R r;
    while (have - pos >= sizeof(R)) {
      std::memcpy(&r, buf.data() + pos, sizeof(R));
      pos += sizeof(R);
      if (verify(r)) {
        ++s.records;
        on_record(r);
      } else {
        ++s.bad_records;
      }
    }
    std::memmove(buf.data(), buf.data() + pos, have - pos);
    have -= pos;
    if (n == 0) break;
  }
  ::close(fd);
  s.torn_tail = have > 0;
  return s;
}

}  // namespace kchaos::journal
