#pragma once
// The one JSON type of kchaos: objects keep the order they were written in
// (a scenario's matrix keys, a report's fields), and every layer passes it
// around without conversions.

#include <nlohmann/json.hpp>

namespace kchaos {

using Json = nlohmann::ordered_json;

}  // namespace kchaos
