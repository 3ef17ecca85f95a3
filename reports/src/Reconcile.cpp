// The reading side of reconcile(): which journals a configuration holds, and
// read_history(), which streams each of them once into a HistoryBuilder and
// notes what it cannot read. Then reconcile() judges the History and fills in
// the evidence of the examples chosen.

#include "kchaos/reports/Reconcile.h"

#include <algorithm>
#include <cstdlib>

#include "Evidence.h"
#include "History.h"
#include "Judge.h"
#include "kchaos/journal/Journal.h"

namespace kchaos::reports {

namespace fs = std::filesystem;

ConfigurationFiles ConfigurationFiles::in_directory(const fs::path& dir) {
  ConfigurationFiles f;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".spec.json")) {
      const std::string worker = name.substr(0, name.size() - 10);
      if (worker.starts_with("producer-") || worker.starts_with("consumer-")) {
        f.expected_journals.push_back(dir / (worker + ".journal"));
      }
      continue;
    }
    if (!name.ends_with(".journal")) continue;
    if (name.starts_with("producer-")) f.producer_journals.push_back(entry.path());
    if (name.starts_with("consumer-")) f.consumer_journals.push_back(entry.path());
  }
  // producer-2 before producer-10.
  auto by_name = [](const fs::path& a, const fs::path& b) {
    const std::string x = a.filename().string(), y = b.filename().string();
    return std::pair(x.size(), x) < std::pair(y.size(), y);
  };
  std::sort(f.producer_journals.begin(), f.producer_journals.end(), by_name);
  std::sort(f.consumer_journals.begin(), f.consumer_journals.end(), by_name);
  std::sort(f.expected_journals.begin(), f.expected_journals.end(), by_name);
  f.audit_journal = dir / "audit.journal";
  f.events_journal = dir / "events.journal";
  return f;
}

namespace detail {

namespace {

/// Reads a journal into b; false when it could not be read at all. Damage
/// (CRC failures, a wrong header; a torn tail where torn_is_damage) is noted.
template <typename R>
bool read_journal(const fs::path& path, HistoryBuilder& b, bool torn_is_damage = false) {
  const std::string name = path.filename().string();
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) {
    b.damaged(name + ": cannot be read (" + ec.message() + ")");
    return false;
  }
  if (size < sizeof(journal::Header)) {
    // Its writer was killed between creating the file and writing the header.
    b.torn_tail(name + ": shorter than a journal header, read as empty", /*is_damage=*/false);
    return false;
  }
  // No record can claim more than the file can hold (see HistoryBuilder.cpp).
  b.records_in_file((size - sizeof(journal::Header)) / sizeof(R));
  try {
    const journal::ReadSummary s = journal::read<R>(path, [&b](const R& r) { b.add(r); });
    b.run_id(s.header.run_id);
    if (s.torn_tail) {
      const std::string what =
          name + ": torn tail (writer killed mid-record), partial record dropped";
      b.torn_tail(torn_is_damage
                      ? what + "; this writer is never killed, so the file is incomplete"
                      : what,
                  torn_is_damage);
    }
    if (s.bad_records > 0) {
      b.bad_records(s.bad_records, name + ": " + std::to_string(s.bad_records) +
                                       " record(s) failed their CRC and were dropped");
    }
  } catch (const journal::JournalError& e) {
    b.damaged(name + ": " + e.what());
    return false;
  }
  return true;
}

// A worker whose journal is missing or unreadable leaves a hole no verdict
// may paper over.
void check_expected_journals(const ConfigurationFiles& files, HistoryBuilder& b) {
  for (const auto& path : files.expected_journals) {
    const std::string name = path.filename().string();
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || size < sizeof(journal::Header)) {
      b.damaged(name + (ec ? " is missing" : " holds no journal header") +
                ", though its worker ran: " +
                (name.starts_with("producer-") ? "what that producer created cannot be counted"
                                               : "what the consumer processed cannot be counted"));
      if (name.starts_with("consumer-")) b.consumer_view_damaged();
      if (name.starts_with("producer-")) {
        b.producer_journal_missing(
            static_cast<uint32_t>(std::strtoul(name.c_str() + 9, nullptr, 10)));
      }
    }
  }
}

}  // namespace

History read_history(const ConfigurationFiles& files, size_t max_examples) {
  HistoryBuilder b(max_examples);
  b.events(read_events(files.events_journal, b.health()));
  check_expected_journals(files, b);
  for (const auto& path : files.producer_journals) read_journal<journal::ProducerRecord>(path, b);
  std::error_code ec;
  if (!files.audit_journal.empty() && fs::exists(files.audit_journal, ec)) {
    const size_t damage_before = b.health().damage.size();
    if (read_journal<journal::AuditRecord>(files.audit_journal, b, /*torn_is_damage=*/true)) {
      b.audit_read(/*damaged=*/b.health().damage.size() > damage_before);
    } else {
      b.audit_unread();
    }
  } else {
    b.audit_unread();
  }
  for (const auto& path : files.consumer_journals) {
    const size_t before = b.health().damage.size();
    read_journal<journal::ConsumerRecord>(path, b);
    if (b.health().damage.size() > before) b.consumer_view_damaged();
  }
  return std::move(b).take();
}

}  // namespace detail

Verdict reconcile(const ConfigurationFiles& files, size_t max_examples,
                  const Retention& retention) {
  const detail::History history = detail::read_history(files, max_examples);
  Verdict v = detail::judge(history, max_examples, retention);
  // The evidence of the examples chosen: a second reading, of just them.
  if (!v.examples.empty()) {
    detail::fill_evidence(files, history.audit_read, v.faults, v.examples);
  }
  return v;
}

}  // namespace kchaos::reports
