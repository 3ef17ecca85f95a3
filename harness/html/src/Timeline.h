#pragma once
// Internal to the report page: a configuration's timeline as inline SVG.

#include <string>

#include "kchaos/html/RunData.h"

namespace kchaos::html::detail {

/// One chart on a shared time axis (seconds since the configuration began):
/// messages per second (acknowledged, failed, consumed), produce latency
/// (p50, p99), consumer lag; the phases as shaded spans, every fault as a
/// labelled band from inject to heal (overlapping faults in lanes of their
/// own), and each anomaly example as a mark at its producer outcome time.
std::string timeline_svg(const ConfigurationView& c);

}  // namespace kchaos::html::detail
