#pragma once
// Small librdkafka clients for tests that check the cluster from outside.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kchaos::test {

using namespace std::chrono_literals;

struct Delivery {
  std::string value;
  int32_t partition = -1;
  int64_t offset = -1;
  int error = 0;  // rd_kafka_resp_err_t
};

/// Produces values "<prefix>-<i>" (keyed by themselves) for i in [0, count), returning every
/// delivery report (flushes for at most flush_timeout).
std::vector<Delivery> produce(const std::string& bootstrap, const std::string& topic,
                              const std::string& prefix, int count,
                              const std::map<std::string, std::string>& properties = {},
                              std::chrono::milliseconds flush_timeout = 60s);

/// Every value in the topic, from the log start to the high watermark.
std::vector<std::string> read_all(const std::string& bootstrap, const std::string& topic);

/// Whether a TCP connection to host:port completes within timeout.
bool answers(const std::string& host, int port, std::chrono::milliseconds timeout);

}  // namespace kchaos::test
