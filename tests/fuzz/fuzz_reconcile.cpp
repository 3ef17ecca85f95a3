// libFuzzer target: any bytes as the journals of one configuration. The
// input is four journals, each after its length in two little-endian bytes:
// producer-1, audit, consumer-1, events. reconcile() must never crash, leak
// or allocate without bound, and damage must never throw.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kchaos/reports/JournalDump.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/Reconcile.h"
#include "kchaos/reports/Render.h"

namespace {

namespace fs = std::filesystem;

const fs::path& work_dir() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / ("kchaos-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* kFiles[] = {"producer-1.journal", "audit.journal", "consumer-1.journal",
                                 "events.journal"};
  const fs::path& dir = work_dir();
  for (const char* name : kFiles) fs::remove(dir / name);
  size_t at = 0;
  for (int i = 0; i < 4 && at < size; ++i) {
    size_t n = size - at;
    if (i < 3) {
      if (size - at < 2) break;
      n = std::min<size_t>(data[at] | (data[at + 1] << 8), size - at - 2);
      at += 2;
    }
    std::ofstream(dir / kFiles[i], std::ios::binary)
        .write(reinterpret_cast<const char*>(data + at), static_cast<std::streamsize>(n));
    at += n;
  }
  kchaos::reports::ConfigurationResult r;
  r.name = "fuzz";
  r.verdict = kchaos::reports::reconcile(kchaos::reports::ConfigurationFiles::in_directory(dir), 3);
  r.expect["lost"] = kchaos::reports::parse_limit(0);
  kchaos::reports::evaluate(r);
  kchaos::reports::Report report;
  report.scenario = "fuzz";
  report.configurations.push_back(r);
  std::ostringstream sink;
  sink << kchaos::reports::to_json(report).dump() << kchaos::reports::to_markdown(report)
       << kchaos::reports::to_junit(report) << kchaos::reports::summary_table(report);
  for (const char* name : kFiles) {
    if (!fs::exists(dir / name)) continue;
    try {
      kchaos::reports::dump_journal(dir / name, sink);
    } catch (const std::exception&) {
      // A file that is no journal: journal dump says so (exit 2).
    }
  }
  return 0;
}
