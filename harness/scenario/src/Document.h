#pragma once
// Internal to the scenario parser: a scenario file read into JSON with the
// bounds a scenario must keep, every failure a UserError naming the file and,
// where there is one, the JSON path.

#include <cstddef>
#include <string>

#include "kchaos/common/Json.h"

namespace kchaos::scenario::detail {

/// A scenario is a few levels deep; deeper nesting is refused before it can
/// exhaust the stack.
inline constexpr int kMaxNesting = 64;
/// A scenario is a few kilobytes.
inline constexpr size_t kMaxDocumentBytes = 1 << 20;

/// Parses text (the contents of file) and refuses duplicate keys, nesting
/// beyond kMaxNesting, documents over kMaxDocumentBytes and numbers out of
/// range.
Json read_document(const std::string& text, const std::string& file);

}  // namespace kchaos::scenario::detail
