#pragma once
// The worker protocol, controller to worker: what each worker is asked to
// do, written by the controller as a JSON spec file and read by the worker.
// Both sides use these types; every default lives here and nowhere else.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

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

void to_json(Json& j, const ProducerSpec& s);
void from_json(const Json& j, ProducerSpec& s);
void to_json(Json& j, const ConsumerSpec& s);
void from_json(const Json& j, ConsumerSpec& s);
void to_json(Json& j, const AuditSpec& s);
void from_json(const Json& j, AuditSpec& s);

}  // namespace kchaos::protocol
