#pragma once
// Internal to the scenario parser: walks a document and names the file and
// the JSON path in every error.

#include <set>
#include <string>
#include <vector>

#include "kchaos/common/Json.h"
#include "kchaos/scenario/Scenario.h"

namespace kchaos::scenario::detail {

/// One field as the parser reads it, for the reference of every field.
struct FieldDoc {
  std::string path;
  std::string type;
  std::string default_value;
  std::string allowed;
};

class Reader {
 public:
  /// context is appended to every error (" (in matrix configuration ...)").
  Reader(std::string file, std::string context)
      : file_(std::move(file)), context_(std::move(context)) {}

  /// Throws UserError "FILE: PATH: WHAT CONTEXT".
  [[noreturn]] void fail(const std::string& path, const std::string& what) const;

  /// j must be an object whose keys are all in allowed.
  void object(const Json& j, const std::string& path, const std::set<std::string>& allowed) const;

  /// j[key] as a whole number in [min, max], or fallback when absent.
  long long integer(const Json& j, const std::string& key, const std::string& path,
                    long long fallback, long long min, long long max) const;
  /// j[key] as a number of seconds in [min, max], or fallback when absent.
  double number(const Json& j, const std::string& key, const std::string& path, double fallback,
                double min, double max) const;
  /// j[key] as a non-empty string, or fallback when absent.
  std::string string(const Json& j, const std::string& key, const std::string& path,
                     const std::string& fallback) const;
  /// j[key] as true or false, or fallback when absent.
  bool boolean(const Json& j, const std::string& key, const std::string& path, bool fallback) const;
  /// j[key] as settings: strings, numbers and booleans, as Kafka reads them.
  Properties properties(const Json& j, const std::string& key, const std::string& path) const;

  /// j[key] as one of values, or fallback when absent.
  std::string choice(const Json& j, const std::string& key, const std::string& path,
                     const std::string& fallback, const std::vector<std::string>& values) const;

  const std::string& file() const { return file_; }

  /// From now on every field read is also described into out (the first
  /// description of a path wins), for field_reference().
  void record_into(std::vector<FieldDoc>* out) { record_ = out; }
  /// Describes a field whose type or bounds the accessors above do not tell.
  void note(FieldDoc field) const;

 private:
  std::string file_;
  std::string context_;
  std::vector<FieldDoc>* record_ = nullptr;
};

/// The fields each section allows (also what a matrix key may name).
extern const std::set<std::string> kTopLevel, kClusterFields, kTopicFields, kProducerFields,
    kConsumerFields, kTimingFields;

/// One configuration from a document (the matrix already applied to it).
Configuration parse_configuration(const Json& doc, const Reader& r);

/// An expect block: count name (or a sum such as "lost+divergent") -> limit.
std::map<std::string, reports::Limit> expect_block(const Json& j, const std::string& path,
                                                   const Reader& r);

/// Bounds of what a scenario may ask for.
inline constexpr size_t kMaxConfigurations = 256;
inline constexpr double kMaxTimelineFaults = 500;

/// The configuration against the cluster and topic it runs on: the Kafka
/// version, keys kchaos owns, the topic's name and min.insync.replicas, every
/// fault target, and the timeline's size.
void check_configuration(const Configuration& c, const Reader& r);

/// A scenario's name names its run directory: no "../", no slashes.
void check_scenario_name(const std::string& name, const Reader& r);

/// A PASS needs proof: a configuration may let expired, unverifiable,
/// corrupt or unconsumed be above 0 only when the description says why.
void check_loosened_defaults(const Configuration& c, const std::string& description,
                             const Reader& r);

}  // namespace kchaos::scenario::detail
