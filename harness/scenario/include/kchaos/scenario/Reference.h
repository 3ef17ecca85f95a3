#pragma once
// Every field of a scenario file as the parser reads it: its type, default,
// allowed values and meaning. docs/scenarios.md holds this table, and a test
// keeps the two equal.

#include <string>

namespace kchaos::scenario {

/// The reference as a Markdown table (what `kchaos fields` prints).
std::string field_table();

/// What the table misses: a field a section allows but the table does not
/// describe, or a row without a meaning; empty when it is whole.
std::string reference_gaps();

}  // namespace kchaos::scenario
