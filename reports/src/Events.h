#pragma once
// Internal to reconcile(): what the events journal says about a
// configuration (its phases, its faults, whether the cluster recovered).

#include <filesystem>
#include <optional>
#include <vector>

#include "kchaos/reports/Verdict.h"

namespace kchaos::reports::detail {

struct EventsView {
  std::vector<PhaseRecord> phases;
  /// Every planned fault (by index) and every injection, paired with its heal.
  std::vector<FaultRecord> faults;
  std::optional<bool> recovered;
  /// The newest wall-clock time in the journal (0 when empty).
  int64_t last_time_us = 0;
};

/// Reads path (which may not exist: then the view is empty); damage is
/// dropped and noted in health.
EventsView read_events(const std::filesystem::path& path, JournalHealth& health);

}  // namespace kchaos::reports::detail
