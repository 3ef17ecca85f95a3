#include "Reader.h"

#include <algorithm>
#include <sstream>

#include "kchaos/common/Error.h"

namespace kchaos::scenario::detail {

const std::set<std::string> kTopLevel = {"name",     "description", "cluster", "topic",
                                         "producer", "consumer",    "faults",  "timings",
                                         "expect",   "expect_when", "matrix"};
const std::set<std::string> kClusterFields = {
    "brokers", "kafka_version", "heap_mb", "broker_config", "pagefs", "backend", "image",
    "bootstrap", "drivers", "nodes", "allow_destructive"};
const std::set<std::string> kTopicFields = {"name", "partitions", "replication_factor", "config"};
namespace {

// A section's fields: the spec's fields a scenario may set, and extra.
template <typename Spec, typename Fields>
std::set<std::string> section_fields(Fields fields, std::set<std::string> extra) {
  Spec spec;
  fields(spec, [&](const protocol::Field& f, const auto&) {
    if (f.in_scenario) extra.insert(f.name);
  });
  return extra;
}

}  // namespace

const std::set<std::string> kProducerFields = section_fields<protocol::ProducerSpec>(
    [](auto& s, auto&& v) { protocol::producer_fields(s, v); }, {"workers"});
const std::set<std::string> kConsumerFields = section_fields<protocol::ConsumerSpec>(
    [](auto& s, auto&& v) { protocol::consumer_fields(s, v); }, {});
const std::set<std::string> kTimingFields = {"warmup_s", "faults_s", "recovery_timeout_s",
                                             "drain_timeout_s", "max_lateness_s"};

namespace {

std::string seconds(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

std::string code(const std::string& v) { return "`" + v + "`"; }

}  // namespace

void Reader::note(FieldDoc field) const {
  if (record_ == nullptr) return;
  for (const auto& f : *record_) {
    if (f.path == field.path) return;
  }
  record_->push_back(std::move(field));
}

void Reader::fail(const std::string& path, const std::string& what) const {
  throw UserError(file_ + ": " + path, what + context_);
}

void Reader::object(const Json& j, const std::string& path,
                    const std::set<std::string>& allowed) const {
  if (!j.is_object()) fail(path, "expected an object, got " + std::string(j.type_name()));
  for (const auto& [key, value] : j.items()) {
    if (allowed.count(key) == 0) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail(key_path(path, key), "unknown field; allowed here: " + list);
    }
  }
}

long long Reader::integer(const Json& j, const std::string& key, const std::string& path,
                          long long fallback, long long min, long long max) const {
  note({path + "." + key, "whole number", code(std::to_string(fallback)),
        std::to_string(min) + " to " + std::to_string(max)});
  if (!j.contains(key)) return fallback;
  const Json& v = j.at(key);
  if (!v.is_number_integer()) {
    fail(path + "." + key, "expected a whole number from " + std::to_string(min) + " to " +
                               std::to_string(max) + ", got " + shown(v));
  }
  long long n = v.get<long long>();
  if (n < min || n > max) {
    fail(path + "." + key, "must be from " + std::to_string(min) + " to " + std::to_string(max) +
                               ", got " + std::to_string(n));
  }
  return n;
}

double Reader::number(const Json& j, const std::string& key, const std::string& path,
                      double fallback, double min, double max) const {
  note({path + "." + key, "seconds", code(seconds(fallback)),
        seconds(min) + " to " + seconds(max)});
  if (!j.contains(key)) return fallback;
  const Json& v = j.at(key);
  if (!v.is_number()) fail(path + "." + key, "expected a number of seconds, got " + shown(v));
  double n = v.get<double>();
  if (n < min || n > max) {
    std::ostringstream s;
    s << "must be from " << min << " to " << max << ", got " << n;
    fail(path + "." + key, s.str());
  }
  return n;
}

std::string Reader::string(const Json& j, const std::string& key, const std::string& path,
                           const std::string& fallback) const {
  note({path + "." + key, "string", fallback.empty() ? "none" : code(shown(Json(fallback))),
        "not empty"});
  if (!j.contains(key)) return fallback;
  const Json& v = j.at(key);
  if (!v.is_string() || v.get<std::string>().empty()) {
    fail(path + "." + key, "expected a non-empty string, got " + shown(v));
  }
  return v.get<std::string>();
}

bool Reader::boolean(const Json& j, const std::string& key, const std::string& path,
                     bool fallback) const {
  note({path + "." + key, "boolean", code(fallback ? "true" : "false"), "`true`, `false`"});
  if (!j.contains(key)) return fallback;
  const Json& v = j.at(key);
  if (!v.is_boolean()) fail(path + "." + key, "expected true or false, got " + shown(v));
  return v.get<bool>();
}

Properties Reader::properties(const Json& j, const std::string& key,
                              const std::string& path) const {
  note({path + "." + key, "settings", "none",
        "an object of KEY: value (strings, numbers, booleans)"});
  Properties out;
  if (!j.contains(key)) return out;
  const Json& v = j.at(key);
  if (!v.is_object()) fail(path + "." + key, "expected an object of settings, got " + shown(v));
  for (const auto& [k, value] : v.items()) {
    // Settings are strings to Kafka; numbers and booleans are accepted as such.
    if (value.is_string()) {
      out[k] = value.get<std::string>();
    } else if (value.is_boolean()) {
      out[k] = value.get<bool>() ? "true" : "false";
    } else if (value.is_number_integer()) {
      out[k] = std::to_string(value.get<long long>());
    } else if (value.is_number()) {
      out[k] = value.dump();
    } else {
      fail(key_path(path + "." + key, k),
           "expected a string, number or boolean, got " + shown(value));
    }
  }
  return out;
}

std::string Reader::choice(const Json& j, const std::string& key, const std::string& path,
                           const std::string& fallback,
                           const std::vector<std::string>& values) const {
  std::string list;
  for (const auto& v : values) list += (list.empty() ? "" : ", ") + code(shown(Json(v)));
  note({path + "." + key, "string", code(shown(Json(fallback))), list});
  const std::string got = string(j, key, path, fallback);
  if (std::find(values.begin(), values.end(), got) == values.end()) {
    std::string plain;
    for (const auto& v : values) plain += (plain.empty() ? "" : ", ") + shown(Json(v));
    fail(path + "." + key, "expected one of " + plain + ", got " + shown(Json(got)));
  }
  return got;
}

}  // namespace kchaos::scenario::detail
