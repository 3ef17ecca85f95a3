#include "kchaos/html/RunData.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <map>

#include "kchaos/common/Json.h"
#include "kchaos/protocol/Events.h"
#include "kchaos/reports/RunDir.h"

namespace kchaos::html {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One worker's progress and done events: (wall time s, event).
std::vector<std::pair<double, Json>> progress_of(const fs::path& log) {
  std::vector<std::pair<double, Json>> out;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] != '{') continue;
    try {
      Json e = Json::parse(line);
      const std::string name = e.value("name", "");
      if (name != protocol::event::kProgress && name != protocol::event::kDone) continue;
      out.emplace_back(e.value("time", 0.0), std::move(e));
    } catch (const Json::exception&) {
    }
  }
  return out;
}

// A cumulative count as a step function on the seconds, held after the
// worker's last event (a killed worker keeps what it did).
void add_steps(Series& total, const std::vector<std::pair<double, double>>& points, double origin_s) {
  size_t next = 0;
  double value = 0;
  for (size_t s = 0; s < total.size(); ++s) {
    const double until = origin_s + static_cast<double>(s) + 1;
    while (next < points.size() && points[next].first <= until) value = points[next++].second;
    total[s] += value;
  }
}

Series per_second(const Series& cumulative) {
  Series out(cumulative.size(), 0);
  for (size_t s = 0; s < cumulative.size(); ++s) {
    out[s] = std::max(0.0, cumulative[s] - (s ? cumulative[s - 1] : 0));
  }
  return out;
}

std::vector<fs::path> logs(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(".log")) out.push_back(e.path());
  }
  return out;
}

}  // namespace

Timeline read_timeline(const fs::path& dir, int64_t origin_us) {
  Timeline t;
  std::vector<std::pair<fs::path, std::vector<std::pair<double, Json>>>> producers, consumers;
  double first = std::numeric_limits<double>::max(), last = 0;
  for (auto [prefix, into] : {std::pair{"producer-", &producers}, std::pair{"consumer-", &consumers}}) {
    for (const auto& log : logs(dir, prefix)) {
      auto events = progress_of(log);
      for (const auto& [time, e] : events) first = std::min(first, time), last = std::max(last, time);
      into->emplace_back(log, std::move(events));
    }
  }
  if (last == 0) return t;
  const double origin_s = origin_us > 0 ? static_cast<double>(origin_us) / 1e6 : first;
  t.origin_us = static_cast<int64_t>(origin_s * 1e6);
  t.seconds = static_cast<size_t>(std::max(0.0, std::ceil(last - origin_s))) + 1;
  Series acked(t.seconds, 0), failed(t.seconds, 0), consumed(t.seconds, 0);
  t.p50_ms.assign(t.seconds, kNaN);
  t.p99_ms.assign(t.seconds, kNaN);
  for (const auto& [log, events] : producers) {
    std::vector<std::pair<double, double>> a, f;
    for (const auto& [time, e] : events) {
      const auto p = e.get<protocol::ProducerProgress>();
      a.emplace_back(time, static_cast<double>(p.acked));
      f.emplace_back(time, static_cast<double>(p.failed));
      const auto s = static_cast<long>(std::floor(time - origin_s));
      if (s < 0 || static_cast<size_t>(s) >= t.seconds || !p.latency.p99_ms) continue;
      auto higher = [](double old, double v) { return std::isnan(old) ? v : std::max(old, v); };
      t.p50_ms[static_cast<size_t>(s)] = higher(t.p50_ms[static_cast<size_t>(s)], *p.latency.p50_ms);
      t.p99_ms[static_cast<size_t>(s)] = higher(t.p99_ms[static_cast<size_t>(s)], *p.latency.p99_ms);
    }
    add_steps(acked, a, origin_s);
    add_steps(failed, f, origin_s);
  }
  for (const auto& [log, events] : consumers) {
    std::vector<std::pair<double, double>> c;
    for (const auto& [time, e] : events) {
      c.emplace_back(time, static_cast<double>(e.get<protocol::ConsumerProgress>().consumed));
    }
    add_steps(consumed, c, origin_s);
  }
  t.lag.resize(t.seconds);
  for (size_t s = 0; s < t.seconds; ++s) t.lag[s] = std::max(0.0, acked[s] - consumed[s]);
  t.acked = per_second(acked);
  t.failed = per_second(failed);
  t.consumed = per_second(consumed);
  return t;
}

namespace {

// The page is drawn from whatever the directory still holds: a run.json or
// config.json that cannot be read leaves its fields at their defaults.
reports::RunInfo run_info(const fs::path& run_dir) {
  try {
    return reports::RunDir(run_dir).read();
  } catch (const std::exception&) {
    return {};
  }
}

std::string kafka_version_in(const fs::path& dir) {
  try {
    const Json cluster = object_at(reports::RunDir::read_config(dir).configuration, "cluster");
    const Json version = cluster.value("kafka_version", Json("3.9.2"));
    return version.is_string() ? version.get<std::string>() : "?";
  } catch (const std::exception&) {
    return "3.9.2";
  }
}

}  // namespace

RunView read_run(const fs::path& run_dir, const reports::Report& report) {
  RunView v;
  const reports::RunDir dir(run_dir);
  const auto run = run_info(run_dir);
  v.scenario = report.scenario;
  v.seed = report.seed;
  v.run_id = report.run_id;
  v.description = run.description;
  v.backend = run.backend;
  v.kchaos_version = run.kchaos_version;
  v.librdkafka = run.librdkafka;
  for (size_t i = 0; i < report.configurations.size(); ++i) {
    ConfigurationView c;
    c.result = &report.configurations[i];
    v.duration_s += c.result->duration_seconds;
    const auto config_dir = i < run.configurations.size()
                                ? dir.configuration_dir(run.configurations[i])
                                : std::nullopt;
    if (config_dir) {
      c.dir = run.configurations[i].dir;
      c.kafka_version = kafka_version_in(*config_dir);
      const auto& phases = c.result->verdict.phases;
      c.timeline = read_timeline(*config_dir, phases.empty() ? 0 : phases.front().time_us);
    }
    v.configurations.push_back(std::move(c));
  }
  return v;
}

}  // namespace kchaos::html
