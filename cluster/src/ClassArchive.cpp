// The class-data archive that makes local Kafka JVMs start faster: made once
// per Kafka version and JVM by scripts/class-archive.sh, kept beside the jars.

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>

#include <boost/process/search_path.hpp>

#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/sys/Process.h"
#include "kchaos/sys/Wait.h"

namespace kchaos::cluster {
namespace {

namespace fs = std::filesystem;

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

// What identifies this JVM: an archive is only valid for the JVM that wrote
// it, and a JDK update replaces libjvm.so (its size and time change).
std::string jvm_key(const std::string& java) {
  std::error_code ec;
  fs::path exe = java.find('/') == std::string::npos
                     ? fs::path(boost::process::search_path(java).string())
                     : fs::path(java);
  exe = fs::canonical(exe, ec);
  if (ec) return "";
  fs::path jvm = exe.parent_path().parent_path() / "lib" / "server" / "libjvm.so";
  if (!fs::exists(jvm, ec)) jvm = exe;
  struct stat st {};
  if (::stat(jvm.c_str(), &st) != 0) return "";
  const std::string id = exe.string() + "|" + std::to_string(st.st_size) + "|" +
                         std::to_string(st.st_mtim.tv_sec) + "." +
                         std::to_string(st.st_mtim.tv_nsec);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(id)));
  return hex;
}

// Makes the archive; false (with a note) when it cannot, and then not again
// for this version and JVM: a marker file keeps the reason.
bool make_archive(const std::string& java, const std::string& version, const fs::path& archive) {
  const fs::path failed = archive.string() + ".failed";
  if (fs::exists(failed)) return false;
  const fs::path script = kchaos_home() / "scripts" / "class-archive.sh";
  if (::geteuid() != 0 || !fs::exists(script)) return false;  // needs a network namespace
  std::cerr << "preparing a class-data archive of Kafka " << version
            << " for this JVM (once; brokers start faster with it)..." << std::flush;
  const auto started = std::chrono::steady_clock::now();
  const CommandResult r =
      run_command({"bash", script.string(), java, kafka_libs(version).string(), archive.string()},
                  std::chrono::minutes(3));
  if (r.exit_code == 0 && fs::exists(archive)) {
    std::cerr << " done in " << static_cast<int>(seconds_since(started) + 0.5) << " s\n";
    // Archives of JVMs this machine no longer has.
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(archive.parent_path(), ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("classes-", 0) == 0 && e.path() != archive && e.path() != failed) {
        fs::remove(e.path(), ec);
      }
    }
    return true;
  }
  std::ofstream(failed) << (r.timed_out ? "timed out\n" : "") << r.out << r.err;
  std::cerr << " not made; brokers start without it (why: " << failed.string() << ")\n";
  return false;
}

}  // namespace

std::vector<std::string> kafka_java(const std::string& version) {
  static std::mutex mutex;
  const std::lock_guard<std::mutex> lock(mutex);
  const std::string java = java_executable();
  const std::string key = jvm_key(java);
  if (key.empty()) return {java};
  const fs::path archive = kafka_libs(version).parent_path() / ("classes-" + key + ".jsa");
  if (fs::exists(archive) || make_archive(java, version, archive)) {
    return {java, "-XX:SharedArchiveFile=" + archive.string()};
  }
  return {java};
}

}  // namespace kchaos::cluster
