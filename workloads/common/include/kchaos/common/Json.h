#pragma once
// The one JSON type of kchaos: objects keep the order they were written in
// (a scenario's matrix keys, a report's fields), and every layer passes it
// around without conversions.

#include <cctype>
#include <string>

#include <nlohmann/json.hpp>

namespace kchaos {

using Json = nlohmann::ordered_json;

}  // namespace kchaos

namespace kchaos {

/// A value as an error message shows it: JSON (strings quoted, escapes and
/// bytes that are not UTF-8 made visible), cut to max characters.
inline std::string shown(const Json& v, size_t max = 80) {
  std::string s = v.dump(-1, ' ', true, Json::error_handler_t::replace);
  if (s.size() > max) s = s.substr(0, max) + "... (" + std::to_string(s.size()) + " characters)";
  return s;
}

/// path + ".key", or path + "[\"key\"]" for a key that is not a plain name
/// (so that quotes, newlines and escapes in it are shown, not printed).
inline std::string key_path(const std::string& path, const std::string& key) {
  bool plain = !key.empty() && key.size() <= 64;
  for (char c : key) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                      c == '.' || c == '+');
  }
  return plain ? path + "." + key : path + "[" + shown(Json(key), 80) + "]";
}

/// j[key] when it is an object, else an empty one: a damaged file a report
/// reads gives the defaults, not a crash.
inline Json object_at(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_object()) return Json::object();
  return j[key];
}

}  // namespace kchaos
