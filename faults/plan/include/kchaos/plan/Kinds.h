#pragma once
// The one table of fault kinds, as a scenario sees them: per kind its name,
// what it does, its parameters with types and defaults, whether it takes a
// target, whether a random block may draw it, and what it needs of the run
// (where the brokers' data lives, partitions it adds, checks against the
// scenario). Validation, random blocks and the docs' fault table come from
// here, without any cluster code; how a kind acts is its file under
// faults/src/kinds (docs/adding-a-fault.md).

#include <string>
#include <vector>

#include "kchaos/common/Json.h"

namespace kchaos::plan {

struct FaultSpec;

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
  std::string help;                  // one line, for the docs' table
};

/// Where a kind needs the brokers' data: kchaos mounts it for the run.
enum class Storage {
  any,
  tmpfs,   // a small tmpfs, so that filling it never fills the machine's disk
  pagefs,  // kchaos-pagefs, which can drop what was never fsynced (local backend)
};

/// What a fault is checked against beyond its own fields.
struct Bounds {
  int producer_workers = 1;
};

/// A problem with one field of a fault ("" what: none).
struct Problem {
  std::string field, what;
};

struct FaultKind {
  std::string name;
  /// What it does and how it heals, for the docs' table.
  std::string what;
  bool takes_target = true;
  /// A random block may draw it.
  bool random = false;
  std::vector<Param> params;
  Storage storage = Storage::any;
  /// Partitions a fault of this kind adds to the topic (targets may name them).
  int (*adds_partitions)(const FaultSpec&) = nullptr;
  /// What the kind checks against the scenario (a worker it names exists).
  Problem (*check)(const FaultSpec&, const Bounds&) = nullptr;
  /// What a fault of this kind does to brokers, as the actions of an
  /// external cluster's drivers ("broker-kill", "broker-start", ...; see
  /// catalog::driver_actions), or "broker-network", "broker-disk",
  /// "power-loss" for what only a cluster kchaos starts allows. None: it
  /// touches no broker (client faults, admin faults) and runs anywhere.
  std::vector<std::string> (*actions)(const FaultSpec&) = nullptr;
};

/// Every kind, in the order of the docs' table.
const std::vector<const FaultKind*>& fault_kinds();

/// The kind called name, or nullptr.
const FaultKind* find_kind(const std::string& name);

/// The parameter of kind called name, or nullptr.
const Param* find_param(const FaultKind& kind, const std::string& name);

/// The names of every kind (or of those a random block may draw).
std::vector<std::string> kind_names(bool random_only = false);

/// Checks value against param; returns what is wrong ("" when it is valid).
std::string check_param(const Param& param, const Json& value);

/// The docs' fault table (Markdown), generated from the kinds.
std::string fault_table();

}  // namespace kchaos::plan
