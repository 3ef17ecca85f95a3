#include "kchaos/journal/Journal.h"

#include <sys/stat.h>
#include "kchaos/common/Error.h"

namespace kchaos::journal {
namespace detail {

void write_all(int fd, const char* data, size_t size, const std::string& what) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw HarnessError("cannot write " + what + ": " + std::strerror(errno));
    data += n;
    size -= static_cast<size_t>(n);
  }
}

int open_journal(const std::filesystem::path& path, const Header& header) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw HarnessError("cannot open journal " + path.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  ::fstat(fd, &st);
  if (st.st_size == 0) {
    write_all(fd, reinterpret_cast<const char*>(&header), sizeof header, path.string());
  } else if (static_cast<size_t>(st.st_size) < sizeof(Header) ||
             (st.st_size - sizeof(Header)) % header.record_size != 0) {
    // A restarted worker appends after its predecessor's torn tail: cut the
    // partial record so every later record stays aligned.
    off_t keep = st.st_size < static_cast<off_t>(sizeof(Header))
                     ? 0
                     : st.st_size - (st.st_size - sizeof(Header)) % header.record_size;
    if (::ftruncate(fd, keep) != 0) {
      ::close(fd);
      throw HarnessError("cannot repair torn journal " + path.string());
    }
    if (keep == 0)
      write_all(fd, reinterpret_cast<const char*>(&header), sizeof header, path.string());
  }
  return fd;
}

// "a producer", "an audit", "a journal of unknown kind 9's".
std::string kind_name(uint32_t kind) {
  switch (static_cast<Kind>(kind)) {
    case Kind::producer:
      return "a producer";
    case Kind::consumer:
      return "a consumer";
    case Kind::audit:
      return "an audit";
    case Kind::events:
      return "an events";
  }
  return "a kind-" + std::to_string(kind);
}

void check_header(const Header& h, Kind kind, uint32_t record_size,
                  const std::filesystem::path& path) {
  if (std::memcmp(h.magic, kMagic, 4) != 0) {
    throw JournalError(path.string() + " is not a kchaos journal (bad magic)");
  }
  if (h.version != kVersion) {
    throw JournalError(path.string() + " is journal version " + std::to_string(h.version) +
                       "; this kchaos reads version " + std::to_string(kVersion));
  }
  if (h.kind != static_cast<uint32_t>(kind)) {
    throw JournalError(path.string() + " is " + kind_name(h.kind) + " journal, not " +
                       kind_name(static_cast<uint32_t>(kind)) + " journal");
  }
  if (h.record_size != record_size) {
    throw JournalError(path.string() + " says its records are " + std::to_string(h.record_size) +
                       " bytes; " + kind_name(h.kind) + " journal's are " +
                       std::to_string(record_size));
  }
}

}  // namespace detail

Header read_header(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw JournalError("cannot open journal " + path.string());
  Header h{};
  ssize_t n = ::read(fd, &h, sizeof h);
  ::close(fd);
  if (n != static_cast<ssize_t>(sizeof h) || std::memcmp(h.magic, kMagic, 4) != 0) {
    throw JournalError(path.string() + " is not a kchaos journal");
  }
  return h;
}

}  // namespace kchaos::journal
