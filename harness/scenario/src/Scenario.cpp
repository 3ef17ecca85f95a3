// A scenario: its matrix expanded into configurations (first key slowest),
// expect_when applied to the matching ones.

#include "kchaos/scenario/Scenario.h"

#include <fstream>
#include <sstream>

#include "Document.h"
#include "Reader.h"
#include "kchaos/common/Error.h"

namespace kchaos::scenario {
namespace {

using detail::Reader;

struct Axis {
  std::string key;
  std::vector<Json> values;
};

// Where a matrix key "section.rest" lands: a field of the section, or one of
// its settings (producer.acks is producer.config["acks"]).
std::vector<std::string> matrix_target(const Reader& r, const std::string& key) {
  const auto dot = key.find('.');
  const std::string section = key.substr(0, dot);
  const std::string rest = dot == std::string::npos ? "" : key.substr(dot + 1);
  static const std::map<std::string, std::pair<const std::set<std::string>*, std::string>>
      kSections = {{"cluster", {&detail::kClusterFields, "broker_config"}},
                   {"topic", {&detail::kTopicFields, "config"}},
                   {"producer", {&detail::kProducerFields, "config"}},
                   {"consumer", {&detail::kConsumerFields, "config"}},
                   {"timings", {&detail::kTimingFields, ""}}};
  auto it = kSections.find(section);
  if (it == kSections.end() || rest.empty()) {
    r.fail(key_path("$.matrix", key),
           "a matrix key is SECTION.FIELD or SECTION.SETTING with SECTION one of cluster, topic, "
           "producer, consumer, timings (e.g. \"producer.acks\", \"topic.min.insync.replicas\")");
  }
  if (it->second.first->count(rest) != 0) return {section, rest};
  if (it->second.second.empty())
    r.fail(key_path("$.matrix", key), "timings has no field '" + rest + "'");
  return {section, it->second.second, rest};
}

std::vector<Axis> parse_matrix(const Json& doc, const Reader& r) {
  std::vector<Axis> axes;
  if (!doc.contains("matrix")) return axes;
  const Json& m = doc.at("matrix");
  if (!m.is_object()) r.fail("$.matrix", "expected an object of KEY: [values], got " + shown(m));
  for (const auto& [key, values] : m.items()) {
    matrix_target(r, key);
    if (!values.is_array() || values.empty()) {
      r.fail(key_path("$.matrix", key),
             "expected a non-empty list of values, got " + shown(values));
    }
    axes.push_back({key, std::vector<Json>(values.begin(), values.end())});
  }
  double product = 1;
  for (const auto& a : axes) product *= static_cast<double>(a.values.size());
  if (product > static_cast<double>(detail::kMaxConfigurations)) {
    r.fail("$.matrix", "expands to " + std::to_string(static_cast<long long>(product)) +
                           " configurations; a scenario may have " +
                           std::to_string(detail::kMaxConfigurations) + " at most");
  }
  return axes;
}

struct ExpectCase {
  Json when;
  std::map<std::string, reports::Limit> expect;
};

// expect_when: limits for the configurations whose matrix values match.
std::vector<ExpectCase> parse_expect_when(const Json& doc, const std::vector<Axis>& axes,
                                          const Reader& r) {
  std::vector<ExpectCase> cases;
  if (!doc.contains("expect_when")) return cases;
  const Json& w = doc.at("expect_when");
  if (!w.is_array())
    r.fail("$.expect_when", "expected a list of {\"when\": {...}, \"expect\": {...}}");
  for (size_t i = 0; i < w.size(); ++i) {
    const std::string path = "$.expect_when[" + std::to_string(i) + "]";
    r.object(w[i], path, {"when", "expect"});
    if (!w[i].contains("when") || !w[i]["when"].is_object() || !w[i].contains("expect")) {
      r.fail(path, "needs \"when\" (matrix key -> value) and \"expect\" (limits)");
    }
    for (const auto& item : w[i]["when"].items()) {
      const std::string& key = item.key();
      const Json& value = item.value();
      auto axis = std::find_if(axes.begin(), axes.end(), [&](auto& a) { return a.key == key; });
      if (axis == axes.end()) r.fail(key_path(path + ".when", key), "not a key of $.matrix");
      if (std::find(axis->values.begin(), axis->values.end(), value) == axis->values.end()) {
        r.fail(key_path(path + ".when", key), shown(value) + " is not one of its matrix values");
      }
    }
    cases.push_back({w[i]["when"], detail::expect_block(w[i]["expect"], path + ".expect", r)});
  }
  return cases;
}

std::string value_label(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// The configuration at one point of the matrix (index: a value per axis).
Configuration configuration_at(const Json& doc, const std::vector<Axis>& axes,
                               const std::vector<size_t>& index, const Scenario& s,
                               const std::vector<ExpectCase>& cases, const Reader& r) {
  Json d = doc;
  Json parameters = Json::object();
  std::string name;
  for (size_t a = 0; a < axes.size(); ++a) {
    const Json& v = axes[a].values[index[a]];
    Json* node = &d;
    std::string where = "$";
    for (const auto& part : matrix_target(r, axes[a].key)) {
      if (!node->is_null() && !node->is_object()) {
        r.fail(where, "is " + std::string(node->type_name()) + ", so matrix key " +
                          shown(Json(axes[a].key)) + " cannot set a value inside it");
      }
      node = &(*node)[part];
      where = key_path(where, part);
    }
    *node = v;
    parameters[axes[a].key] = v;
    const auto short_key = axes[a].key.substr(axes[a].key.find('.') + 1);
    name += (name.empty() ? "" : ",") + short_key + "=" + value_label(v);
  }
  Reader cr(r.file(), name.empty() ? "" : " (in matrix configuration " + name + ")");
  Configuration c = detail::parse_configuration(d, cr);
  c.name = name.empty() ? "default" : name;
  c.parameters = parameters;
  for (const auto& [when, expect] : cases) {
    bool match = true;
    for (const auto& [key, value] : when.items()) match = match && parameters[key] == value;
    if (!match) continue;
    for (const auto& [k, limit] : expect) c.expect.insert_or_assign(k, limit);
  }
  detail::check_loosened_defaults(c, s.description, cr);
  return c;
}

}  // namespace

Scenario parse(const Json& doc, const std::string& file_label) {
  Reader r(file_label, "");
  r.object(doc, "$", detail::kTopLevel);
  Scenario s;
  s.file = file_label;
  s.name = r.string(doc, "name", "$", std::filesystem::path(file_label).stem().string());
  s.description = doc.contains("description") ? r.string(doc, "description", "$", "") : "";
  detail::check_scenario_name(s.name, r);
  const auto axes = parse_matrix(doc, r);
  const auto cases = parse_expect_when(doc, axes, r);
  // Cartesian product, first axis slowest.
  std::vector<size_t> index(axes.size(), 0);
  while (true) {
    s.configurations.push_back(configuration_at(doc, axes, index, s, cases, r));
    size_t a = axes.size();
    while (a > 0) {
      --a;
      if (++index[a] < axes[a].values.size()) break;
      index[a] = 0;
      if (a == 0) return s;
    }
    if (axes.empty()) return s;
  }
}

Scenario load(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    throw UserError(file.string() + ": a directory, not a scenario file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw UserError(file.string() + ": cannot read the scenario file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_text(text.str(), file.string());
}

Scenario parse_text(const std::string& text, const std::string& file_label) {
  return parse(detail::read_document(text, file_label), file_label);
}

}  // namespace kchaos::scenario

namespace kchaos::scenario {

std::string backend_refusal(const Configuration& c) {
  if (c.cluster.backend == "local" || !c.data_on_pagefs()) return "";
  const plan::FaultKind* kind = c.fault_plan.kind_needing(plan::Storage::pagefs);
  return (kind ? kind->name : std::string("cluster.pagefs")) +
         " needs the brokers' data on kchaos-pagefs, which only the local backend mounts: run "
         "this configuration with \"backend\": \"local\"";
}

void use_backend(Scenario& s, const std::string& backend, const std::string& image) {
  for (auto& c : s.configurations) {
    c.cluster.backend = backend;
    // The local backend runs no image; compose keeps the scenario's unless told.
    if (backend == "local" || !image.empty()) c.cluster.image = image;
    // What config.json records is what ran.
    c.resolved["cluster"]["backend"] = backend;
    c.resolved["cluster"]["image"] = c.cluster.image;
    if (backend != "external") {
      // A cluster kchaos starts is not the external one the scenario names.
      c.cluster.bootstrap.clear(), c.cluster.drivers.clear(), c.cluster.nodes.clear();
      for (const char* key : {"bootstrap", "drivers", "nodes"}) c.resolved["cluster"].erase(key);
    }
    if (const auto p = external_problem(c); !p.what.empty()) {
      throw UserError(s.file.string() + ": configuration " + c.name +
                      " cannot run with --backend " + backend + ": " + p.field + ": " + p.what);
    }
    if (const std::string why = backend_refusal(c); !why.empty()) {
      throw UserError(s.file.string() + ": configuration " + c.name +
                      " cannot run with --backend " + backend + ": " + why);
    }
  }
}

}  // namespace kchaos::scenario
