#include "kchaos/reports/Reconcile.h"

#include <algorithm>
#include <cstdlib>

#include "Reconciler.h"
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

void Reconciler::damaged(const std::string& what) {
  v_.health.damage.push_back(what);
  v_.health.notes.push_back(what);
}

template <typename R>
bool Reconciler::read_journal(const fs::path& path, const std::function<void(const R&)>& on_record,
                              bool torn_is_damage) {
  const std::string name = path.filename().string();
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) {
    damaged(name + ": cannot be read (" + ec.message() + ")");
    return false;
  }
  if (size < sizeof(journal::Header)) {
    // Its writer was killed between creating the file and writing the header.
    ++v_.health.torn_tails;
    v_.health.notes.push_back(name + ": shorter than a journal header, read as empty");
    return false;
  }
  // No record can claim more than the file can hold (see Records.cpp).
  records_in_file_ = (size - sizeof(journal::Header)) / sizeof(R);
  try {
    const journal::ReadSummary s = journal::read<R>(path, on_record);
    run_ids_.insert(s.header.run_id);
    if (s.torn_tail) {
      ++v_.health.torn_tails;
      const std::string what =
          name + ": torn tail (writer killed mid-record), partial record dropped";
      if (torn_is_damage) {
        damaged(what + "; this writer is never killed, so the file is incomplete");
      } else {
        v_.health.notes.push_back(what);
      }
    }
    if (s.bad_records > 0) {
      v_.health.bad_records += s.bad_records;
      damaged(name + ": " + std::to_string(s.bad_records) +
              " record(s) failed their CRC and were dropped");
    }
  } catch (const journal::JournalError& e) {
    damaged(name + ": " + e.what());
    return false;
  }
  return true;
}

// A worker whose journal is missing or unreadable leaves a hole no verdict
// may paper over.
void Reconciler::check_expected_journals() {
  for (const auto& path : files_.expected_journals) {
    const std::string name = path.filename().string();
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || size < sizeof(journal::Header)) {
      damaged(name + (ec ? " is missing" : " holds no journal header") +
              ", though its worker ran: " +
              (name.starts_with("producer-") ? "what that producer created cannot be counted"
                                             : "what the consumer processed cannot be counted"));
      if (name.starts_with("consumer-")) consumer_view_damaged_ = true;
      if (name.starts_with("producer-")) {
        missing_producers_.insert(
            static_cast<uint32_t>(std::strtoul(name.c_str() + 9, nullptr, 10)));
      }
    }
  }
}

Verdict Reconciler::run() {
  events_ = read_events(files_.events_journal, v_.health);
  check_expected_journals();
  for (const auto& path : files_.producer_journals) {
    read_journal<journal::ProducerRecord>(path, [this](const auto& r) { on_producer(r); });
  }
  std::error_code ec;
  const size_t damage_before_audit = v_.health.damage.size();
  if (!files_.audit_journal.empty() && fs::exists(files_.audit_journal, ec)) {
    audit_read_ = read_journal<journal::AuditRecord>(
        files_.audit_journal, [this](const auto& r) { on_audit(r); }, /*torn_is_damage=*/true);
    note_audit_damage();
  }
  if (!audit_read_) {
    v_.health.notes.push_back("no audit journal: nothing in the log can be verified");
  } else if (v_.health.damage.size() > damage_before_audit) {
    // A damaged audit proves no absence: what it lacks is unverifiable.
    partitions_.distrust_audit();
    v_.health.notes.push_back("audit.journal is damaged: what is missing from it is unverifiable");
  }
  for (const auto& path : files_.consumer_journals) {
    const size_t before = v_.health.damage.size();
    read_journal<journal::ConsumerRecord>(path, [this](const auto& r) { on_consumer(r); });
    if (v_.health.damage.size() > before) consumer_view_damaged_ = true;
  }
  classify();
  finish();
  return std::move(v_);
}

}  // namespace detail

Verdict reconcile(const ConfigurationFiles& files, size_t max_examples,
                  const Retention& retention) {
  return detail::Reconciler(files, max_examples, retention).run();
}

}  // namespace kchaos::reports
