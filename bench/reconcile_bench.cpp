// Times reconcile() on synthetic journals of N seqs (default 10,000,000) and
// reports its peak memory per seq.
// Usage: kchaos_reconcile_bench [--seqs N] [--anomalies] [--keep DIR]
//   --anomalies  drops one seq in 10,000 from the log (lost) and leaves one in
//                1,000 unprocessed, so the examples pass runs too.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "kchaos/journal/Journal.h"
#include "kchaos/reports/Reconcile.h"

namespace {

namespace fs = std::filesystem;
using namespace kchaos;

constexpr uint32_t kPartitions = 6;
constexpr uint32_t kKeys = 1000;
constexpr uint32_t kBatch = 1000;
constexpr uint64_t kRunId = 42;

struct Options {
  uint64_t seqs = 10'000'000;
  bool anomalies = false;
  std::string keep;
};

uint32_t partition_of(uint64_t seq) { return static_cast<uint32_t>(seq % kKeys % kPartitions); }
bool dropped(const Options& o, uint64_t seq) { return o.anomalies && seq % 10'000 == 7; }
bool unprocessed(const Options& o, uint64_t seq) { return o.anomalies && seq % 1'000 == 3; }

long max_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

constexpr int64_t kT0 = 1'700'000'000'000'000;

uint64_t write_producer(const fs::path& dir, const Options& o) {
  uint64_t records = 0;
  std::vector<int64_t> next_offset(kPartitions, 0);
  journal::Writer<journal::ProducerRecord> producer(dir / "producer-0.journal", kRunId, 0);
  for (uint64_t first = 0; first < o.seqs; first += kBatch) {
    const uint64_t count = std::min<uint64_t>(kBatch, o.seqs - first);
    journal::ProducerRecord c{};
    c.seq = first;
    c.outcome = static_cast<uint8_t>(journal::ProducerOutcome::created);
    c.partition = -1;
    c.count = static_cast<uint32_t>(count);
    c.offset = -1;
    c.time_us = kT0 + static_cast<int64_t>(first);
    producer.append(c);
    ++records;
    for (uint64_t seq = first; seq < first + count; ++seq) {
      journal::ProducerRecord a{};
      a.seq = seq;
      a.outcome = static_cast<uint8_t>(journal::ProducerOutcome::acked);
      a.partition = static_cast<int32_t>(partition_of(seq));
      a.count = 1;
      a.offset = next_offset[a.partition]++;
      a.time_us = kT0 + static_cast<int64_t>(seq) + 500;
      a.latency_us = 500;
      producer.append(a);
      ++records;
    }
  }
  return records;
}

// The log and the consumer, partition by partition.
uint64_t write_log_and_consumer(const fs::path& dir, const Options& o) {
  uint64_t records = 0;
  journal::Writer<journal::AuditRecord> audit(dir / "audit.journal", kRunId, 0);
  journal::Writer<journal::ConsumerRecord> consumer(dir / "consumer-0.journal", kRunId, 0);
  for (uint32_t p = 0; p < kPartitions; ++p) {
    int64_t offset = 0;
    for (uint64_t seq = 0; seq < o.seqs; ++seq) {
      if (partition_of(seq) != p) continue;
      const int64_t at = offset++;
      if (!dropped(o, seq)) {
        journal::AuditRecord r{};
        r.seq = seq;
        r.event = static_cast<uint8_t>(journal::AuditEvent::record);
        r.partition = static_cast<int32_t>(p);
        r.key_id = static_cast<uint32_t>(seq % kKeys);
        r.offset = at;
        audit.append(r);
        ++records;
      }
      if (!unprocessed(o, seq)) {
        journal::ConsumerRecord c{};
        c.seq = seq;
        c.event = static_cast<uint8_t>(journal::ConsumerEvent::processed);
        c.partition = static_cast<int32_t>(p);
        c.offset = at;
        c.time_us = kT0 + static_cast<int64_t>(seq) + 2000;
        consumer.append(c);
        ++records;
      }
    }
    journal::AuditRecord range{};
    range.event = static_cast<uint8_t>(journal::AuditEvent::partition_range);
    range.flags = journal::kAuditComplete;
    range.partition = static_cast<int32_t>(p);
    range.offset = 0;
    range.high = offset;
    audit.append(range);
    journal::AuditRecord committed{};
    committed.event = static_cast<uint8_t>(journal::AuditEvent::group_committed);
    committed.partition = static_cast<int32_t>(p);
    committed.offset = offset;
    audit.append(committed);
    records += 2;
  }
  return records;
}

/// Returns the number of records written.
uint64_t write_journals(const fs::path& dir, const Options& o) {
  uint64_t records = write_producer(dir, o) + write_log_and_consumer(dir, o);
  journal::Writer<journal::EventRecord> events(dir / "events.journal", kRunId, 0);
  journal::EventRecord e{};
  e.type = static_cast<uint8_t>(journal::EventType::fault_injected);
  e.time_us = kT0 + 1'000'000;
  e.target = 1;
  std::snprintf(e.text, sizeof e.text, "kill broker 1");
  events.append(e);
  e.type = static_cast<uint8_t>(journal::EventType::fault_healed);
  e.time_us = kT0 + 3'000'000;
  events.append(e);
  return records + 2;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--seqs" && i + 1 < argc) {
      o.seqs = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--anomalies") {
      o.anomalies = true;
    } else if (a == "--keep" && i + 1 < argc) {
      o.keep = argv[++i];
    } else {
      std::cerr << "usage: kchaos_reconcile_bench [--seqs N] [--anomalies] [--keep DIR]\n";
      std::exit(2);
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  fs::path dir;
  if (!o.keep.empty()) {
    dir = o.keep;
    fs::create_directories(dir);
  } else {
    std::string pattern = (fs::temp_directory_path() / "kchaos-bench-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      std::perror("mkdtemp");
      return 3;
    }
    dir = pattern;
  }
  for (const char* f :
       {"producer-0.journal", "audit.journal", "consumer-0.journal", "events.journal"}) {
    fs::remove(dir / f);
  }

  std::cout << "writing journals for " << o.seqs << " seqs into " << dir.string() << "\n";
  const uint64_t records = write_journals(dir, o);
  uint64_t bytes = 0;
  for (const auto& entry : fs::directory_iterator(dir)) bytes += entry.file_size();

  const long rss_before_kb = max_rss_kb();
  const auto start = std::chrono::steady_clock::now();
  const reports::Verdict v = reports::reconcile(reports::ConfigurationFiles::in_directory(dir));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const long rss_after_kb = max_rss_kb();

  const double growth = static_cast<double>(rss_after_kb - rss_before_kb) * 1024.0;
  std::printf("records          %llu (%.0f MB of journals)\n",
              static_cast<unsigned long long>(records), static_cast<double>(bytes) / 1e6);
  std::printf("reconcile        %.3f s, %.1f M records/s, %.1f M seqs/s\n", seconds,
              static_cast<double>(records) / seconds / 1e6,
              static_cast<double>(o.seqs) / seconds / 1e6);
  std::printf("peak RSS         %.1f MB before, %.1f MB after: +%.1f MB, %.1f bytes/seq\n",
              static_cast<double>(rss_before_kb) * 1024 / 1e6,
              static_cast<double>(rss_after_kb) * 1024 / 1e6, growth / 1e6,
              growth / static_cast<double>(o.seqs));
  std::printf("verdict          %s\n", v.equation.c_str());
  std::printf("                 lost %llu, unconsumed %llu, consumer-missed %llu, examples %zu\n",
              static_cast<unsigned long long>(v.counts.at("lost")),
              static_cast<unsigned long long>(v.counts.at("unconsumed")),
              static_cast<unsigned long long>(v.counts.at("consumer-missed")), v.examples.size());

  if (o.keep.empty()) fs::remove_all(dir);
  const uint64_t expected_lost = o.anomalies ? (o.seqs + 9'992) / 10'000 : 0;
  const bool right =
      v.equation_holds && v.created == o.seqs && v.counts.at("lost") == expected_lost;
  if (!right) std::printf("UNEXPECTED VERDICT\n");
  return right ? 0 : 1;
}
