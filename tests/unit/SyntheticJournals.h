#pragma once
// Synthetic journals for the reconciler's unit tests: one configuration's
// journals written record by record into a temporary directory.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "kchaos/journal/Journal.h"
#include "kchaos/reports/Reconcile.h"

namespace kchaos::reports {

namespace fs = std::filesystem;
using journal::EventType;

inline constexpr uint64_t kRunId = 7;
inline constexpr int64_t kT0 = 1'700'000'000'000'000;  // wall clock, us

/// Writes the journals of one configuration into a temporary directory.
class Journals {
 public:
  Journals() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "kchaos-reports-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
  }
  ~Journals() {
    close();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  Journals(const Journals&) = delete;
  Journals& operator=(const Journals&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  // ---- producer view ----
  void created(uint32_t producer, uint64_t seq, uint32_t count = 1, int64_t time_us = kT0) {
    produce(producer, seq, journal::ProducerOutcome::created, -1, -1, time_us, 0, count);
  }
  void acked(uint32_t producer, uint64_t seq, int32_t partition, int64_t offset,
             int64_t time_us = kT0) {
    produce(producer, seq, journal::ProducerOutcome::acked, partition, offset, time_us, 0);
  }
  void failed(uint32_t producer, uint64_t seq, int32_t error = -192, int64_t time_us = kT0) {
    produce(producer, seq, journal::ProducerOutcome::failed, -1, -1, time_us, error);
  }
  void unknown(uint32_t producer, uint64_t seq, int64_t time_us = kT0) {
    produce(producer, seq, journal::ProducerOutcome::unknown, -1, -1, time_us, -152);
  }
  /// created + acked.
  void sent(uint32_t producer, uint64_t seq, int32_t partition, int64_t offset) {
    created(producer, seq);
    acked(producer, seq, partition, offset);
  }

  // ---- log view ----
  void logged(int32_t partition, int64_t offset, uint32_t producer, uint64_t seq, uint32_t key = 0,
              uint8_t flags = 0) {
    journal::AuditRecord r{};
    r.event = static_cast<uint8_t>(journal::AuditEvent::record);
    r.partition = partition;
    r.offset = offset;
    r.producer_id = producer;
    r.seq = seq;
    r.key_id = key;
    r.flags = flags;
    audit().append(r);
  }
  void range(int32_t partition, int64_t start, int64_t high, bool complete = true,
             int64_t measured_us = 0) {
    journal::AuditRecord r{};
    r.event = static_cast<uint8_t>(journal::AuditEvent::partition_range);
    r.seq = static_cast<uint64_t>(measured_us);
    r.partition = partition;
    r.offset = start;
    r.high = high;
    r.flags = complete ? journal::kAuditComplete : 0;
    audit().append(r);
  }
  void committed(int32_t partition, int64_t offset) {
    journal::AuditRecord r{};
    r.event = static_cast<uint8_t>(journal::AuditEvent::group_committed);
    r.partition = partition;
    r.offset = offset;
    audit().append(r);
  }

  // ---- consumer view ----
  void processed(uint32_t producer, uint64_t seq, int32_t partition, int64_t offset,
                 uint32_t consumer_id = 0) {
    journal::ConsumerRecord r{};
    r.event = static_cast<uint8_t>(journal::ConsumerEvent::processed);
    r.producer_id = producer;
    r.seq = seq;
    r.partition = partition;
    r.offset = offset;
    r.generation = 1;
    r.time_us = kT0;
    consumer(consumer_id).append(r);
  }

  // ---- events ----
  void event(journal::EventType type, int64_t time_us, int32_t target, const std::string& text,
             uint16_t fault = 0) {
    journal::EventRecord e{};
    e.fault = fault;
    e.type = static_cast<uint8_t>(type);
    e.time_us = time_us;
    e.mono_us = time_us - kT0;
    e.target = target;
    std::snprintf(e.text, sizeof e.text, "%s", text.c_str());
    if (!events_)
      events_ = std::make_unique<journal::Writer<journal::EventRecord>>(dir_ / "events.journal",
                                                                        kRunId, 0);
    events_->append(e);
  }

  /// Flushes and closes every writer (before reconciling or editing files).
  void close() {
    producers_.clear();
    consumers_.clear();
    audit_.reset();
    events_.reset();
  }

  Verdict reconcile(size_t max_examples = 10, const Retention& retention = {}) {
    close();
    return reports::reconcile(ConfigurationFiles::in_directory(dir_), max_examples, retention);
  }
  /// The cluster was whole (or not) after the faults.
  void recovered(bool whole = true) {
    event(journal::EventType::recovery, kT0 + 100'000'000, whole ? 1 : 0, "");
  }

  journal::Writer<journal::AuditRecord>& audit() {
    if (!audit_)
      audit_ = std::make_unique<journal::Writer<journal::AuditRecord>>(dir_ / "audit.journal",
                                                                       kRunId, 0);
    return *audit_;
  }
  journal::Writer<journal::ProducerRecord>& producer(uint32_t id) {
    auto& w = producers_[id];
    if (!w) {
      w = std::make_unique<journal::Writer<journal::ProducerRecord>>(
          dir_ / ("producer-" + std::to_string(id) + ".journal"), kRunId, id);
    }
    return *w;
  }
  journal::Writer<journal::ConsumerRecord>& consumer(uint32_t id) {
    auto& w = consumers_[id];
    if (!w) {
      w = std::make_unique<journal::Writer<journal::ConsumerRecord>>(
          dir_ / ("consumer-" + std::to_string(id) + ".journal"), kRunId, id);
    }
    return *w;
  }

 private:
  void produce(uint32_t producer_id, uint64_t seq, journal::ProducerOutcome outcome,
               int32_t partition, int64_t offset, int64_t time_us, int32_t error,
               uint32_t count = 1) {
    journal::ProducerRecord r{};
    r.seq = seq;
    r.producer_id = producer_id;
    r.outcome = static_cast<uint8_t>(outcome);
    r.partition = partition;
    r.count = count;
    r.offset = offset;
    r.time_us = time_us;
    r.error = error;
    producer(producer_id).append(r);
  }

  std::filesystem::path dir_;
  std::map<uint32_t, std::unique_ptr<journal::Writer<journal::ProducerRecord>>> producers_;
  std::map<uint32_t, std::unique_ptr<journal::Writer<journal::ConsumerRecord>>> consumers_;
  std::unique_ptr<journal::Writer<journal::AuditRecord>> audit_;
  std::unique_ptr<journal::Writer<journal::EventRecord>> events_;
};

/// Every count zero except those given.
inline void expect_counts(const Verdict& v, const std::map<std::string, uint64_t>& nonzero) {
  for (const auto& name : anomaly_names()) {
    auto it = nonzero.find(name);
    ASSERT_EQ(v.counts.count(name), 1u) << name;
    EXPECT_EQ(v.counts.at(name), it == nonzero.end() ? 0 : it->second) << name;
  }
  EXPECT_TRUE(v.equation_holds) << v.equation;
}

/// All partitions 0..n-1 fully read to high.
inline void complete_ranges(Journals& j, int32_t n, int64_t high) {
  for (int32_t p = 0; p < n; ++p) j.range(p, 0, high);
}

inline const Example* find_example(const Verdict& v, const std::string& anomaly) {
  for (const auto& e : v.examples) {
    if (e.anomaly == anomaly) return &e;
  }
  return nullptr;
}

}  // namespace kchaos::reports
