#include "kchaos/run/RunLoop.h"

#include <atomic>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <librdkafka/rdkafka.h>

#include "ConfigFile.h"
#include "kchaos/cluster/Lane.h"
#include "kchaos/common/Error.h"
#include "kchaos/html/Page.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/RunDir.h"
#include "kchaos/reports/Reconcile.h"
#include "kchaos/reports/Render.h"
#include "kchaos/run/Console.h"
#include "kchaos/run/ConfigurationRun.h"
#include "kchaos/run/Interrupt.h"

namespace kchaos::run {
namespace {

using Clock = std::chrono::steady_clock;
using Echo = std::function<void(const std::string&)>;

std::string slug(size_t index, const std::string& name) {
  std::string s = std::to_string(index + 1) + "-";
  for (char c : name) s += (std::isalnum(static_cast<unsigned char>(c)) || c == '.') ? c : '_';
  return s.substr(0, 100);
}

// The backends the configurations run on, in their order ("local", or
// "local, compose" for a matrix over cluster.backend).
std::string backends_of(const scenario::Scenario& scenario) {
  std::vector<std::string> names;
  for (const auto& c : scenario.configurations) {
    if (std::find(names.begin(), names.end(), c.cluster.backend) == names.end()) {
      names.push_back(c.cluster.backend);
    }
  }
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// One line for the terminal when a configuration ends beside others.
std::string outcome_line(const reports::ConfigurationResult& r) {
  std::ostringstream s;
  s << (!r.error.empty() ? "ERROR" : r.passed ? "PASS" : "FAIL") << " in "
    << static_cast<int>(r.duration_seconds + 0.5) << " s";
  if (!r.error.empty()) s << ": " << r.error.substr(0, r.error.find('\n'));
  const auto reasons = reports::failure_reasons(r);
  for (size_t i = 0; i < reasons.size() && r.error.empty(); ++i) {
    s << (i == 0 ? ": " : "; ") << reasons[i];
  }
  return s.str();
}

}  // namespace

void write_reports(const reports::Report& report, const std::filesystem::path& dir) {
  write_atomically(dir / "report.json", reports::to_json(report).dump(2) + "\n");
  write_atomically(dir / "report.md", reports::to_markdown(report));
  write_atomically(dir / "junit.xml", reports::to_junit(report));
  html::write_report_html(dir, report);
}

namespace {

// Runs configuration i into its directory; a harness failure is its error.
reports::ConfigurationResult run_configuration(const scenario::Scenario& scenario, size_t i,
                                               const RunOptions& options, uint64_t seed,
                                               uint64_t run_id, const std::filesystem::path& dir,
                                               int lane, std::ostream& out, const Echo& echo) {
  const auto& c = scenario.configurations[i];
  const reports::ConfigInfo config{c.name,
                                   c.parameters,
                                   c.expect,
                                   c.cluster.backend,
                                   c.timings.max_lateness_s,
                                   c.resolved};
  reports::RunDir::write_config(dir, config);
  out << "[" << (i + 1) << "/" << scenario.configurations.size() << "] " << c.name << std::endl;
  reports::ConfigurationResult result;
  result.name = c.name;
  result.parameters = c.parameters;
  result.expect = c.expect;
  result.max_lateness_s = c.timings.max_lateness_s;
  const auto started = Clock::now();
  try {
    auto* live = options.metrics ? &options.metrics->configuration(scenario.name, c.name) : nullptr;
    ConfigurationRun(c, dir, run_id, seed, lane, out, echo, live).run(options.keep_data);
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

// The runs' configurations as jobs, taken in order by one thread per lane.
class Runner {
 public:
  Runner(const std::vector<ScenarioRun>& runs, const RunOptions& options, std::ostream& out,
         const RunDone& done)
      : options_(options), console_(out), done_(done) {
    for (size_t r = 0; r < runs.size(); ++r) {
      Slot& s = slots_.emplace_back();
      s.run = runs[r];
      s.results.resize(s.run.scenario->configurations.size());
      for (size_t i = 0; i < s.results.size(); ++i) jobs_.emplace_back(r, i);
    }
  }

  void run() {
    const int lanes = std::max(1, std::min<int>(options_.parallel, static_cast<int>(jobs_.size())));
    if (lanes == 1) {
      lane(options_.lane);
    } else {
      std::vector<std::thread> threads;
      for (int k = 0; k < lanes; ++k) threads.emplace_back([this, k] { lane(options_.lane + k); });
      for (auto& t : threads) t.join();
    }
    // What an interrupt or a failure cut short, with what it finished.
    std::lock_guard lock(mutex_);
    for (; flushed_ < slots_.size() && slots_[flushed_].started; ++flushed_) report_done();
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  struct Slot {
    ScenarioRun run;
    reports::Report report;
    std::vector<std::optional<reports::ConfigurationResult>> results;
    size_t finished = 0;
    bool started = false;
    uint64_t run_id = 0;
  };

  bool parallel() const { return options_.parallel > 1; }

  void lane(int lane_id) {
    while (true) {
      size_t j;
      {
        std::lock_guard lock(mutex_);
        if (failure_ || interrupted() || next_ >= jobs_.size()) return;
        j = next_++;
      }
      try {
        run_job(j, lane_id);
      } catch (...) {
        std::lock_guard lock(mutex_);
        if (!failure_) failure_ = std::current_exception();
      }
    }
  }

  // The run's directory and run.json, when its first configuration starts.
  void start(Slot& s) {
    const auto& scenario = *s.run.scenario;
    std::filesystem::create_directories(s.run.out);
    std::mt19937_64 rng(s.run.seed);
    s.run_id = std::random_device{}() ^ (rng() << 1);
    s.report.scenario = scenario.name;
    s.report.seed = s.run.seed;
    s.report.run_id = std::to_string(s.run_id);
    reports::RunInfo run;
    run.scenario = scenario.name;
    run.file = scenario.file.string();
    run.description = scenario.description;
    run.seed = s.run.seed;
    run.run_id = s.report.run_id;
    run.backend = backends_of(scenario);
    run.kchaos_version = KCHAOS_VERSION;
    run.librdkafka = rd_kafka_version_str();
    for (size_t i = 0; i < scenario.configurations.size(); ++i) {
      const auto& c = scenario.configurations[i];
      run.configurations.push_back({c.name, slug(i, c.name), c.cluster.backend});
    }
    reports::RunDir(s.run.out).write(run);
    console_.line("== kchaos run " + scenario.name + ": " +
                  std::to_string(scenario.configurations.size()) + " configuration(s), seed " +
                  std::to_string(s.run.seed) + "\n   run directory: " + s.run.out.string());
    s.started = true;
  }

  void run_job(size_t j, int lane_id) {
    const auto [r, i] = jobs_[j];
    Slot& s = slots_[r];
    {
      std::lock_guard lock(mutex_);
      if (!s.started) start(s);
    }
    const auto& scenario = *s.run.scenario;
    const auto& c = scenario.configurations[i];
    const auto dir = s.run.out / slug(i, c.name);
    std::filesystem::create_directories(dir);
    reports::ConfigurationResult result;
    if (!parallel()) {
      result = run_configuration(scenario, i, options_, s.run.seed, s.run_id, dir, lane_id,
                                 console_.stream(), {});
    } else {
      std::ostringstream tag;
      tag << "[" << std::setw(std::to_string(jobs_.size()).size()) << (j + 1) << "/"
          << jobs_.size() << "] " << scenario.name << " / " << c.name << ": ";
      const auto echo = console_.prefixed(tag.str());
      echo("started in lane " + std::to_string(lane_id) + ", details in " +
           (dir / "output.log").string());
      std::ofstream log(dir / "output.log");
      result = run_configuration(scenario, i, options_, s.run.seed, s.run_id, dir, lane_id, log,
                                 [&](const std::string& line) { echo(line); });
      echo(outcome_line(result));
    }
    std::lock_guard lock(mutex_);
    s.results[i] = std::move(result);
    ++s.finished;
    s.report.configurations.clear();
    for (const auto& done : s.results) {
      if (done) s.report.configurations.push_back(*done);
    }
    write_reports(s.report, s.run.out);
    for (; flushed_ < slots_.size() && slots_[flushed_].finished == slots_[flushed_].results.size();
         ++flushed_) {
      report_done();
    }
  }

  // Hands run flushed_ to done_, with no other line in between.
  void report_done() {
    if (done_) console_.locked([&] { done_(flushed_, slots_[flushed_].report); });
  }

  const RunOptions& options_;
  Console console_;
  RunDone done_;
  std::vector<Slot> slots_;
  std::vector<std::pair<size_t, size_t>> jobs_;  // (run, configuration)
  std::mutex mutex_;
  size_t next_ = 0;
  size_t flushed_ = 0;
  std::exception_ptr failure_;
};

}  // namespace

void run_scenarios(const std::vector<ScenarioRun>& runs, const RunOptions& options,
                   std::ostream& out, const RunDone& done) {
  if (options.parallel < 1 || options.lane + options.parallel - 1 > cluster::Lane::kMax) {
    throw UserError("--lane " + std::to_string(options.lane) + " with --parallel " +
                    std::to_string(options.parallel) + " needs lanes up to " +
                    std::to_string(options.lane + options.parallel - 1) + "; the last lane is " +
                    std::to_string(cluster::Lane::kMax));
  }
  Runner(runs, options, out, done).run();
}

reports::Report run_scenario(const scenario::Scenario& scenario, const RunOptions& options,
                             std::ostream& out) {
  reports::Report report;
  run_scenarios({{&scenario, options.seed, options.out}}, options, out,
                [&](size_t, const reports::Report& r) { report = r; });
  return report;
}

}  // namespace kchaos::run
