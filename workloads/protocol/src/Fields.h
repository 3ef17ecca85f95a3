#pragma once
// Internal to the protocol: reading one field of a spec or an event.

#include "kchaos/common/Json.h"

namespace kchaos::protocol::detail {

/// Reads j[key] into field when present; otherwise field keeps its member
/// initializer, the one default.
template <typename T>
void read(const Json& j, const char* key, T& field) {
  if (j.contains(key) && !j[key].is_null()) field = j[key].get<T>();
}

}  // namespace kchaos::protocol::detail
