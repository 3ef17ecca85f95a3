#include "kchaos/cluster/BrokerConfig.h"

#include <fstream>

#include "kchaos/common/Error.h"

namespace kchaos::cluster {
namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

Properties read_properties(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw UserError("cannot read broker defaults " + file.string());
  Properties props;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      throw UserError(file.string() + ":" + std::to_string(number) + ": expected key=value, got '" +
                      line + "'");
    }
    props[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  return props;
}

void write_properties(const std::filesystem::path& file, const Properties& props) {
  std::ofstream out(file);
  out << "# written by kchaos\n";
  for (const auto& [key, value] : props) out << key << "=" << value << "\n";
  if (!out) throw HarnessError("cannot write " + file.string());
}

Properties broker_properties(const std::filesystem::path& defaults_file, const Properties& sized,
                             const Properties& overrides, const Properties& structural) {
  Properties props = read_properties(defaults_file);
  for (const auto& [k, v] : sized) props[k] = v;
  for (const auto& [k, v] : overrides) {
    if (structural.count(k) != 0) {
      throw UserError("broker setting '" + k +
                      "' is set by kchaos itself (it places brokers and their listeners) and "
                      "cannot be overridden");
    }
    props[k] = v;
  }
  for (const auto& [k, v] : structural) props[k] = v;
  return props;
}

}  // namespace kchaos::cluster
