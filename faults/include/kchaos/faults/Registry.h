#pragma once
// The one registry of fault kinds: per kind its name, what it does, its
// parameters with types and defaults, whether it takes a target, whether a
// random block may draw it, and its factory. Validation, random blocks and
// the README's fault table all come from here; adding a kind is one file
// under src/kinds plus one entry in src/Registry.cpp (docs/adding-a-fault.md).

#include <memory>
#include <string>
#include <vector>

#include "kchaos/common/Json.h"
#include "kchaos/faults/Fault.h"

namespace kchaos::faults {

/// One parameter of a fault kind.
struct Param {
  enum class Type {
    boolean,
    whole,        // a whole number >= 1
    seconds,      // a number of seconds >= 0
    probability,  // above 0, at most 1
    port,         // a TCP port
    choice,       // one of choices
    tc_rate,      // a tc rate: "1mbit", "500kbit", "2mbps"
    tc_size,      // a tc size: "32kbit", "64kb", "1600"
    tc_time,      // a tc time: "400ms", "1s"
  };
  std::string name;
  Type type;
  /// Filled in when the scenario leaves it out; null: optional, no default.
  Json default_value;
  std::vector<std::string> choices;  // for Type::choice
  std::string help;                  // one line, for the README's table
};

struct FaultKind {
  std::string name;
  /// What it does and how it heals, for the README's table.
  std::string what;
  bool takes_target = true;
  /// A random block may draw it.
  bool random = false;
  std::vector<Param> params;
  std::unique_ptr<Fault> (*make)(const FaultSpec&);
};

/// Every kind, in the order of the README's table.
const std::vector<const FaultKind*>& fault_kinds();

/// The kind called name, or nullptr.
const FaultKind* find_kind(const std::string& name);

/// The parameter of kind called name, or nullptr.
const Param* find_param(const FaultKind& kind, const std::string& name);

/// The names of every kind (or of those a random block may draw).
std::vector<std::string> kind_names(bool random_only = false);

/// Checks value against param; returns what is wrong ("" when it is valid).
std::string check_param(const Param& param, const Json& value);

/// The README's fault table (Markdown), generated from the registry.
std::string fault_table();

}  // namespace kchaos::faults
