#pragma once
// The worker protocol, worker to controller: one JSON object per line on
// the worker's stdout, {"name": ..., "time": <seconds>, fields...}. Both
// sides use these types; a field a line lacks reads as its default.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kchaos/common/Json.h"

namespace kchaos::protocol {

/// The names of the events workers print.
namespace event {
inline constexpr const char* kStarted = "started";
inline constexpr const char* kProgress = "progress";  // every second (consumer: 0.5 s)
inline constexpr const char* kDone = "done";          // the final counts
inline constexpr const char* kFlushing = "flushing";
inline constexpr const char* kSummary = "summary";
inline constexpr const char* kAssigned = "assigned";
inline constexpr const char* kRevoked = "revoked";
inline constexpr const char* kBatchBegin = "batch_begin";
inline constexpr const char* kBatchEnd = "batch_end";
inline constexpr const char* kConsumeError = "consume_error";
inline constexpr const char* kCommitFailed = "commit_failed";
inline constexpr const char* kPartitionUnreadable = "partition_unreadable";
inline constexpr const char* kError = "error";
}  // namespace event

/// Upper bounds (seconds) of the latency histogram buckets workers report,
/// which the controller's Prometheus histograms use as they are.
inline const std::vector<double> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                    0.25,  0.5,    1,     2.5,  5,     10,   30};

/// Latency over one reporting interval.
struct LatencyWindow {
  std::optional<double> p50_ms, p99_ms, max_ms;  // none without samples
  /// Counts per kLatencyBuckets bound, plus one for +Inf.
  std::vector<uint64_t> buckets;
  double sum_s = 0;
};

/// A producer's progress and done events: cumulative counts.
struct ProducerProgress {
  uint64_t sent = 0, acked = 0, failed = 0, unknown = 0;
  int64_t in_flight = 0;
  LatencyWindow latency;  // produce() to delivery report
};

/// A consumer's progress and done events.
struct ConsumerProgress {
  uint64_t consumed = 0, corrupt = 0, foreign = 0, commits = 0, commit_failures = 0;
  /// Partitions the group gives this member now (0 while it waits for them).
  uint64_t assigned_partitions = 0;
  /// The next offset to process, per partition.
  std::map<int32_t, int64_t> positions;
  LatencyWindow end_to_end;  // message timestamp to processing
};

/// The audit's done event.
struct AuditDone {
  uint64_t records = 0, corrupt = 0, partitions = 0, complete = 0;
  std::string committed_error;
};

/// A batch_begin or batch_end event.
struct Batch {
  uint64_t count = 0;
};

void to_json(Json& j, const LatencyWindow& l);
void from_json(const Json& j, LatencyWindow& l);
void to_json(Json& j, const ProducerProgress& p);
void from_json(const Json& j, ProducerProgress& p);
void to_json(Json& j, const ConsumerProgress& p);
void from_json(const Json& j, ConsumerProgress& p);
void to_json(Json& j, const AuditDone& d);
void from_json(const Json& j, AuditDone& d);
void to_json(Json& j, const Batch& b);
void from_json(const Json& j, Batch& b);

/// One event line: {"name": name, "time": time_s} and the fields of body.
std::string event_line(const std::string& name, double time_s, const Json& body);

}  // namespace kchaos::protocol
