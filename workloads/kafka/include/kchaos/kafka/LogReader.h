#pragma once
// Reads whole partitions, from the log start to the high watermark measured
// when the read begins: the audit's view of what the cluster kept.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kchaos/kafka/RdKafka.h"

namespace kchaos::kafka {

using namespace std::chrono_literals;

struct LogRecord {
  int32_t partition = 0;
  int64_t offset = 0;
  std::string_view key;
  std::string_view value;
};

struct PartitionRange {
  int32_t partition = 0;
  int64_t low = -1;   // log start offset
  int64_t high = -1;  // high watermark
  /// Every offset in [low, high) that holds a record was delivered to the
  /// callback. False when the partition had no leader or timed out.
  bool complete = false;
  std::string error;
};

class LogReader {
 public:
  explicit LogReader(const std::string& bootstrap,
                     const std::map<std::string, std::string>& properties = {});

  /// Number of partitions of topic, from fresh metadata; throws on failure.
  int partition_count(const std::string& topic, std::chrono::milliseconds timeout = 10s);

  /// Reads [log start, high watermark) of each partition of topic.
  std::vector<PartitionRange> read(const std::string& topic,
                                   const std::function<void(const LogRecord&)>& on_record,
                                   std::chrono::milliseconds timeout = 60s);

 private:
  HandlePtr rk_;
};

}  // namespace kchaos::kafka
