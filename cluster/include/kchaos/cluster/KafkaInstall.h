#pragma once
// Where a Kafka version's broker jars are, and what this machine needs for
// the local backend.

#include <filesystem>
#include <string>
#include <vector>

namespace kchaos::cluster {

/// The folder holding the repository's scripts and config (KCHAOS_HOME, or
/// the source tree the binary was built from).
std::filesystem::path kchaos_home();

/// The libs folder of a Kafka version, fetched with scripts/fetch-kafka.sh
/// when it is not in the cache yet. Throws UserError when it cannot be had.
std::filesystem::path kafka_libs(const std::string& version);

/// The java executable (JAVA_HOME/bin/java or java in PATH); throws UserError.
std::string java_executable();

/// The command that starts a JVM for a Kafka version here: java, with a
/// class-data archive of that version's classes for this JVM when there is
/// one or it can be made (scripts/class-archive.sh, once per version and JVM,
/// about 10 s; it needs root). Measured here, a 3-broker cluster is ready
/// about a third sooner with it. Without one, the JVM loads classes as usual.
std::vector<std::string> kafka_java(const std::string& version);

/// Throws UserError (exit 2) saying what is missing and what to do when this
/// machine cannot run the local backend: not root, no ip, no iptables, no java.
void check_local_prerequisites();

}  // namespace kchaos::cluster
