#include "Evidence.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>
#include <string_view>
#include <tuple>

#include "kchaos/journal/Journal.h"

namespace kchaos::reports::detail {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kFaultWindowUs = 5'000'000;

/// The example indices for (producer, seq), sorted for binary search.
class ExampleIndex {
 public:
  explicit ExampleIndex(const std::vector<Example>& examples) {
    for (size_t i = 0; i < examples.size(); ++i) {
      keys_.emplace_back(examples[i].producer_id, examples[i].seq, i);
    }
    std::sort(keys_.begin(), keys_.end());
  }
  template <typename F>
  void each(uint32_t producer_id, uint64_t first, uint64_t count, F&& f) const {
    auto it =
        std::lower_bound(keys_.begin(), keys_.end(), std::tuple(producer_id, first, size_t{0}));
    for (; it != keys_.end() && std::get<0>(*it) == producer_id && std::get<1>(*it) - first < count;
         ++it) {
      f(std::get<2>(*it));
    }
  }

 private:
  std::vector<std::tuple<uint32_t, uint64_t, size_t>> keys_;
};

/// The producer record that decided a seq's outcome: acked > failed >
/// unknown > created.
struct Decisive {
  int rank = 0;
  int64_t time_us = 0;
  int32_t error = 0;
};

int rank_of(journal::ProducerOutcome o) {
  switch (o) {
    case journal::ProducerOutcome::acked:
      return 4;
    case journal::ProducerOutcome::failed:
      return 3;
    case journal::ProducerOutcome::unknown:
      return 2;
    case journal::ProducerOutcome::created:
      return 1;
  }
  return 0;
}

/// The length of the well-formed UTF-8 sequence (RFC 3629) at the start of
/// s, or 0.
size_t utf8_length(std::string_view s) {
  const auto c = static_cast<unsigned char>(s[0]);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < n) return 0;
  const auto second = static_cast<unsigned char>(s[1]);
  if (second < lo || second > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

}  // namespace

std::string printable_text(const char* text, size_t size) {
  std::string_view in(text, strnlen(text, size));
  std::string out;
  while (!in.empty()) {
    const size_t n = utf8_length(in);
    const auto c = static_cast<unsigned char>(in[0]);
    if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7F))) {
      out += n == 1 && std::isspace(c) ? " " : "\xEF\xBF\xBD";  // U+FFFD
      in.remove_prefix(1);
    } else {
      out.append(in.substr(0, n));
      in.remove_prefix(n);
    }
  }
  return out;
}

void fill_evidence(const ConfigurationFiles& files, bool read_audit,
                   const std::vector<FaultRecord>& faults, std::vector<Example>& examples) {
  const ExampleIndex index(examples);
  std::vector<Decisive> decisive(examples.size());
  for (const auto& path : files.producer_journals) {
    std::error_code ec;
    if (fs::file_size(path, ec) < sizeof(journal::Header) || ec) continue;
    try {
      journal::read<journal::ProducerRecord>(path, [&](const journal::ProducerRecord& r) {
        const auto outcome = static_cast<journal::ProducerOutcome>(r.outcome);
        const uint64_t count = outcome == journal::ProducerOutcome::created ? r.count : 1;
        index.each(r.producer_id, r.seq, count, [&](size_t i) {
          const int rank = rank_of(outcome);
          if (rank <= decisive[i].rank) return;
          decisive[i] = {rank, r.time_us, r.error};
        });
      });
    } catch (const journal::JournalError&) {
      // Not a producer journal: the first reading named it as damage.
    }
  }
  for (size_t i = 0; i < examples.size(); ++i) {
    examples[i].ack_time_us = decisive[i].time_us;
    if (decisive[i].error != 0) {
      examples[i].detail += " (producer error " + std::to_string(decisive[i].error) + ")";
    }
  }

  std::vector<bool> wants_positions(examples.size());
  for (size_t i = 0; i < examples.size(); ++i)
    wants_positions[i] = examples[i].log_positions.empty();
  if (read_audit) {
    journal::read<journal::AuditRecord>(files.audit_journal, [&](const journal::AuditRecord& r) {
      if (static_cast<journal::AuditEvent>(r.event) != journal::AuditEvent::record) return;
      if (r.flags & (journal::kAuditCorrupt | journal::kAuditForeign)) return;
      index.each(r.producer_id, r.seq, 1, [&](size_t i) {
        if (wants_positions[i]) examples[i].log_positions.emplace_back(r.partition, r.offset);
      });
    });
  }

  for (Example& e : examples) {
    if (e.ack_time_us == 0) continue;
    for (const FaultRecord& f : faults) {
      if (f.injected_us == 0) continue;
      const int64_t healed = f.healed_us == 0 ? std::numeric_limits<int64_t>::max() : f.healed_us;
      const bool overlaps = f.injected_us <= e.ack_time_us + kFaultWindowUs &&
                            healed >= e.ack_time_us - kFaultWindowUs;
      if (overlaps &&
          std::find(e.faults.begin(), e.faults.end(), f.description) == e.faults.end()) {
        e.faults.push_back(f.description);
      }
    }
  }
}

}  // namespace kchaos::reports::detail
