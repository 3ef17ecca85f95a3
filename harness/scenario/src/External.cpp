// What a configuration must say to run on a cluster kchaos did not start:
// where it is, a topic of kchaos's own, and for every fault that acts on
// brokers, the drivers that do it and the user's leave to run them.

#include <set>

#include "kchaos/catalog/Catalog.h"
#include "kchaos/common/Error.h"
#include "kchaos/scenario/Scenario.h"

namespace kchaos::scenario {
namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

constexpr const char* kNoController =
    "the controller target needs the active controller, which an external cluster's metadata "
    "does not name: name a broker, leader-of-most or a partition's leader";

// The driver actions fault f needs; a problem when one cannot be had.
plan::Problem fault_problem(const plan::FaultSpec& f, const ClusterSection& c) {
  if (f.target_form.form == "controller") return {f.path + ".target", kNoController};
  if (!f.kind || !f.kind->actions) return {};
  const auto actions = f.kind->actions(f);
  for (const auto& a : actions) {
    if (!catalog::is_driver_action(a)) {
      return {f.path, f.type + " needs what only a cluster kchaos starts allows (" + a +
                          "): run it with \"backend\": \"local\" or \"compose\""};
    }
    if (c.drivers.count(a) == 0) {
      return {f.path, f.type + " needs a driver for " + a + ": set $.cluster.drivers." + a};
    }
  }
  if (!c.allow_destructive) {
    return {f.path, f.type + " acts on the cluster's brokers (" + joined(actions) +
                        "): allow it with kchaos run --allow-destructive or "
                        "$.cluster.allow_destructive"};
  }
  return {};
}

plan::Problem placeholder_problem(const ClusterSection& c) {
  for (const auto& [action, argv] : c.drivers) {
    for (const auto& p : catalog::placeholders_in(argv)) {
      if (p == "id" || p == "bootstrap") continue;
      bool everywhere = !c.nodes.empty();
      for (const auto& [id, values] : c.nodes) everywhere = everywhere && values.count(p) != 0;
      if (!everywhere) {
        return {"$.cluster.drivers." + action,
                "uses {" + p + "}, which not every broker of $.cluster.nodes gives (placeholders: "
                "{id}, {bootstrap} and the nodes' own names)"};
      }
    }
  }
  return {};
}

}  // namespace

plan::Problem external_problem(const Configuration& c) {
  const ClusterSection& cl = c.cluster;
  if (cl.backend != "external") {
    if (!cl.bootstrap.empty() || !cl.drivers.empty() || !cl.nodes.empty()) {
      return {"$.cluster.bootstrap",
              "bootstrap, drivers and nodes describe a cluster kchaos did not start: set "
              "\"backend\": \"external\" (or run with --bootstrap)"};
    }
    return {};
  }
  if (cl.bootstrap.empty()) {
    return {"$.cluster.bootstrap",
            "an external cluster needs its bootstrap servers (\"host:port,host:port\"), here "
            "or with kchaos run --bootstrap"};
  }
  if (c.topic.name.rfind("kchaos-", 0) != 0) {
    return {"$.topic.name", shown(Json(c.topic.name)) +
                                " on a cluster kchaos did not start: its topic's name starts with "
                                "\"kchaos-\", so that it never writes into one of yours"};
  }
  if (auto p = placeholder_problem(cl); !p.what.empty()) return p;
  for (const auto& f : c.fault_plan.fixed) {
    if (auto p = fault_problem(f, cl); !p.what.empty()) return p;
  }
  for (const auto& block : c.fault_plan.random) {
    for (const auto& form : block.target_forms) {
      if (form.form == "controller") return {block.path + ".targets", kNoController};
    }
    for (const auto& type : block.types) {
      plan::FaultSpec f;  // as drawn: its kind's default parameters
      f.type = type;
      f.kind = plan::find_kind(type);
      f.path = block.path;
      if (auto p = fault_problem(f, cl); !p.what.empty()) return p;
    }
  }
  return {};
}

void use_external(Scenario& s, const std::string& bootstrap, bool allow_destructive) {
  for (auto& c : s.configurations) {
    if (!bootstrap.empty()) {
      c.cluster.backend = "external";
      c.cluster.bootstrap = bootstrap;
      c.resolved["cluster"]["backend"] = "external";
      c.resolved["cluster"]["bootstrap"] = bootstrap;
    }
    if (allow_destructive) {
      c.cluster.allow_destructive = true;
      c.resolved["cluster"]["allow_destructive"] = true;
    }
    if (const auto p = external_problem(c); !p.what.empty()) {
      throw UserError(s.file.string() + ": configuration " + c.name + ": " + p.field + ": " +
                      p.what);
    }
  }
}

}  // namespace kchaos::scenario
