#pragma once
// The container image a dockerized cluster runs: Java on the PATH and a Kafka
// version's broker jars in /opt/kafka/libs, the layout of the official
// apache/kafka images, which kchaos relies on and nothing more. A machine
// without a registry builds it from Debian packages and the cached jars.

#include <iosfwd>
#include <string>

namespace kchaos::cluster {

/// The image kchaos builds for a Kafka version: kchaos/kafka:<version>.
std::string local_image(const std::string& kafka_version);
/// The base every local image starts from: Debian with a headless JRE 17.
constexpr const char* kBaseImage = "kchaos/jre:17";

bool image_exists(const std::string& image);
/// The Kafka version an image kchaos built holds ("" for any other image).
std::string image_kafka_version(const std::string& image);
/// The class-data archive of its JVM an image kchaos built holds, a path
/// inside it ("" for any other image, and for one built before archives).
std::string image_class_archive(const std::string& image);

/// Builds local_image(kafka_version) unless it exists (or always, with
/// force): the base image from `debootstrap --variant=minbase` with
/// openjdk-17-jre-headless, imported once, then the version's jars copied in
/// and committed. Progress goes to out. Throws UserError for what the user
/// can fix (no Docker, no debootstrap), HarnessError when a step fails.
void build_image(const std::string& kafka_version, bool force, std::ostream& out);

}  // namespace kchaos::cluster
