#pragma once
// Small librdkafka clients for tests that check the cluster from outside.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
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

/// Polls cond every 200 ms until it holds (exceptions count as "not yet")
/// or timeout passes.
template <typename Cond>
bool eventually(std::chrono::milliseconds timeout, Cond cond) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (cond()) return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(200ms);
  }
  return false;
}

/// Whether a TCP connection to host:port completes within timeout.
bool answers(const std::string& host, int port, std::chrono::milliseconds timeout);

}  // namespace kchaos::test
