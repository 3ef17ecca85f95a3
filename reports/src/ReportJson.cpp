#include "kchaos/reports/Render.h"

namespace kchaos::reports {

namespace {

Json example_to_json(const Example& e) {
  Json positions = Json::array();
  for (const auto& [p, o] : e.log_positions) positions.push_back({p, o});
  return {{"anomaly", e.anomaly},
          {"producer_id", e.producer_id},
          {"seq", e.seq},
          {"ack_partition", e.ack_partition},
          {"ack_offset", e.ack_offset},
          {"ack_time_us", e.ack_time_us},
          {"log_positions", positions},
          {"faults", e.faults},
          {"detail", e.detail}};
}

Example example_from_json(const Json& j) {
  Example e;
  e.anomaly = j.at("anomaly").get<std::string>();
  e.producer_id = j.value("producer_id", uint32_t{0});
  e.seq = j.value("seq", uint64_t{0});
  e.ack_partition = j.value("ack_partition", int32_t{-1});
  e.ack_offset = j.value("ack_offset", int64_t{-1});
  e.ack_time_us = j.value("ack_time_us", int64_t{0});
  for (const auto& p : j.value("log_positions", Json::array())) {
    e.log_positions.emplace_back(p.at(0).get<int32_t>(), p.at(1).get<int64_t>());
  }
  e.faults = j.value("faults", std::vector<std::string>{});
  e.detail = j.value("detail", std::string());
  return e;
}

Json fault_to_json(const FaultRecord& f) {
  return {{"index", f.index},
          {"planned", f.planned},
          {"description", f.description},
          {"target", f.target},
          {"injected_us", f.injected_us},
          {"healed_us", f.healed_us},
          {"inject_planned_s", f.inject_planned_s},
          {"inject_began_s", f.inject_began_s},
          {"heal_planned_s", f.heal_planned_s},
          {"heal_began_s", f.heal_began_s},
          {"error", f.error}};
}

FaultRecord fault_from_json(const Json& j) {
  FaultRecord f;
  f.index = j.value("index", 0);
  f.planned = j.value("planned", std::string());
  f.description = j.value("description", std::string());
  f.target = j.value("target", int32_t{-1});
  f.injected_us = j.value("injected_us", int64_t{0});
  f.healed_us = j.value("healed_us", int64_t{0});
  f.inject_planned_s = j.value("inject_planned_s", -1.0);
  f.inject_began_s = j.value("inject_began_s", -1.0);
  f.heal_planned_s = j.value("heal_planned_s", -1.0);
  f.heal_began_s = j.value("heal_began_s", -1.0);
  f.error = j.value("error", std::string());
  return f;
}

Json verdict_to_json(const Verdict& v) {
  Json examples = Json::array();
  for (const auto& e : v.examples) examples.push_back(example_to_json(e));
  Json phases = Json::array();
  for (const auto& p : v.phases) phases.push_back({{"name", p.name}, {"time_us", p.time_us}});
  Json faults = Json::array();
  for (const auto& f : v.faults) faults.push_back(fault_to_json(f));
  return {{"counts", v.counts},
          {"created", v.created},
          {"ok", v.ok},
          {"equation", v.equation},
          {"equation_holds", v.equation_holds},
          {"acked", v.acked},
          {"failed", v.failed},
          {"unknown", v.unknown},
          {"log_records", v.log_records},
          {"processed", v.processed},
          {"partitions", v.partitions},
          {"partitions_unverifiable", v.partitions_unverifiable},
          {"health",
           {{"torn_tails", v.health.torn_tails},
            {"bad_records", v.health.bad_records},
            {"conflicting_outcomes", v.health.conflicting_outcomes},
            {"notes", v.health.notes},
            {"damage", v.health.damage}}},
          {"examples", examples},
          {"phases", phases},
          {"faults", faults},
          {"recovered", v.recovered ? Json(*v.recovered) : Json(nullptr)}};
}

Verdict verdict_from_json(const Json& j) {
  Verdict v;
  v.counts = j.value("counts", std::map<std::string, uint64_t>{});
  v.created = j.value("created", uint64_t{0});
  v.ok = j.value("ok", uint64_t{0});
  v.equation = j.value("equation", std::string());
  v.equation_holds = j.value("equation_holds", false);
  v.acked = j.value("acked", uint64_t{0});
  v.failed = j.value("failed", uint64_t{0});
  v.unknown = j.value("unknown", uint64_t{0});
  v.log_records = j.value("log_records", uint64_t{0});
  v.processed = j.value("processed", uint64_t{0});
  v.partitions = j.value("partitions", uint32_t{0});
  v.partitions_unverifiable = j.value("partitions_unverifiable", uint32_t{0});
  const Json health = j.value("health", Json::object());
  v.health.torn_tails = health.value("torn_tails", uint64_t{0});
  v.health.bad_records = health.value("bad_records", uint64_t{0});
  v.health.conflicting_outcomes = health.value("conflicting_outcomes", uint64_t{0});
  v.health.notes = health.value("notes", std::vector<std::string>{});
  v.health.damage = health.value("damage", std::vector<std::string>{});
  for (const auto& e : j.value("examples", Json::array()))
    v.examples.push_back(example_from_json(e));
  for (const auto& p : j.value("phases", Json::array())) {
    v.phases.push_back({p.value("name", std::string()), p.value("time_us", int64_t{0})});
  }
  for (const auto& f : j.value("faults", Json::array())) v.faults.push_back(fault_from_json(f));
  if (j.contains("recovered") && j["recovered"].is_boolean())
    v.recovered = j["recovered"].get<bool>();
  return v;
}

}  // namespace

Json to_json(const Report& report) {
  Json configurations = Json::array();
  for (const auto& r : report.configurations) {
    configurations.push_back({{"name", r.name},
                              {"parameters", r.parameters},
                              {"expect", limits_to_json(r.expect)},
                              {"verdict", verdict_to_json(r.verdict)},
                              {"limit_results", r.limit_results},
                              {"passed", r.passed},
                              {"duration_seconds", r.duration_seconds},
                              {"max_lateness_s", r.max_lateness_s},
                              {"error", r.error}});
  }
  return {{"scenario", report.scenario},
          {"seed", report.seed},
          {"run_id", report.run_id},
          {"configurations", configurations}};
}

Report report_from_json(const Json& j) {
  Report report;
  report.scenario = j.at("scenario").get<std::string>();
  report.seed = j.value("seed", uint64_t{0});
  report.run_id = j.value("run_id", std::string());
  for (const auto& c : j.at("configurations")) {
    ConfigurationResult r;
    r.name = c.at("name").get<std::string>();
    r.parameters = c.value("parameters", Json::object());
    r.expect = limits_from_json(c.value("expect", Json::object()));
    r.verdict = verdict_from_json(c.value("verdict", Json::object()));
    r.limit_results = c.value("limit_results", std::map<std::string, bool>{});
    r.passed = c.value("passed", false);
    r.duration_seconds = c.value("duration_seconds", 0.0);
    r.error = c.value("error", std::string());
    r.max_lateness_s = c.value("max_lateness_s", r.max_lateness_s);
    report.configurations.push_back(std::move(r));
  }
  return report;
}

}  // namespace kchaos::reports
