#pragma once
// The checker: joins the producer, log (audit) and consumer views of every
// seq of one configuration into a Verdict. It reads only the journals: first
// into a history of every seq (reports/src/History.h), which a pure judge
// (Judge.h) turns into the Verdict; then, for the examples it chose, the
// evidence (Evidence.h).

#include <cstddef>
#include <filesystem>
#include <vector>

#include "kchaos/reports/Retention.h"
#include "kchaos/reports/Verdict.h"

namespace kchaos::reports {

/// The journals of one configuration directory.
struct ConfigurationFiles {
  std::vector<std::filesystem::path> producer_journals, consumer_journals;
  /// The journals the controller's workers were to write (the worker names
  /// of its *.spec.json files): one that is missing or unreadable is damage.
  std::vector<std::filesystem::path> expected_journals;
  /// May not exist: then nothing in the log can be verified (events: no
  /// faults are shown beside examples).
  std::filesystem::path audit_journal, events_journal;

  /// producer-*.journal and consumer-*.journal (sorted), audit.journal,
  /// events.journal and the journals the *.spec.json files promise, of dir.
  static ConfigurationFiles in_directory(const std::filesystem::path& dir);
};

/// Streams the journals once (and the producer and audit journals a second
/// time when there are examples to fill in); memory is about 24 bytes per
/// created seq plus one bit per log offset, bounded by the journals' sizes.
/// retention is the topic's, as the run configured it: it tells expired
/// records from lost ones. Damaged journals never throw: they are noted in
/// the verdict's health (health.damage).
Verdict reconcile(const ConfigurationFiles& files, size_t max_examples = 10,
                  const Retention& retention = {});

}  // namespace kchaos::reports
