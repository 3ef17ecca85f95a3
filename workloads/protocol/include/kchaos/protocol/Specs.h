#pragma once
// The worker protocol, controller to worker: what each worker is asked to
// do, written by the controller as a JSON spec file and read by the worker.
// Both sides use these types; every default lives here and nowhere else.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kchaos/common/Json.h"

namespace kchaos::protocol {

using Settings = std::map<std::string, std::string>;

/// How the verifying consumer commits:
///   auto            librdkafka auto-commits offsets stored when poll returns
///                   a message, i.e. before it is processed;
///   before_process  commit the batch's offsets, then process it;
///   after_process   process the batch, then commit its offsets;
///   async_threads   hand messages to processing threads, auto-commit on poll.
enum class CommitMode { auto_commit, before_process, after_process, async_threads };
const char* to_string(CommitMode m);
/// nullopt for a name that is not a mode.
std::optional<CommitMode> commit_mode(const std::string& name);

/// What every worker is told: where the cluster and its journal are.
struct WorkerTarget {
  std::string bootstrap;
  std::string topic = "kchaos";
  uint64_t run_id = 0;
  std::string journal;  // the journal file the worker appends to
};

struct ProducerSpec {
  WorkerTarget target;
  uint32_t producer_id = 1;
  Settings config;  // librdkafka properties
  int message_bytes = 100;
  int keys = 64;
  /// Messages per second; 0 is unbounded.
  int rate = 1000;
  /// Stop after this many (0: produce until duration_s).
  long long messages = 0;
  double duration_s = 60;
  /// The bounded flush at the end; what is left is purged and journaled as unknown.
  double flush_timeout_s = 30;
};

struct ConsumerSpec {
  WorkerTarget target;
  uint32_t consumer_id = 1;
  std::string group = "kchaos-verifier";
  Settings config;
  CommitMode commit = CommitMode::after_process;
  int batch_size = 100;
  int process_delay_ms = 0;
  int threads = 4;  // async_threads only
  double duration_s = 600;
};

struct AuditSpec {
  WorkerTarget target;
  std::string group = "kchaos-verifier";  // whose committed offsets to read
  double timeout_s = 120;                 // to read every partition
};

/// One field of a worker spec: its name (in the spec file, and in a
/// scenario's producer or consumer section when a scenario may set it) and
/// the bounds a scenario must keep for a whole number. Each spec's fields
/// are listed once, in producer_fields and consumer_fields: the spec files,
/// the scenario's sections, their validation and the field reference all
/// walk that list.
struct Field {
  const char* name;
  bool in_scenario = false;
  long long min = 0;
  long long max = 0;
  /// A scenario may also write "unbounded" (0).
  bool or_unbounded = false;
};

/// Calls visit(field, member) for every field of s beyond its target, in
/// the order a scenario's section lists them (S: ProducerSpec, const or not).
template <typename S, typename Visit>
void producer_fields(S& s, Visit&& visit) {
  visit(Field{"producer_id"}, s.producer_id);
  visit(Field{"config", true}, s.config);
  visit(Field{"message_bytes", true, 32, 1 << 20}, s.message_bytes);
  visit(Field{"keys", true, 1, 1 << 20}, s.keys);
  visit(Field{"rate", true, 1, 10'000'000, true}, s.rate);
  visit(Field{"messages", true, 0, 1'000'000'000'000LL}, s.messages);
  visit(Field{"duration_s"}, s.duration_s);
  visit(Field{"flush_timeout_s"}, s.flush_timeout_s);
}

template <typename S, typename Visit>
void consumer_fields(S& s, Visit&& visit) {
  visit(Field{"consumer_id"}, s.consumer_id);
  visit(Field{"group", true}, s.group);
  visit(Field{"config", true}, s.config);
  visit(Field{"commit", true}, s.commit);
  visit(Field{"batch_size", true, 1, 100000}, s.batch_size);
  visit(Field{"process_delay_ms", true, 0, 60000}, s.process_delay_ms);
  visit(Field{"threads", true, 1, 64}, s.threads);
  visit(Field{"duration_s"}, s.duration_s);
}

/// Every commit mode's name, in the order of CommitMode.
const std::vector<std::string>& commit_mode_names();
/// A CommitMode in a spec file is its name.
void to_json(Json& j, CommitMode m);
void from_json(const Json& j, CommitMode& m);

void to_json(Json& j, const ProducerSpec& s);
void from_json(const Json& j, ProducerSpec& s);
void to_json(Json& j, const ConsumerSpec& s);
void from_json(const Json& j, ConsumerSpec& s);
void to_json(Json& j, const AuditSpec& s);
void from_json(const Json& j, AuditSpec& s);

}  // namespace kchaos::protocol
