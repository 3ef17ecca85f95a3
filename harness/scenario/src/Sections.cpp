// The sections of one configuration: cluster, topic, producer, consumer,
// timings, faults and expect, each validated with its JSON path.

#include <sstream>

#include "Reader.h"
#include "kchaos/catalog/Catalog.h"
#include "kchaos/common/Error.h"
#include "kchaos/kafka/RdKafka.h"
#include "kchaos/reports/Verdict.h"

namespace kchaos::scenario::detail {
namespace {

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

// cluster.drivers: action -> a non-empty argv of strings.
void parse_drivers(const Json& j, const Reader& r, ClusterSection& c) {
  r.note({"$.cluster.drivers", "object", "none", "action: [command, args...]"});
  if (!j.contains("drivers")) return;
  const Json& d = j["drivers"];
  if (!d.is_object()) r.fail("$.cluster.drivers", "expected an object, got " + shown(d));
  for (const auto& [action, argv] : d.items()) {
    const std::string path = key_path("$.cluster.drivers", action);
    if (!catalog::is_driver_action(action)) {
      std::string list;
      for (const auto& a : catalog::driver_actions()) list += (list.empty() ? "" : ", ") + a.name;
      r.fail(path, "unknown driver action; allowed: " + list);
    }
    if (!argv.is_array() || argv.empty()) {
      r.fail(path, "expected a command as a list of strings, e.g. [\"docker\", \"kill\", "
                   "\"{container}\"], got " + shown(argv));
    }
    for (const auto& arg : argv) {
      if (!arg.is_string()) r.fail(path, "every word of the command is a string, got " + shown(arg));
      c.drivers[action].push_back(arg.get<std::string>());
    }
  }
}

// cluster.nodes: broker id -> {placeholder: value}.
void parse_nodes(const Json& j, const Reader& r, ClusterSection& c) {
  r.note({"$.cluster.nodes", "object", "none", "\"<broker id>\": {name: string}"});
  if (!j.contains("nodes")) return;
  const Json& n = j["nodes"];
  if (!n.is_object()) r.fail("$.cluster.nodes", "expected an object, got " + shown(n));
  for (const auto& [id, values] : n.items()) {
    const std::string path = key_path("$.cluster.nodes", id);
    if (id.empty() || id.size() > 4 || id.find_first_not_of("0123456789") != std::string::npos) {
      r.fail(path, "expected a broker id (a whole number) as the key");
    }
    if (!values.is_object()) r.fail(path, "expected an object of placeholder values");
    auto& node = c.nodes[std::stoi(id)];
    for (const auto& [name, value] : values.items()) {
      if (!value.is_string()) r.fail(key_path(path, name), "expected a string, got " + shown(value));
      node[name] = value.get<std::string>();
    }
  }
}

// librdkafka takes acks up to 1000, but brokers refuse every send whose acks
// is not -1, 0 or 1: such a run would measure nothing.
void check_acks(const Reader& r, const Properties& config) {
  for (const char* key : {"acks", "request.required.acks"}) {
    const auto it = config.find(key);
    if (it == config.end()) continue;
    const std::string& v = it->second;
    if (v != "all" && v != "-1" && v != "0" && v != "1") {
      r.fail(std::string("$.producer.config.") + key,
             shown(Json(v)) + " is not an acks Kafka accepts: all (or -1), 0 or 1 (the brokers "
                              "would refuse every send)");
    }
  }
}

void parse_cluster(const Json& j, const Reader& r, ClusterSection& c) {
  r.object(j, "$.cluster", kClusterFields);
  c.brokers = static_cast<int>(r.integer(j, "brokers", "$.cluster", c.brokers, 1, 9));
  c.kafka_version = r.string(j, "kafka_version", "$.cluster", c.kafka_version);
  c.heap_mb = static_cast<int>(r.integer(j, "heap_mb", "$.cluster", c.heap_mb, 128, 16384));
  c.broker_config = r.properties(j, "broker_config", "$.cluster");
  c.pagefs = r.boolean(j, "pagefs", "$.cluster", c.pagefs);
  c.backend = r.string(j, "backend", "$.cluster", c.backend);
  c.image = r.string(j, "image", "$.cluster", c.image);
  c.bootstrap = r.string(j, "bootstrap", "$.cluster", c.bootstrap);
  c.allow_destructive = r.boolean(j, "allow_destructive", "$.cluster", c.allow_destructive);
  parse_drivers(j, r, c);
  parse_nodes(j, r, c);
}

void parse_topic(const Json& j, const Reader& r, TopicSection& t) {
  r.object(j, "$.topic", kTopicFields);
  t.name = r.string(j, "name", "$.topic", t.name);
  t.partitions = static_cast<int>(r.integer(j, "partitions", "$.topic", t.partitions, 1, 1000));
  t.replication_factor =
      static_cast<int>(r.integer(j, "replication_factor", "$.topic", t.replication_factor, 1, 9));
  t.config = r.properties(j, "config", "$.topic");
}

// One field of a worker spec as a scenario section sets it, by its type.
struct SpecFieldReader {
  const Json& j;
  const Reader& r;
  const char* path;

  void operator()(const protocol::Field& f, Properties& m) const {
    if (f.in_scenario) m = r.properties(j, f.name, path);
  }
  void operator()(const protocol::Field& f, std::string& m) const {
    if (f.in_scenario) m = r.string(j, f.name, path, m);
  }
  void operator()(const protocol::Field& f, CommitMode& m) const {
    if (f.in_scenario) {
      m = *protocol::commit_mode(
          r.choice(j, f.name, path, to_string(m), protocol::commit_mode_names()));
    }
  }
  template <typename Number>
  void operator()(const protocol::Field& f, Number& m) const {
    if (!f.in_scenario) return;
    if (f.or_unbounded) {
      r.note({std::string(path) + "." + f.name, "whole number or `\"unbounded\"`",
              "`" + std::to_string(m) + "`",
              std::to_string(f.min) + " to " + std::to_string(f.max) +
                  " (per second, per worker), or `\"unbounded\"`"});
      if (j.contains(f.name) && j.at(f.name).is_string()) {
        if (j.at(f.name) != "unbounded") {
          r.fail(std::string(path) + "." + f.name,
                 "expected messages per second (a whole number) or \"unbounded\", got " +
                     shown(j.at(f.name)));
        }
        m = 0;
        return;
      }
    }
    m = static_cast<Number>(r.integer(j, f.name, path, m, f.min, f.max));
  }
};

void parse_producer(const Json& j, const Reader& r, ProducerSection& p) {
  r.object(j, "$.producer", kProducerFields);
  p.workers = static_cast<int>(r.integer(j, "workers", "$.producer", p.workers, 1, 16));
  protocol::producer_fields(static_cast<protocol::ProducerSpec&>(p),
                            SpecFieldReader{j, r, "$.producer"});
}

void parse_consumer(const Json& j, const Reader& r, ConsumerSection& c) {
  r.object(j, "$.consumer", kConsumerFields);
  protocol::consumer_fields(static_cast<protocol::ConsumerSpec&>(c),
                            SpecFieldReader{j, r, "$.consumer"});
}

void parse_timings(const Json& j, const Reader& r, Timings& t) {
  r.object(j, "$.timings", kTimingFields);
  t.warmup_s = r.number(j, "warmup_s", "$.timings", t.warmup_s, 0, 86400);
  t.faults_s = r.number(j, "faults_s", "$.timings", t.faults_s, 0, 86400);
  t.recovery_timeout_s =
      r.number(j, "recovery_timeout_s", "$.timings", t.recovery_timeout_s, 1, 86400);
  t.drain_timeout_s = r.number(j, "drain_timeout_s", "$.timings", t.drain_timeout_s, 1, 86400);
  t.max_lateness_s = r.number(j, "max_lateness_s", "$.timings", t.max_lateness_s, 0.1, 3600);
}

// The fault plan, and what a plan alone cannot check: every fixed fault fires
// within the fault phase, and names a producer worker that exists.
void parse_fault_section(const Json& j, const Reader& r, Configuration& c) {
  c.faults = j;
  try {
    c.fault_plan = plan::parse_faults(c.faults);
  } catch (const UserError& e) {
    r.fail(e.path(), e.detail());
  }
  for (size_t i = 0; i < c.fault_plan.fixed.size(); ++i) {
    const auto& f = c.fault_plan.fixed[i];
    const std::string path = "$.faults[" + std::to_string(i) + "]";
    // A fault that cannot fire within the fault phase would pass silently.
    if (f.at_s >= c.timings.faults_s) {
      std::ostringstream why;
      why << "at " << f.at_s
          << " s is not within the fault phase ($.timings.faults_s = " << c.timings.faults_s
          << " s): the fault would never fire";
      r.fail(path + ".at", why.str());
    }
    if (f.duration_s == 0) {
      r.fail(path + ".duration",
             "must be above 0 (leave it out to heal at the end of the fault phase)");
    }
  }
  for (const auto& problem : plan::check_bounds(c.fault_plan, {c.producer.workers})) {
    r.fail(problem.field, problem.what);
  }
}

}  // namespace

std::map<std::string, reports::Limit> expect_block(const Json& j, const std::string& path,
                                                   const Reader& r) {
  if (!j.is_object()) r.fail(path, "expected an object of limits, got " + shown(j));
  const auto& names = reports::anomaly_names();
  std::map<std::string, reports::Limit> limits;
  for (const auto& [name, limit] : j.items()) {
    for (const auto& part : reports::summed_names(name)) {
      if (std::find(names.begin(), names.end(), part) == names.end()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        r.fail(key_path(path, name), "unknown anomaly " + shown(Json(part)) + "; allowed: " + list +
                                         ", or a sum of them such as lost+divergent");
      }
    }
    try {
      limits[name] = reports::parse_limit(limit);
    } catch (const UserError& e) {
      r.fail(key_path(path, name), e.what());
    }
  }
  return limits;
}

void check_loosened_defaults(const Configuration& c, const std::string& description,
                             const Reader& r) {
  for (const auto& [name, limit] : reports::default_limits()) {
    if (!reports::default_needs_reason(name)) continue;
    auto it = c.expect.find(name);
    if (it == c.expect.end() || !reports::holds(it->second, 1)) continue;
    if (description.find(name) != std::string::npos) continue;
    r.fail("$.expect." + name,
           "allows " + name + " above 0, but a configuration passes only with " + name +
               " 0 unless the scenario says why: explain in $.description why " + name +
               " may be above 0");
  }
}

Configuration parse_configuration(const Json& doc, const Reader& r) {
  Configuration c;
  if (doc.contains("cluster")) parse_cluster(doc.at("cluster"), r, c.cluster);
  if (doc.contains("topic")) parse_topic(doc.at("topic"), r, c.topic);
  if (c.cluster.backend != "external" && c.topic.replication_factor > c.cluster.brokers) {
    r.fail("$.topic.replication_factor", "is " + std::to_string(c.topic.replication_factor) +
                                             " but the cluster has only " +
                                             std::to_string(c.cluster.brokers) + " broker(s)");
  }
  if (doc.contains("producer")) parse_producer(doc.at("producer"), r, c.producer);
  check_librdkafka(r, RD_KAFKA_PRODUCER, c.producer.config, "$.producer.config", kOwnedProducer,
                   "is set by kchaos itself and cannot be configured");
  check_acks(r, c.producer.config);
  if (doc.contains("consumer")) parse_consumer(doc.at("consumer"), r, c.consumer);
  check_librdkafka(r, RD_KAFKA_CONSUMER, c.consumer.config, "$.consumer.config", kOwnedConsumer,
                   "is set by kchaos from $.consumer.group and $.consumer.commit");
  if (doc.contains("timings")) parse_timings(doc.at("timings"), r, c.timings);
  if (doc.contains("faults")) parse_fault_section(doc.at("faults"), r, c);
  if (doc.contains("expect")) c.expect = expect_block(doc.at("expect"), "$.expect", r);
  check_configuration(c, r);
  c.resolved = doc;
  c.resolved.erase("matrix");
  return c;
}

}  // namespace kchaos::scenario::detail
