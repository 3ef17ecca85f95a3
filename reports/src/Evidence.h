#pragma once
// Internal to reconcile(): completes the examples once they are chosen.

#include <vector>

#include "kchaos/reports/Reconcile.h"

namespace kchaos::reports::detail {

/// Re-reads the producer and audit journals for just the example seqs: the
/// time (and error) of the record that decided each one's outcome, and every
/// log position it holds (for examples that have none yet). Then names the
/// faults (of the events journal) active within 5 s of each example's time.
void fill_evidence(const ConfigurationFiles& files, bool read_audit,
                   const std::vector<FaultRecord>& faults, std::vector<Example>& examples);

/// text, cut at its first NUL or at size, with bytes that are not UTF-8
/// replaced, so that JSON can carry it.
std::string printable_text(const char* text, size_t size);

}  // namespace kchaos::reports::detail
