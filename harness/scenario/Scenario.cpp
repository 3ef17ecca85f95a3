#include "harness/scenario/Scenario.h"

#include <fstream>
#include <set>
#include <sstream>

#include "faults/Schedule.h"
#include "harness/Error.h"
#include "reports/Limit.h"
#include "reports/Verdict.h"
#include "workloads/kafka/RdKafka.h"

namespace kchaos::scenario {
namespace {

using Json = nlohmann::ordered_json;

// Walks a document, naming the file and JSON path in every error.
class Reader {
 public:
  Reader(std::string file, std::string context)
      : file_(std::move(file)), context_(std::move(context)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw UserError(file_ + ": " + path + ": " + what + context_);
  }

  void object(const Json& j, const std::string& path, const std::set<std::string>& allowed) const {
    if (!j.is_object()) fail(path, "expected an object, got " + std::string(j.type_name()));
    for (const auto& [key, value] : j.items()) {
      if (allowed.count(key) == 0) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail(path + "." + key, "unknown field; allowed here: " + list);
      }
    }
  }

  long long integer(const Json& j, const std::string& key, const std::string& path,
                    long long fallback, long long min, long long max) const {
    if (!j.contains(key)) return fallback;
    const Json& v = j.at(key);
    if (!v.is_number_integer()) {
      fail(path + "." + key, "expected a whole number from " + std::to_string(min) + " to " +
                                 std::to_string(max) + ", got " + v.dump());
    }
    long long n = v.get<long long>();
    if (n < min || n > max) {
      fail(path + "." + key, "must be from " + std::to_string(min) + " to " + std::to_string(max) +
                                 ", got " + std::to_string(n));
    }
    return n;
  }

  double number(const Json& j, const std::string& key, const std::string& path, double fallback,
                double min, double max) const {
    if (!j.contains(key)) return fallback;
    const Json& v = j.at(key);
    if (!v.is_number()) fail(path + "." + key, "expected a number of seconds, got " + v.dump());
    double n = v.get<double>();
    if (n < min || n > max) {
      std::ostringstream s;
      s << "must be from " << min << " to " << max << ", got " << n;
      fail(path + "." + key, s.str());
    }
    return n;
  }

  std::string string(const Json& j, const std::string& key, const std::string& path,
                     const std::string& fallback) const {
    if (!j.contains(key)) return fallback;
    const Json& v = j.at(key);
    if (!v.is_string() || v.get<std::string>().empty()) {
      fail(path + "." + key, "expected a non-empty string, got " + v.dump());
    }
    return v.get<std::string>();
  }

  Properties properties(const Json& j, const std::string& key, const std::string& path) const {
    Properties out;
    if (!j.contains(key)) return out;
    const Json& v = j.at(key);
    if (!v.is_object()) fail(path + "." + key, "expected an object of settings, got " + v.dump());
    for (const auto& [k, value] : v.items()) out[k] = scalar(value, path + "." + key + "." + k);
    return out;
  }

  // Settings are strings to Kafka; numbers and booleans are accepted as such.
  std::string scalar(const Json& v, const std::string& path) const {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    if (v.is_number()) return v.dump();
    fail(path, "expected a string, number or boolean, got " + v.dump());
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::string context_;
};

const std::set<std::string> kTopLevel = {"name",     "description", "cluster", "topic",
                                         "producer", "consumer",    "faults",  "timings",
                                         "expect",   "expect_when", "matrix"};
const std::set<std::string> kClusterFields = {"brokers", "kafka_version", "heap_mb",
                                              "broker_config"};
const std::set<std::string> kTopicFields = {"name", "partitions", "replication_factor", "config"};
const std::set<std::string> kProducerFields = {"workers", "config", "message_bytes",
                                               "keys",    "rate",   "messages"};
const std::set<std::string> kConsumerFields = {"group",      "config",           "commit",
                                               "batch_size", "process_delay_ms", "threads"};
const std::set<std::string> kTimingFields = {"warmup_s", "faults_s", "recovery_timeout_s",
                                             "drain_timeout_s"};

// Properties kchaos sets itself.
const std::set<std::string> kOwnedProducer = {"bootstrap.servers", "dr_msg_cb", "client.id"};
const std::set<std::string> kOwnedConsumer = {"bootstrap.servers", "group.id", "enable.auto.commit",
                                              "enable.auto.offset.store"};

void check_librdkafka(const Reader& r, rd_kafka_type_t type, const Properties& props,
                      const std::string& path, const std::set<std::string>& owned,
                      const std::string& why_owned) {
  for (const auto& [k, v] : props) {
    if (owned.count(k) != 0) r.fail(path + "." + k, why_owned);
  }
  try {
    // Building a client also checks the combinations (e.g. idempotence needs
    // acks=all), which setting properties one by one does not.
    auto conf = kafka::make_conf(props);
    kafka::quiet_logs(conf.get());
    if (type == RD_KAFKA_CONSUMER)
      rd_kafka_conf_set(conf.get(), "group.id", "kchaos-validate", nullptr, 0);
    kafka::make_handle(type, std::move(conf));
  } catch (const kafka::ConfigError& e) {
    r.fail(path + "." + e.property(), std::string("librdkafka rejects it: ") + e.what());
  } catch (const std::exception& e) {
    r.fail(path, std::string("librdkafka rejects these settings: ") + e.what());
  }
}

// An expect block: anomaly name (or a sum such as "lost+divergent") -> limit.
nlohmann::json expect_block(const Json& j, const std::string& path, const Reader& r) {
  if (!j.is_object()) r.fail(path, "expected an object of limits, got " + j.dump());
  const auto& names = reports::anomaly_names();
  for (const auto& [name, limit] : j.items()) {
    size_t start = 0;
    while (start <= name.size()) {
      size_t plus = std::min(name.find('+', start), name.size());
      const std::string part = name.substr(start, plus - start);
      if (std::find(names.begin(), names.end(), part) == names.end()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        r.fail(path + "." + name, "unknown anomaly '" + part + "'; allowed: " + list +
                                      ", or a sum of them such as lost+divergent");
      }
      start = plus + 1;
    }
    try {
      reports::parse_limit(nlohmann::json::parse(limit.dump()));
    } catch (const std::invalid_argument& e) {
      r.fail(path + "." + name, e.what());
    }
  }
  return nlohmann::json::parse(j.dump());
}

Configuration parse_configuration(const Json& doc, const Reader& r) {
  Configuration c;
  if (doc.contains("cluster")) {
    const Json& j = doc.at("cluster");
    r.object(j, "$.cluster", kClusterFields);
    c.cluster.brokers = static_cast<int>(r.integer(j, "brokers", "$.cluster", 3, 1, 9));
    c.cluster.kafka_version = r.string(j, "kafka_version", "$.cluster", "3.9.2");
    if (c.cluster.kafka_version.rfind("3.", 0) != 0 &&
        c.cluster.kafka_version.rfind("4.", 0) != 0) {
      r.fail("$.cluster.kafka_version",
             "Kafka 3.x or 4.x (KRaft), e.g. \"3.9.2\" or \"4.1.1\"; got \"" +
                 c.cluster.kafka_version + "\"");
    }
    c.cluster.heap_mb = static_cast<int>(r.integer(j, "heap_mb", "$.cluster", 512, 128, 16384));
    c.cluster.broker_config = r.properties(j, "broker_config", "$.cluster");
  }
  if (doc.contains("topic")) {
    const Json& j = doc.at("topic");
    r.object(j, "$.topic", kTopicFields);
    c.topic.name = r.string(j, "name", "$.topic", c.topic.name);
    c.topic.partitions = static_cast<int>(r.integer(j, "partitions", "$.topic", 6, 1, 1000));
    c.topic.replication_factor =
        static_cast<int>(r.integer(j, "replication_factor", "$.topic", 3, 1, 9));
    c.topic.config = r.properties(j, "config", "$.topic");
  }
  if (c.topic.replication_factor > c.cluster.brokers) {
    r.fail("$.topic.replication_factor", "is " + std::to_string(c.topic.replication_factor) +
                                             " but the cluster has only " +
                                             std::to_string(c.cluster.brokers) + " broker(s)");
  }
  if (doc.contains("producer")) {
    const Json& j = doc.at("producer");
    r.object(j, "$.producer", kProducerFields);
    c.producer.workers = static_cast<int>(r.integer(j, "workers", "$.producer", 1, 1, 16));
    c.producer.config = r.properties(j, "config", "$.producer");
    c.producer.message_bytes =
        static_cast<int>(r.integer(j, "message_bytes", "$.producer", 100, 32, 1 << 20));
    c.producer.keys = static_cast<int>(r.integer(j, "keys", "$.producer", 64, 1, 1 << 20));
    if (j.contains("rate") && j.at("rate").is_string()) {
      if (j.at("rate") != "unbounded") {
        r.fail("$.producer.rate",
               "expected messages per second (a whole number) or \"unbounded\", got " +
                   j.at("rate").dump());
      }
      c.producer.rate = 0;
    } else {
      c.producer.rate = static_cast<int>(r.integer(j, "rate", "$.producer", 1000, 1, 10'000'000));
    }
    c.producer.messages = r.integer(j, "messages", "$.producer", 0, 1, 1'000'000'000'000LL);
  }
  check_librdkafka(r, RD_KAFKA_PRODUCER, c.producer.config, "$.producer.config", kOwnedProducer,
                   "is set by kchaos itself and cannot be configured");
  if (doc.contains("consumer")) {
    const Json& j = doc.at("consumer");
    r.object(j, "$.consumer", kConsumerFields);
    c.consumer.group = r.string(j, "group", "$.consumer", c.consumer.group);
    c.consumer.config = r.properties(j, "config", "$.consumer");
    const std::string mode = r.string(j, "commit", "$.consumer", "after-process");
    if (mode == "auto") {
      c.consumer.commit = CommitMode::auto_commit;
    } else if (mode == "before-process") {
      c.consumer.commit = CommitMode::before_process;
    } else if (mode == "after-process") {
      c.consumer.commit = CommitMode::after_process;
    } else if (mode == "async-threads") {
      c.consumer.commit = CommitMode::async_threads;
    } else {
      r.fail("$.consumer.commit",
             "expected one of \"auto\", \"before-process\", \"after-process\", \"async-threads\", "
             "got \"" +
                 mode + "\"");
    }
    c.consumer.batch_size =
        static_cast<int>(r.integer(j, "batch_size", "$.consumer", 100, 1, 100000));
    c.consumer.process_delay_ms =
        static_cast<int>(r.integer(j, "process_delay_ms", "$.consumer", 0, 0, 60000));
    c.consumer.threads = static_cast<int>(r.integer(j, "threads", "$.consumer", 4, 1, 64));
  }
  check_librdkafka(r, RD_KAFKA_CONSUMER, c.consumer.config, "$.consumer.config", kOwnedConsumer,
                   "is set by kchaos from $.consumer.group and $.consumer.commit");
  if (doc.contains("timings")) {
    const Json& j = doc.at("timings");
    r.object(j, "$.timings", kTimingFields);
    c.timings.warmup_s = r.number(j, "warmup_s", "$.timings", 10, 0, 86400);
    c.timings.faults_s = r.number(j, "faults_s", "$.timings", 50, 0, 86400);
    c.timings.recovery_timeout_s = r.number(j, "recovery_timeout_s", "$.timings", 90, 1, 86400);
    c.timings.drain_timeout_s = r.number(j, "drain_timeout_s", "$.timings", 90, 1, 86400);
  }
  if (doc.contains("faults")) {
    c.faults = nlohmann::json::parse(doc.at("faults").dump());
    try {
      c.fault_plan = faults::parse_faults(c.faults);
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      const auto colon = what.find(": ");
      r.fail(what.substr(0, colon), what.substr(colon + 2));
    }
    for (size_t i = 0; i < c.fault_plan.fixed.size(); ++i) {
      const auto& f = c.fault_plan.fixed[i];
      const std::string path = "$.faults[" + std::to_string(i) + "]";
      // A fault that cannot fire within the fault phase would pass silently.
      if (f.at_s >= c.timings.faults_s) {
        std::ostringstream why;
        why << "at " << f.at_s << " s is not within the fault phase ($.timings.faults_s = "
            << c.timings.faults_s << " s): the fault would never fire";
        r.fail(path + ".at", why.str());
      }
      if (f.duration_s == 0) {
        r.fail(path + ".duration", "must be above 0 (leave it out to heal at the end of the fault phase)");
      }
      if (f.type == "producer-crash" && f.params.value("worker", 1) > c.producer.workers) {
        r.fail("$.faults", "producer-crash names worker " +
                               std::to_string(f.params.value("worker", 1)) +
                               " but the scenario has " + std::to_string(c.producer.workers));
      }
    }
  }
  if (doc.contains("expect")) c.expect = expect_block(doc.at("expect"), "$.expect", r);
  Json resolved = doc;
  resolved.erase("matrix");
  c.resolved = resolved;
  return c;
}

// Where a matrix key "section.rest" lands: a field of the section, or one of
// its settings (producer.acks is producer.config["acks"]).
std::vector<std::string> matrix_target(const Reader& r, const std::string& key) {
  const auto dot = key.find('.');
  const std::string section = key.substr(0, dot);
  const std::string rest = dot == std::string::npos ? "" : key.substr(dot + 1);
  static const std::map<std::string, std::pair<const std::set<std::string>*, std::string>>
      kSections = {{"cluster", {&kClusterFields, "broker_config"}},
                   {"topic", {&kTopicFields, "config"}},
                   {"producer", {&kProducerFields, "config"}},
                   {"consumer", {&kConsumerFields, "config"}},
                   {"timings", {&kTimingFields, ""}}};
  auto it = kSections.find(section);
  if (it == kSections.end() || rest.empty()) {
    r.fail("$.matrix." + key,
           "a matrix key is SECTION.FIELD or SECTION.SETTING with SECTION one of cluster, topic, "
           "producer, consumer, timings (e.g. \"producer.acks\", \"topic.min.insync.replicas\")");
  }
  if (it->second.first->count(rest) != 0) return {section, rest};
  if (it->second.second.empty()) r.fail("$.matrix." + key, "timings has no field '" + rest + "'");
  return {section, it->second.second, rest};
}

// A PASS needs proof: a scenario may let expired, unverifiable, corrupt or unconsumed
// be above 0 only when its description says why.
void check_loosened_defaults(const Configuration& c, const std::string& description,
                             const Reader& r) {
  for (const auto& [name, limit] : reports::default_limits()) {
    if (!c.expect.contains(name)) continue;
    if (!reports::holds(reports::parse_limit(c.expect[name]), 1)) continue;
    if (description.find(name) != std::string::npos) continue;
    r.fail("$.expect." + name,
           "allows " + name + " above 0, but a configuration passes only with " + name +
               " 0 unless the scenario says why: explain in $.description why " + name +
               " may be above 0");
  }
}

std::string value_label(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

const char* to_string(CommitMode m) {
  switch (m) {
    case CommitMode::auto_commit:
      return "auto";
    case CommitMode::before_process:
      return "before-process";
    case CommitMode::after_process:
      return "after-process";
    case CommitMode::async_threads:
      return "async-threads";
  }
  return "?";
}

Scenario parse(const Json& doc, const std::string& file_label) {
  Reader r(file_label, "");
  r.object(doc, "$", kTopLevel);
  Scenario s;
  s.file = file_label;
  s.name = r.string(doc, "name", "$", std::filesystem::path(file_label).stem().string());
  s.description = doc.contains("description") ? r.string(doc, "description", "$", "") : "";

  std::vector<std::pair<std::string, std::vector<Json>>> axes;
  if (doc.contains("matrix")) {
    const Json& m = doc.at("matrix");
    if (!m.is_object()) r.fail("$.matrix", "expected an object of KEY: [values], got " + m.dump());
    for (const auto& [key, values] : m.items()) {
      matrix_target(r, key);
      if (!values.is_array() || values.empty()) {
        r.fail("$.matrix." + key, "expected a non-empty list of values, got " + values.dump());
      }
      axes.push_back({key, std::vector<Json>(values.begin(), values.end())});
    }
  }
  // expect_when: limits for the configurations whose matrix values match.
  std::vector<std::pair<Json, nlohmann::json>> cases;
  if (doc.contains("expect_when")) {
    const Json& w = doc.at("expect_when");
    if (!w.is_array())
      r.fail("$.expect_when", "expected a list of {\"when\": {...}, \"expect\": {...}}");
    for (size_t i = 0; i < w.size(); ++i) {
      const std::string path = "$.expect_when[" + std::to_string(i) + "]";
      r.object(w[i], path, {"when", "expect"});
      if (!w[i].contains("when") || !w[i]["when"].is_object() || !w[i].contains("expect")) {
        r.fail(path, "needs \"when\" (matrix key -> value) and \"expect\" (limits)");
      }
      for (const auto& [key, value] : w[i]["when"].items()) {
        auto axis = std::find_if(axes.begin(), axes.end(), [&](auto& a) { return a.first == key; });
        if (axis == axes.end()) r.fail(path + ".when." + key, "not a key of $.matrix");
        if (std::find(axis->second.begin(), axis->second.end(), value) == axis->second.end()) {
          r.fail(path + ".when." + key, value.dump() + " is not one of its matrix values");
        }
      }
      cases.push_back({w[i]["when"], expect_block(w[i]["expect"], path + ".expect", r)});
    }
  }

  // Cartesian product, first axis slowest.
  std::vector<size_t> index(axes.size(), 0);
  while (true) {
    Json d = doc;
    Json parameters = Json::object();
    std::string name;
    for (size_t a = 0; a < axes.size(); ++a) {
      const auto& [key, values] = axes[a];
      const Json& v = values[index[a]];
      auto target = matrix_target(r, key);
      Json* node = &d;
      for (const auto& part : target) node = &(*node)[part];
      *node = v;
      parameters[key] = v;
      const auto short_key = key.substr(key.find('.') + 1);
      name += (name.empty() ? "" : ",") + short_key + "=" + value_label(v);
    }
    Reader cr(file_label, name.empty() ? "" : " (in matrix configuration " + name + ")");
    Configuration c = parse_configuration(d, cr);
    c.name = name.empty() ? "default" : name;
    c.parameters = parameters;
    for (const auto& [when, expect] : cases) {
      bool match = true;
      for (const auto& [key, value] : when.items()) match = match && parameters[key] == value;
      if (match) c.expect.update(expect);
    }
    check_loosened_defaults(c, s.description, cr);
    s.configurations.push_back(std::move(c));
    size_t a = axes.size();
    while (a > 0) {
      --a;
      if (++index[a] < axes[a].second.size()) break;
      index[a] = 0;
      if (a == 0) return s;
    }
    if (axes.empty()) return s;
  }
}

Scenario load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw UserError(file.string() + ": cannot read the scenario file");
  Json doc;
  try {
    doc = Json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw UserError(file.string() + ": not valid JSON: " + e.what());
  }
  return parse(doc, file.string());
}

}  // namespace kchaos::scenario
