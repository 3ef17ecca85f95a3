#pragma once
// The topic's retention as a run configured it, so that the reconciler can
// tell a record the topic's own retention may have removed (expired) from one
// that was deleted or truncated (lost).

#include <cstdint>
#include <map>
#include <string>

namespace kchaos::reports {

struct Retention {
  /// retention.ms in force; -1 keeps records forever.
  int64_t ms = 604'800'000;
  /// retention.bytes in force; -1 sets no size limit.
  int64_t bytes = -1;
  /// cleanup.policy holds "delete" (the log start advances) / "compact".
  bool deletes = true;
  bool compacts = false;
  /// The producers' value size: bounds how many bytes a record takes.
  int64_t message_bytes = 100;
  /// "retention.ms=604800000 (Kafka's default), retention.bytes=-1 (Kafka's
  /// default), cleanup.policy=delete (Kafka's default)" for evidence.
  std::string text = "retention.ms=604800000, retention.bytes=-1, cleanup.policy=delete";

  /// Whether time-based retention could have removed a record produced
  /// span_us before the audit read the log.
  bool time_could_remove(int64_t span_us) const;
  /// Whether size-based retention could have removed a record at offset of
  /// a partition whose high watermark is high.
  bool size_could_remove(int64_t offset, int64_t high) const;
};

/// The retention in force for a topic: its own config over the brokers'
/// log.* settings over Kafka's defaults. Numbers that do not parse count as
/// the default and are named so in text.
Retention effective_retention(const std::map<std::string, std::string>& topic_config,
                              const std::map<std::string, std::string>& broker_config,
                              int64_t message_bytes);

}  // namespace kchaos::reports
