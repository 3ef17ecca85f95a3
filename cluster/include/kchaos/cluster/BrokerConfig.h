#pragma once
// A broker's server.properties: the defaults file, then settings sized to the
// cluster, then the scenario's overrides, then the keys the backend owns.

#include <filesystem>
#include <map>
#include <string>

namespace kchaos::cluster {

using Properties = std::map<std::string, std::string>;

/// Reads a Java properties file (key=value lines, # and ! comments).
Properties read_properties(const std::filesystem::path& file);

void write_properties(const std::filesystem::path& file, const Properties& props);

/// Merges the layers; an override of a key the backend owns (node.id,
/// listeners, log.dirs, ...) is a UserError naming the key.
Properties broker_properties(const std::filesystem::path& defaults_file, const Properties& sized,
                             const Properties& overrides, const Properties& structural);

}  // namespace kchaos::cluster
