#pragma once
// Internal to the unit tests: the generated block of a docs page, between
// its "<!-- NAME:begin ... -->" line and "<!-- NAME:end -->".

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace kchaos::test {

/// The block of docs/PAGE named name; fails the test when it is missing.
inline std::string doc_block(const std::string& page, const std::string& name) {
  std::ifstream in(std::filesystem::path(KCHAOS_SOURCE_DIR) / "docs" / page);
  std::stringstream text_stream;
  text_stream << in.rdbuf();
  const std::string text = text_stream.str();
  const auto begin = text.find("<!-- " + name + ":begin");
  const auto end = text.find("<!-- " + name + ":end -->");
  if (begin == std::string::npos || end == std::string::npos) {
    ADD_FAILURE() << "docs/" << page << " has no " << name << " block";
    return "";
  }
  const auto start = text.find('\n', begin) + 1;
  return text.substr(start, end - start);
}

}  // namespace kchaos::test
