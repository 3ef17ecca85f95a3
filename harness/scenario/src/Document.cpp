#include "Document.h"

#include <sstream>
#include <vector>

#include "kchaos/common/Error.h"

namespace kchaos::scenario::detail {
namespace {

// Where the parser is: a frame per open object or array.
struct Frame {
  bool array = false;
  size_t index = 0;
  std::string key;
  std::vector<std::string> keys;  // objects: the keys seen so far
};

std::string path_of(const std::vector<Frame>& frames) {
  std::string path = "$";
  for (const auto& f : frames) {
    if (f.array) {
      path += "[" + std::to_string(f.index) + "]";
    } else if (!f.key.empty()) {
      path = key_path(path, f.key);
    }
  }
  return path;
}

}  // namespace

Json read_document(const std::string& text, const std::string& file) {
  if (text.size() > kMaxDocumentBytes) {
    throw UserError(file, "is " + std::to_string(text.size()) + " bytes; a scenario may have " +
                              std::to_string(kMaxDocumentBytes) + " at most");
  }
  std::vector<Frame> frames;
  auto element_done = [&] {
    if (!frames.empty() && frames.back().array) ++frames.back().index;
  };
  auto on_event = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth > kMaxNesting) {
      std::string where = path_of(frames);
      if (where.size() > 40) where = where.substr(0, 40) + "...";
      throw UserError(file + ": " + where, "nested deeper than " + std::to_string(kMaxNesting) +
                                               " levels; a scenario is a few levels deep");
    }
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        frames.push_back({event == Json::parse_event_t::array_start, 0, "", {}});
        break;
      case Json::parse_event_t::key: {
        Frame& f = frames.back();
        f.key = parsed.get<std::string>();
        for (const auto& k : f.keys) {
          if (k == f.key) {
            throw UserError(file + ": " + path_of(frames),
                            "appears twice in the same object; a duplicate would silently win");
          }
        }
        f.keys.push_back(f.key);
        break;
      }
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        frames.pop_back();
        element_done();
        break;
      case Json::parse_event_t::value:
        element_done();
        break;
    }
    return true;
  };
  try {
    return Json::parse(text, on_event);
  } catch (const Json::parse_error& e) {
    throw UserError(file, std::string("not valid JSON: ") + e.what());
  } catch (const Json::exception& e) {
    // Out-of-range numbers such as 1e400, invalid UTF-8 in a string.
    throw UserError(file + ": " + path_of(frames), e.what());
  }
}

}  // namespace kchaos::scenario::detail
