#include "ConfigFile.h"

#include <map>
#include <string>

#include "kchaos/reports/Limit.h"
#include "kchaos/reports/Reconcile.h"

namespace kchaos::run::detail {
namespace {

// Settings as strings, as Kafka reads them (numbers and booleans written as
// such in the scenario included).
std::map<std::string, std::string> settings(const Json& j) {
  std::map<std::string, std::string> out;
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items()) {
    out[k] = v.is_string()    ? v.get<std::string>()
             : v.is_boolean() ? (v.get<bool>() ? "true" : "false")
                              : v.dump();
  }
  return out;
}

}  // namespace

reports::Retention retention_of(const reports::ConfigInfo& config) {
  const Json& c = config.configuration;
  const Json producer = object_at(c, "producer");
  const Json bytes = producer.value("message_bytes", Json(100));
  return reports::effective_retention(settings(object_at(object_at(c, "topic"), "config")),
                                      settings(object_at(object_at(c, "cluster"), "broker_config")),
                                      bytes.is_number_integer() ? bytes.get<int64_t>() : 100);
}

reports::ConfigurationResult result_from_config(const reports::ConfigInfo& config) {
  reports::ConfigurationResult r;
  r.name = config.name;
  r.parameters = config.parameters;
  r.expect = config.expect;
  r.max_lateness_s = config.max_lateness_s;
  return r;
}

reports::Verdict verdict_of(const std::filesystem::path& dir, const reports::ConfigInfo& config) {
  return reports::reconcile(reports::ConfigurationFiles::in_directory(dir), kExamplesPerAnomaly,
                            retention_of(config));
}

}  // namespace kchaos::run::detail
