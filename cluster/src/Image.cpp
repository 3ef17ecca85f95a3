#include "kchaos/cluster/Image.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

#include "kchaos/cluster/Docker.h"
#include "kchaos/catalog/Catalog.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/sys/Process.h"
#include "kchaos/sys/Wait.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;

constexpr const char* kVersionLabelFormat = "{{index .Config.Labels \"org.kchaos.kafka-version\"}}";
constexpr const char* kArchiveLabel = "org.kchaos.class-archive";
// Where kchaos image build puts the class-data archive of the image's JVM.
constexpr const char* kArchivePath = "/opt/kafka/classes.jsa";

// Debian's mirror (KCHAOS_DEBIAN_MIRROR overrides it, e.g. for a local one).
std::string debian_mirror() {
  const char* m = std::getenv("KCHAOS_DEBIAN_MIRROR");
  return m && *m ? m : "http://deb.debian.org/debian";
}

// `docker image inspect -f format image`, trimmed; nullopt when there is no
// such image.
std::optional<std::string> inspect(const std::string& image, const std::string& format) {
  CommandResult r = run_command({docker_executable(), "image", "inspect", "-f", format, image},
                                std::chrono::seconds(20));
  if (r.exit_code != 0) return std::nullopt;
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == ' ')) r.out.pop_back();
  return r.out;
}

// Debian with a headless JRE, imported as one layer. Docs, man pages and the
// downloaded packages are left out of the image (about a fifth of its size).
void build_base(const fs::path& work, std::ostream& out) {
  if (!in_path("debootstrap")) {
    throw UserError("building " + std::string(kBaseImage) +
                    " needs debootstrap: apt-get install debootstrap (scripts/setup.sh does)");
  }
  const auto started = std::chrono::steady_clock::now();
  const fs::path root = work / "rootfs";
  out << "image: debootstrap Debian bookworm with openjdk-17-jre-headless from " << debian_mirror()
      << " (about a minute)" << std::endl;
  CommandResult r =
      run_command({"debootstrap", "--variant=minbase", "--include=openjdk-17-jre-headless",
                   "bookworm", root.string(), debian_mirror()},
                  minutes(15));
  if (r.exit_code != 0) {
    throw HarnessError("debootstrap failed (exit " + std::to_string(r.exit_code) + "):\n" +
                       r.out.substr(r.out.size() > 2000 ? r.out.size() - 2000 : 0) + r.err);
  }
  for (const char* dir :
       {"var/cache/apt/archives", "usr/share/doc", "usr/share/man", "var/lib/apt/lists"}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root / dir, ec)) fs::remove_all(e.path(), ec);
  }
  if (!fs::exists(root / "usr/bin/java")) {
    throw HarnessError("debootstrap finished but " + (root / "usr/bin/java").string() +
                       " is missing: the JRE did not install");
  }
  const fs::path tar = work / "rootfs.tar";
  run_checked({"tar", "-C", root.string(), "-cf", tar.string(), "."}, minutes(5));
  fs::remove_all(root);
  run_checked({docker_executable(), "import", "--change",
               "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "--change",
               "CMD [\"java\", \"-version\"]", tar.string(), kBaseImage},
              minutes(10));
  fs::remove(tar);
  out << "image: " << kBaseImage << " imported in " << static_cast<int>(seconds_since(started))
      << " s" << std::endl;
}

}  // namespace

std::string local_image(const std::string& kafka_version) {
  return "kchaos/kafka:" + kafka_version;
}

bool image_exists(const std::string& image) { return inspect(image, "{{.Id}}").has_value(); }

namespace {
std::string label(const std::string& image, const std::string& name) {
  const std::string v =
      inspect(image, "{{index .Config.Labels \"" + name + "\"}}").value_or("");
  return v == "<no value>" ? "" : v;  // how docker prints a missing label
}
}  // namespace

std::string image_kafka_version(const std::string& image) {
  return label(image, "org.kchaos.kafka-version");
}

std::string image_class_archive(const std::string& image) { return label(image, kArchiveLabel); }

void build_image(const std::string& kafka_version, bool force, std::ostream& out) {
  check_docker();
  const std::string image = local_image(kafka_version);
  // Ours and of this version: a tag alone could name anything. One made
  // before images carried a class-data archive is made again.
  if (!force && inspect(image, kVersionLabelFormat) == kafka_version) {
    if (!image_class_archive(image).empty()) {
      out << "image: " << image << " exists (--force builds it again)" << std::endl;
      return;
    }
    out << "image: " << image << " has no class-data archive: building it again" << std::endl;
  }
  const fs::path libs = kafka_libs(kafka_version);
  const auto previous = inspect(image, "{{.Id}}");
  const fs::path work = catalog::kafka_cache() / ("image-build-" + kafka_version);
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work);
  const std::string docker = docker_executable();
  const std::string container = "kchaos-image-build-" + kafka_version;
  run_command({docker, "rm", "-f", container}, std::chrono::seconds(30));  // a crashed build's
  try {
    if (force || !image_exists(kBaseImage)) build_base(work, out);
    const auto started = std::chrono::steady_clock::now();
    run_checked({docker, "run", "--name", container, "--network", "none", kBaseImage, "mkdir", "-p",
                 "/opt/kafka"},
                minutes(1));
    run_checked({docker, "cp", libs.string(), container + ":/opt/kafka/libs"}, minutes(5));
    run_checked({docker, "cp", (kchaos_home() / "scripts" / "class-archive.sh").string(),
                 container + ":/opt/kafka/class-archive.sh"},
                minutes(1));
    const std::vector<std::string> change = {
        "--change", "LABEL org.kchaos.kafka-version=" + kafka_version, "--change",
        "WORKDIR /opt/kafka", "--change", "CMD [\"java\", \"-version\"]"};
    auto commit = [&](std::vector<std::string> extra) {
      std::vector<std::string> argv = {docker, "commit"};
      argv.insert(argv.end(), change.begin(), change.end());
      argv.insert(argv.end(), extra.begin(), extra.end());
      argv.insert(argv.end(), {container, image});
      run_checked(argv, minutes(5));
      run_command({docker, "rm", "-f", container}, std::chrono::seconds(30));
    };
    commit({});
    // The class-data archive of the image's own JVM and jars, made by one
    // node run inside it (alone on no network), as local brokers map theirs.
    run_checked({docker, "run", "--name", container, "--network", "none", "-e",
                 "KCHAOS_ALONE_ON_NETWORK=1", image, "bash", "/opt/kafka/class-archive.sh", "java",
                 "/opt/kafka/libs", kArchivePath},
                minutes(3));
    commit({"--change", std::string("LABEL ") + kArchiveLabel + "=" + kArchivePath});
    // The image this one replaces, when nothing names it any more; one still
    // tagged otherwise stays (and one a container uses cannot go).
    if (previous && previous != inspect(image, "{{.Id}}") &&
        inspect(*previous, "{{len .RepoTags}}") == "0") {
      run_command({docker, "image", "rm", *previous}, std::chrono::seconds(60));
    }
    out << "image: " << image << " built in " << static_cast<int>(seconds_since(started))
        << " s (Kafka " << kafka_version << " jars in /opt/kafka/libs, their class-data archive "
        << kArchivePath << ")" << std::endl;
  } catch (...) {
    run_command({docker, "rm", "-f", container}, std::chrono::seconds(30));
    fs::remove_all(work, ec);
    throw;
  }
  fs::remove_all(work, ec);
}

}  // namespace kchaos::cluster
