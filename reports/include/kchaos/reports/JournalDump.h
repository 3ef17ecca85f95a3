#pragma once

#include <filesystem>
#include <ostream>

namespace kchaos::reports {

/// Prints every intact record of a journal of any kind as one JSON object per
/// line, then {"summary": {...}} with the header, record count, torn tail and
/// bad records. Throws journal::JournalError for a file that is not a journal.
void dump_journal(const std::filesystem::path& file, std::ostream& out);

}  // namespace kchaos::reports
