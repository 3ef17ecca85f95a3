#pragma once
// Writing a file so that a reader (or a controller killed mid-write) sees
// the old contents or the new, never half of them.

#include <filesystem>
#include <fstream>
#include <string>

#include "kchaos/common/Error.h"

namespace kchaos {

/// Writes text to a temporary file beside file, then renames it over file.
/// Throws HarnessError when it cannot be written.
inline void write_atomically(const std::filesystem::path& file, const std::string& text) {
  const std::filesystem::path tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << text;
    if (!out.flush()) throw HarnessError("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, file);
}

}  // namespace kchaos
