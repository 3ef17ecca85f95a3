// The field reference: a document with every section present but empty is
// parsed by a reader that describes each field it reads, so the types,
// defaults and bounds are the parser's own; the meanings are written here.

#include "kchaos/scenario/Reference.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "Reader.h"
#include "kchaos/catalog/Catalog.h"
#include "kchaos/reports/Limit.h"

namespace kchaos::scenario {
namespace {

using detail::FieldDoc;

// The fields of a cluster kchaos did not start.
const std::map<std::string, std::string>& external_meanings() {
  static const std::map<std::string, std::string> m = {
      {"$.cluster.bootstrap",
       "external only: the bootstrap servers of a cluster kchaos did not start (`kchaos run "
       "--bootstrap` sets it); kchaos provisions nothing and never stops it."},
      {"$.cluster.drivers",
       "external only: the command of each action a fault needs (`broker-kill`, `broker-stop`, "
       "`broker-start`, `broker-pause`, `broker-resume`, `isolate`, `heal`), as a list of "
       "words with placeholders `{id}`, `{bootstrap}` and the nodes' own."},
      {"$.cluster.nodes",
       "external only: per broker id, the values its drivers' placeholders take, e.g. "
       "`{\"1\": {\"container\": \"kafka-1\"}}`."},
      {"$.cluster.allow_destructive",
       "external only: faults that act on brokers (through drivers) may run; `kchaos run "
       "--allow-destructive` sets it."},
  };
  return m;
}

const std::map<std::string, std::string>& meanings() {
  static const std::map<std::string, std::string> m = {
      {"$.name", "Names the run directory and the reports."},
      {"$.description",
       "What the scenario shows. A limit that lets `expired`, `unverifiable`, `corrupt` or "
       "`unconsumed` above 0 must be explained here (the validator looks for the count's name)."},
      {"$.faults", "The timeline: fixed faults, random blocks and their targets (see [Faults](faults.md))."},
      {"$.expect", "Limits per count, or per sum such as `lost+divergent` (see [Limits](#limits))."},
      {"$.expect_when",
       "Limits for the configurations whose matrix values match: "
       "`[{\"when\": {KEY: value}, \"expect\": {...}}]`."},
      {"$.matrix",
       "`SECTION.FIELD` or `SECTION.SETTING` to a list of values; one configuration per "
       "combination, first key slowest."},
      {"$.cluster.brokers", "Brokers in the cluster."},
      {"$.cluster.kafka_version", "The Apache Kafka release the brokers run (KRaft mode)."},
      {"$.cluster.heap_mb", "Each broker's JVM heap, in MiB."},
      {"$.cluster.broker_config",
       "Broker settings over kchaos's own defaults; the keys kchaos sets itself (listeners, "
       "ids, directories) are refused."},
      {"$.cluster.pagefs",
       "The brokers' data on kchaos-pagefs without a power loss (a `power-loss` fault always "
       "puts it there)."},
      {"$.cluster.backend",
       "Processes in network namespaces, or containers through Docker Compose; `kchaos run "
       "--backend` overrides it."},
      {"$.cluster.image",
       "compose only: the brokers' image; none means `apache/kafka:<kafka_version>` "
       "(`kchaos image build` makes `kchaos/kafka:<version>` without a registry)."},
      {"$.topic.name",
       "The topic the producer writes and the consumer reads; on an external cluster it starts "
       "with `kchaos-`, must not exist yet, and is deleted after the run."},
      {"$.topic.partitions", "Its partitions."},
      {"$.topic.replication_factor", "Its replicas per partition (at most the brokers)."},
      {"$.topic.config", "Topic settings, e.g. `min.insync.replicas`, `flush.messages`."},
      {"$.producer.workers", "Producer processes, each with its own sequence."},
      {"$.producer.config",
       "librdkafka producer properties (`acks`, `enable.idempotence`, `linger.ms`, ...), "
       "checked by librdkafka at validation; `bootstrap.servers`, `client.id` and `dr_msg_cb` "
       "are kchaos's."},
      {"$.producer.message_bytes", "Size of each message's value."},
      {"$.producer.keys", "Distinct keys, spread over the partitions."},
      {"$.producer.rate", "Messages per second per worker."},
      {"$.producer.messages", "Stop each worker after this many; 0 produces for warm-up and faults."},
      {"$.consumer.group", "The verifying consumer's group id."},
      {"$.consumer.config",
       "librdkafka consumer properties (`auto.offset.reset`, `session.timeout.ms`, ...); "
       "`group.id`, `enable.auto.commit` and `enable.auto.offset.store` come from `group` and "
       "`commit`."},
      {"$.consumer.commit",
       "`auto`: librdkafka commits what poll returned, before processing; `before-process`: "
       "commit a batch, then process it; `after-process`: process, then commit; "
       "`async-threads`: processing threads, auto-commit on poll."},
      {"$.consumer.batch_size", "Messages per processed (and committed) batch."},
      {"$.consumer.process_delay_ms", "Time spent processing each message."},
      {"$.consumer.threads", "Processing threads (`async-threads` only)."},
      {"$.timings.warmup_s", "Load before the first fault may fire."},
      {"$.timings.faults_s", "The fault phase; every fault is healed at its end."},
      {"$.timings.recovery_timeout_s",
       "How long the cluster may take to be whole again after the faults."},
      {"$.timings.drain_timeout_s",
       "How long the consumer may take to read the rest; what it has not read is `unconsumed`."},
      {"$.timings.max_lateness_s",
       "How late the timeline may begin an inject or a heal before the configuration is an "
       "ERROR."},
  };
  return m;
}

// What the field at path means ("" when the reference lacks it).
std::string meaning(const std::string& path) {
  for (const auto* m : {&meanings(), &external_meanings()}) {
    if (const auto it = m->find(path); it != m->end()) return it->second;
  }
  return "";
}

// A count no limit names: the defaults every configuration is judged by.
std::string default_expect() {
  std::string out;
  for (const auto& [name, limit] : reports::default_limits()) {
    out += (out.empty() ? "" : ", ") + ("`" + name + "` " + limit.text);
  }
  return out;
}

std::vector<FieldDoc> field_reference() {
  std::vector<FieldDoc> rows = {
      {"$.name", "string", "the file's name",
       "1 to 100 of letters, digits, `.`, `_`, `-`; not starting with `.` or `-`"},
      {"$.description", "string", "none", "any"},
      {"$.faults", "list", "`[]`", "fault objects and random blocks"},
      {"$.expect", "object", default_expect(), "count or sum: limit"},
      {"$.expect_when", "list", "`[]`", "when/expect objects"},
      {"$.matrix", "object", "none", "at most " + std::to_string(detail::kMaxConfigurations) +
                                         " configurations"},
  };
  detail::Reader r("the reference", "");
  r.record_into(&rows);
  const Json empty_sections = {{"cluster", Json::object()},  {"topic", Json::object()},
                               {"producer", Json::object()}, {"consumer", Json::object()},
                               {"timings", Json::object()}};
  detail::parse_configuration(empty_sections, r);
  // What the checks after the accessors allow.
  std::string backends;
  for (const auto& b : catalog::backend_names()) {
    backends += (backends.empty() ? "`\"" : ", `\"") + b + "\"`";
  }
  for (auto& f : rows) {
    if (f.path == "$.cluster.kafka_version") {
      const auto& released = catalog::released_kafka_versions();
      f.allowed = released.front() + " to " + released.back() +
                  " (Maven Central), or a release already in the jar cache";
    }
    if (f.path == "$.cluster.backend") f.allowed = backends;
  }
  return rows;
}

std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

std::string field_table() {
  std::string out =
      "| field | type | default | allowed | meaning |\n"
      "|---|---|---|---|---|\n";
  for (const auto& f : field_reference()) {
    out += "| `" + f.path.substr(2) + "` | " + cell(f.type) + " | " + cell(f.default_value) +
           " | " + cell(f.allowed) + " | " + cell(meaning(f.path)) + " |\n";
  }
  return out;
}

std::string reference_gaps() {
  const auto rows = field_reference();
  std::string out;
  auto gap = [&](const std::string& what) { out += (out.empty() ? "" : "; ") + what; };
  for (const auto& f : rows) {
    if (meaning(f.path).empty()) gap(f.path + " has no meaning");
  }
  const std::pair<const char*, const std::set<std::string>*> sections[] = {
      {"$", &detail::kTopLevel},           {"$.cluster", &detail::kClusterFields},
      {"$.topic", &detail::kTopicFields},  {"$.producer", &detail::kProducerFields},
      {"$.consumer", &detail::kConsumerFields}, {"$.timings", &detail::kTimingFields}};
  const std::set<std::string> sections_named = {"cluster", "topic", "producer", "consumer",
                                                "timings"};
  for (const auto& [section, fields] : sections) {
    for (const auto& name : *fields) {
      const std::string path = std::string(section) + "." + name;
      const bool described = std::any_of(rows.begin(), rows.end(),
                                         [&](const FieldDoc& f) { return f.path == path; });
      // A section is described by its fields' rows.
      const bool is_section = path == "$." + name && sections_named.count(name) != 0;
      if (!described && !is_section) gap(path + " is allowed but not described");
    }
  }
  return out;
}

}  // namespace kchaos::scenario
