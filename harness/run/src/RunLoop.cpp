#include "kchaos/run/RunLoop.h"

#include <fstream>
#include <random>

#include <librdkafka/rdkafka.h>

#include "ConfigFile.h"
#include "kchaos/common/Error.h"
#include "kchaos/html/Page.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/Reconcile.h"
#include "kchaos/reports/Render.h"
#include "kchaos/run/ConfigurationRun.h"
#include "kchaos/run/Interrupt.h"

namespace kchaos::run {
namespace {

using Clock = std::chrono::steady_clock;

std::string slug(size_t index, const std::string& name) {
  std::string s = std::to_string(index + 1) + "-";
  for (char c : name) s += (std::isalnum(static_cast<unsigned char>(c)) || c == '.') ? c : '_';
  return s.substr(0, 100);
}

void write_json(const std::filesystem::path& file, const Json& j) {
  const auto tmp = file.string() + ".tmp";
  std::ofstream(tmp) << j.dump(2) << "\n";
  std::filesystem::rename(tmp, file);
}

}  // namespace

void write_reports(const reports::Report& report, const std::filesystem::path& dir) {
  write_json(dir / "report.json", reports::to_json(report));
  std::ofstream(dir / "report.md") << reports::to_markdown(report);
  std::ofstream(dir / "junit.xml") << reports::to_junit(report);
  html::write_report_html(dir, report);
}

namespace {

// Runs configuration i into its directory; a harness failure is its error.
reports::ConfigurationResult run_configuration(const scenario::Scenario& scenario, size_t i,
                                               const RunOptions& options, uint64_t run_id,
                                               std::ostream& out) {
  const auto& c = scenario.configurations[i];
  const auto dir = options.out / slug(i, c.name);
  std::filesystem::create_directories(dir);
  const Json config = {{"name", c.name},
                       {"parameters", c.parameters},
                       {"expect", reports::limits_to_json(c.expect)},
                       {"configuration", c.resolved}};
  write_json(dir / "config.json", config);
  out << "[" << (i + 1) << "/" << scenario.configurations.size() << "] " << c.name << std::endl;
  reports::ConfigurationResult result;
  result.name = c.name;
  result.parameters = c.parameters;
  result.expect = c.expect;
  const auto started = Clock::now();
  try {
    auto* live = options.metrics ? &options.metrics->configuration(scenario.name, c.name) : nullptr;
    ConfigurationRun(c, dir, run_id, options.seed, out, live).run(options.keep_data);
    result.verdict = detail::verdict_of(dir, config);
    reports::evaluate(result);
  } catch (const UserError&) {
    throw;
  } catch (const std::exception& e) {
    result.error = e.what();
    result.passed = false;
    out << "  error: " << e.what() << std::endl;
  }
  result.duration_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (options.metrics) {
    options.metrics->verdict(scenario.name, result);
    if (!options.pushgateway.empty() &&
        options.metrics->push(options.pushgateway, scenario.name, c.name)) {
      out << "  pushed the verdict to " << options.pushgateway << std::endl;
    }
  }
  return result;
}

}  // namespace

reports::Report run_scenario(const scenario::Scenario& scenario, const RunOptions& options,
                             std::ostream& out) {
  std::filesystem::create_directories(options.out);
  std::mt19937_64 rng(options.seed);
  reports::Report report;
  report.scenario = scenario.name;
  report.seed = options.seed;
  const uint64_t run_id = std::random_device{}() ^ (rng() << 1);
  report.run_id = std::to_string(run_id);

  Json run = {{"scenario", scenario.name},
              {"file", scenario.file.string()},
              {"description", scenario.description},
              {"seed", options.seed},
              {"run_id", report.run_id},
              {"backend", "local"},
              {"kchaos_version", KCHAOS_VERSION},
              {"librdkafka", rd_kafka_version_str()},
              {"configurations", Json::array()}};
  for (size_t i = 0; i < scenario.configurations.size(); ++i) {
    run["configurations"].push_back({{"name", scenario.configurations[i].name},
                                     {"dir", slug(i, scenario.configurations[i].name)}});
  }
  write_json(options.out / "run.json", run);

  for (size_t i = 0; i < scenario.configurations.size(); ++i) {
    report.configurations.push_back(run_configuration(scenario, i, options, run_id, out));
    write_reports(report, options.out);
    if (interrupted()) break;
  }
  return report;
}

}  // namespace kchaos::run
