// What no single section can check alone: the configuration against the
// cluster and the topic it will run on, and the bounds of what a scenario may
// ask for.

#include <cctype>
#include <cmath>
#include <sstream>

#include "Reader.h"
#include "kchaos/catalog/Catalog.h"
#include "kchaos/plan/Plan.h"

namespace kchaos::scenario::detail {
namespace {

// 1 to max of letters, digits, '.', '_' and '-'.
bool name_of(const std::string& s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
      return false;
  }
  return true;
}

std::optional<long long> whole(const Properties& p, const std::string& key) {
  auto it = p.find(key);
  if (it == p.end()) return std::nullopt;
  try {
    size_t used = 0;
    const long long n = std::stoll(it->second, &used);
    if (used == it->second.size()) return n;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// A target must name something the cluster and the topic have.
void check_target(const plan::TargetForm& form, const std::string& path, const Configuration& c,
                  int partitions, const Reader& r) {
  if (form.form == "broker" && c.cluster.backend != "external" &&
      (form.broker < 1 || form.broker > c.cluster.brokers)) {
    r.fail(path, "broker " + std::to_string(form.broker) + " does not exist: the cluster has " +
                     "brokers 1.." + std::to_string(c.cluster.brokers));
  }
  if (form.partition < 0) return;
  if (form.topic != c.topic.name) {
    r.fail(path, shown(Json(form.topic)) + " is not the scenario's topic (" +
                     shown(Json(c.topic.name)) + "): write " + form.form + ":" + c.topic.name +
                     "/" + std::to_string(form.partition));
  }
  if (form.partition >= partitions) {
    r.fail(path, "the topic has partitions 0.." + std::to_string(partitions - 1) +
                     " (with those add-partitions faults add)");
  }
}

void check_targets(const Configuration& c, const Reader& r) {
  const int partitions = c.topic.partitions + c.fault_plan.added_partitions();
  for (const auto& f : c.fault_plan.fixed) {
    if (!f.target.empty()) check_target(f.target_form, f.path + ".target", c, partitions, r);
  }
  for (const auto& block : c.fault_plan.random) {
    for (size_t t = 0; t < block.target_forms.size(); ++t) {
      check_target(block.target_forms[t], block.path + ".targets[" + std::to_string(t) + "]", c,
                   partitions, r);
    }
  }
}

// The timeline a scenario may ask for: a random block whose faults come
// faster than kMinMeanInterval, or a timeline over kMaxTimelineFaults, is a
// mistake, not a test.
void check_timeline(const Configuration& c, const Reader& r) {
  double expected = static_cast<double>(c.fault_plan.fixed.size());
  for (const auto& block : c.fault_plan.random)
    expected += c.timings.faults_s / block.mean_interval_s;
  if (expected > kMaxTimelineFaults) {
    std::ostringstream s;
    s << "asks for about " << std::llround(expected) << " faults in " << c.timings.faults_s
      << " s; a configuration may have " << kMaxTimelineFaults << " at most";
    r.fail("$.faults", s.str());
  }
}

void check_cluster(const Configuration& c, const Reader& r) {
  if (!catalog::known_kafka_version(c.cluster.kafka_version)) {
    r.fail("$.cluster.kafka_version", shown(Json(c.cluster.kafka_version)) +
                                          " is not a Kafka release kchaos can run as a KRaft "
                                          "cluster (3.3.0 and later from Maven Central, e.g. "
                                          "\"3.9.2\" or \"4.1.1\")");
  }
  const auto& backends = catalog::backend_names();
  if (std::find(backends.begin(), backends.end(), c.cluster.backend) == backends.end()) {
    r.fail("$.cluster.backend", shown(Json(c.cluster.backend)) +
                                    " is not a backend kchaos has: \"local\" (processes in "
                                    "network namespaces) or \"compose\" (Docker Compose)");
  }
  if (!c.cluster.image.empty() && c.cluster.backend != "compose") {
    r.fail("$.cluster.image",
           "only the compose backend runs an image (set cluster.backend to "
           "\"compose\", or remove cluster.image)");
  }
  for (const auto& [key, value] : c.cluster.broker_config) {
    auto owned = catalog::owned_broker_keys().find(key);
    if (owned != catalog::owned_broker_keys().end()) {
      r.fail(key_path("$.cluster.broker_config", key),
             "is set by kchaos itself (" + owned->second + ") and cannot be configured");
    }
  }
}

void check_topic(const Configuration& c, const Reader& r) {
  const auto& name = c.topic.name;
  if (!name_of(name, 249) || name == "." || name == ".." || name.rfind("__", 0) == 0) {
    r.fail("$.topic.name", shown(Json(name)) +
                               " is not a topic name Kafka accepts: 1 to 249 of letters, digits, "
                               "'.', '_' and '-', not '.' or '..', not starting with '__'");
  }
  for (const auto& [where, props] :
       {std::pair{"$.topic.config", &c.topic.config},
        std::pair{"$.cluster.broker_config", &c.cluster.broker_config}}) {
    const auto min_isr = whole(*props, "min.insync.replicas");
    if (min_isr && (*min_isr < 1 || *min_isr > c.topic.replication_factor)) {
      r.fail(std::string(where) + ".min.insync.replicas",
             std::to_string(*min_isr) + " cannot be met: the topic has " +
                 std::to_string(c.topic.replication_factor) + " replica(s)");
    }
  }
}

}  // namespace

void check_configuration(const Configuration& c, const Reader& r) {
  check_cluster(c, r);
  check_topic(c, r);
  if (c.timings.warmup_s + c.timings.faults_s <= 0) {
    r.fail("$.timings", "warmup_s and faults_s are both 0: nothing would be produced");
  }
  check_targets(c, r);
  check_timeline(c, r);
  if (const std::string why = backend_refusal(c); !why.empty()) r.fail("$.cluster.backend", why);
  if (const auto p = external_problem(c); !p.what.empty()) r.fail(p.field, p.what);
  if (const auto* tmpfs = c.fault_plan.kind_needing(plan::Storage::tmpfs);
      tmpfs && c.data_on_pagefs()) {
    r.fail("$.faults", "power-loss (or cluster.pagefs) and " + tmpfs->name +
                           " cannot be in one configuration: the brokers' data is on "
                           "kchaos-pagefs for the one and on a tmpfs for the other; put them in "
                           "separate scenarios");
  }
}

void check_scenario_name(const std::string& name, const Reader& r) {
  if (!name_of(name, 100) || name[0] == '.' || name[0] == '-') {
    r.fail("$.name", shown(Json(name)) +
                         " cannot name a run directory: 1 to 100 of letters, digits, '.', '_' "
                         "and '-', not starting with '.' or '-'");
  }
}

}  // namespace kchaos::scenario::detail
