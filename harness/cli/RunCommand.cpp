#include <algorithm>
#include <ctime>
#include <iomanip>
#include <functional>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

#include "Args.h"
#include "Commands.h"
#include "kchaos/catalog/Catalog.h"
#include "kchaos/cluster/Backends.h"
#include "kchaos/cluster/Lane.h"
#include "kchaos/cluster/PageFs.h"
#include "kchaos/common/Error.h"
#include "kchaos/plan/Kinds.h"
#include "kchaos/scenario/Reference.h"
#include "kchaos/journal/Journal.h"
#include "kchaos/reports/JournalDump.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/Render.h"
#include "kchaos/run/Interrupt.h"
#include "kchaos/run/RunLoop.h"
#include "kchaos/run/Suite.h"
#include "kchaos/scenario/Scenario.h"
#include "kchaos/reports/RunDir.h"

namespace kchaos::cli {
namespace {

std::string timestamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::ostringstream s;
  s << std::put_time(&tm, "%Y%m%d-%H%M%S");
  return s.str();
}

uint64_t parse_seed(const Args& args) {
  if (!args.has("seed")) return std::random_device{}() % 1000000;
  const std::string v = args.get("seed", "");
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 19) {
    throw UserError("--seed must be a whole number, got '" + v + "'");
  }
  return std::stoull(v);
}

// The worst of two exit codes: a harness failure over a failed expectation.
int worst(int a, int b) {
  auto rank = [](int c) {
    return c == kExitHarnessFailed ? 3 : c == kExitExpectationFailed ? 2 : c == kExitOk ? 0 : 1;
  };
  return rank(a) >= rank(b) ? a : b;
}

std::vector<scenario::Scenario> load_scenarios(const std::filesystem::path& path) {
  std::vector<scenario::Scenario> out;
  if (!std::filesystem::is_directory(path)) {
    out.push_back(scenario::load(path));
    return out;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(path)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty())
    throw UserError(path.string() + ": no scenario files (*.json) in this directory");
  // Every file is validated before anything starts.
  for (const auto& f : files) out.push_back(scenario::load(f));
  return out;
}

// --backend and --image apply to every configuration.
void use_backend_option(const Args& args, std::vector<scenario::Scenario>& scenarios) {
  if (!args.has("backend") && !args.has("image")) return;
  const std::string backend = args.get("backend", "compose");
  const auto& names = catalog::backend_names();
  if (std::find(names.begin(), names.end(), backend) == names.end()) {
    throw UserError("--backend must be local, compose or external, got '" + backend + "'");
  }
  if (args.has("image") && backend != "compose") {
    throw UserError("--image names the image of the compose backend: add --backend compose");
  }
  for (auto& s : scenarios) scenario::use_backend(s, backend, args.get("image", ""));
}

// --bootstrap and --allow-destructive: a cluster kchaos did not start.
void use_external_option(const Args& args, std::vector<scenario::Scenario>& scenarios) {
  if (!args.has("bootstrap") && !args.has("allow-destructive")) return;
  if (args.has("bootstrap") && args.has("backend")) {
    throw UserError("--bootstrap names a cluster kchaos did not start: leave out --backend");
  }
  for (auto& s : scenarios) {
    scenario::use_external(s, args.get("bootstrap", ""), args.has("allow-destructive"));
  }
}

// What the configurations need, checked once each before anything starts.
void check_prerequisites(const std::vector<scenario::Scenario>& scenarios) {
  std::set<std::string> backends;
  bool pagefs = false;
  for (const auto& s : scenarios) {
    for (const auto& c : s.configurations) {
      backends.insert(c.cluster.backend);
      pagefs = pagefs || c.data_on_pagefs();
    }
  }
  for (const auto& b : backends) cluster::check_backend_prerequisites(b);
  if (pagefs) cluster::check_power_loss_prerequisites();
}

// Every scenario, repeat times with seeds seed, seed+1, ..., each into its
// directory under out; repetitions gets each run's repetition number.
std::vector<run::ScenarioRun> scenario_runs(const std::vector<scenario::Scenario>& scenarios,
                                            int repeat, uint64_t seed,
                                            const std::filesystem::path& out, bool suite,
                                            std::vector<int>& repetitions) {
  std::vector<run::ScenarioRun> runs;
  for (int k = 0; k < repeat; ++k) {
    for (const auto& s : scenarios) {
      run::ScenarioRun r{&s, seed + static_cast<uint64_t>(k), out};
      if (suite) r.out /= s.name;
      if (repeat > 1) r.out /= "run-" + std::to_string(k + 1);
      runs.push_back(r);
      repetitions.push_back(k + 1);
    }
  }
  return runs;
}

}  // namespace

int run_command(const std::vector<std::string>& argv) {
  Args args(argv,
            {"out", "seed", "repeat", "metrics-listen", "pushgateway", "backend", "image",
             "parallel", "lane", "bootstrap"},
            {"keep-data", "allow-destructive", "help"});
  if (args.has("help") || args.positional().size() != 1) {
    std::cout
        << "usage: kchaos run SCENARIO.json|DIR [--out DIR] [--seed N] [--repeat N] [--keep-data]\n"
           "                  [--parallel N] [--lane K]\n"
           "                  [--metrics-listen HOST:PORT] [--pushgateway URL]\n"
           "                  [--backend local|compose] [--image IMAGE]\n"
           "                  [--bootstrap HOST:PORT[,HOST:PORT...]] [--allow-destructive]\n"
           "  --parallel runs up to N configurations at once, each on a cluster of its own in\n"
           "  lanes K..K+N-1 (--lane, default 0; a lane has its own names, subnet and leftovers);\n"
           "  each configuration's details then go to output.log in its directory\n"
           "  --backend runs every configuration on that backend (scenarios say cluster.backend,\n"
           "  default local); --image is the compose backend's broker image\n"
           "  --bootstrap runs every configuration on a cluster kchaos did not start (it\n"
           "  provisions nothing, never stops it, and deletes its own topic and group after);\n"
           "  --allow-destructive lets faults act on its brokers through cluster.drivers\n"
           "  a directory runs every scenario in it and prints one combined table;\n"
           "  --repeat runs everything N times (new seeds) and prints how often each\n"
           "  configuration held its expectations\n";
    return args.has("help") ? kExitOk : kExitBadInput;
  }
  const std::filesystem::path input = args.positional()[0];
  auto scenarios = load_scenarios(input);
  const int repeat = args.get_int("repeat", 1, 1, 100);
  use_backend_option(args, scenarios);
  use_external_option(args, scenarios);
  check_prerequisites(scenarios);
  const bool suite = scenarios.size() > 1 || std::filesystem::is_directory(input) || repeat > 1;
  const std::string label =
      std::filesystem::is_directory(input)
          ? std::filesystem::absolute(input).lexically_normal().parent_path().filename().string()
          : scenarios.front().name;
  const auto out =
      std::filesystem::absolute(args.get("out", "kchaos-runs/" + label + "-" + timestamp()));
  if (reports::RunDir(out).holds_results()) {
    throw UserError(out.string() + " already holds a run: choose another --out");
  }
  const uint64_t seed = parse_seed(args);
  // Metrics are served (and pushed) whenever either option is given.
  std::unique_ptr<metrics::RunMetrics> live;
  if (args.has("metrics-listen") || args.has("pushgateway"))
    live = std::make_unique<metrics::RunMetrics>();
  if (args.has("metrics-listen")) {
    live->listen(args.get("metrics-listen", ""));
    std::cout << "metrics: http://" << args.get("metrics-listen", "") << "/metrics" << std::endl;
  }
  run::install_interrupt_handlers();

  run::RunOptions options;
  options.keep_data = args.has("keep-data");
  options.metrics = live.get();
  options.pushgateway = args.get("pushgateway", "");
  options.parallel = args.get_int("parallel", 1, 1, cluster::Lane::kMax + 1);
  options.lane = args.get_int("lane", 0, 0, cluster::Lane::kMax);
  std::vector<int> repetitions;
  const auto runs = scenario_runs(scenarios, repeat, seed, out, suite, repetitions);
  std::vector<run::SuiteEntry> entries;
  int code = kExitOk;
  run::run_scenarios(runs, options, std::cout, [&](size_t i, const reports::Report& report) {
    std::cout << "\n"
              << reports::summary_table(report)
              << "report: " << (runs[i].out / "report.html").string() << " (and report.md)\n"
              << std::endl;
    code = worst(code, reports::exit_code(report));
    entries.push_back({*runs[i].scenario, report, repetitions[i],
                       std::filesystem::relative(runs[i].out, out).string()});
  });
  if (suite) {
    run::write_suite(entries, out);
    std::cout << run::suite_table(entries) << "\n";
    if (repeat > 1) std::cout << run::hit_rates(entries) << "\n";
    std::cout << "suite: " << (out / "report.html").string() << ", suite.md, junit.xml\n";
  }
  return code;
}

namespace {

// "lost >0, duplicated any; by default: divergent 0, ...": what a
// configuration will be judged by.
std::string judged_by(const std::map<std::string, reports::Limit>& expect) {
  std::string stated, by_default;
  for (const auto& [name, limit] : reports::effective_limits(expect)) {
    std::string& list = limit.by_default ? by_default : stated;
    list += (list.empty() ? "" : ", ") + name + " " + limit.text;
  }
  if (stated.empty()) return "by default: " + by_default;
  return by_default.empty() ? stated : stated + "; by default: " + by_default;
}

}  // namespace

int validate_command(const std::vector<std::string>& argv) {
  Args args(argv, {}, {"help"});
  if (args.has("help") || args.positional().size() != 1) {
    std::cout << "usage: kchaos validate SCENARIO.json|DIR\n"
                 "  checks a scenario (or every scenario of a directory, as `kchaos run DIR`\n"
                 "  would) without starting anything, and prints the limits each configuration\n"
                 "  will be judged by; exit 2 names the file and JSON path\n";
    return args.has("help") ? kExitOk : kExitBadInput;
  }
  for (const auto& s : load_scenarios(args.positional()[0])) {
    std::cout << s.file.string() << ": valid, " << s.configurations.size()
              << " configuration(s), judged by these limits\n";
    for (const auto& c : s.configurations) {
      std::cout << "  " << c.name << ": " << judged_by(c.expect) << "\n";
    }
  }
  return kExitOk;
}

int reconcile_command(const std::vector<std::string>& argv) {
  Args args(argv, {}, {"write", "json", "help"});
  if (args.has("help") || args.positional().size() != 1) {
    std::cout
        << "usage: kchaos reconcile RUN_DIR [--write] [--json]\n"
           "  recomputes every configuration's verdict from the run directory's files\n"
           "  and prints the table; --write rewrites report.json, report.md, report.html and\n"
           "  junit.xml with it; --json prints the report as JSON instead of the table\n";
    return args.has("help") ? kExitOk : kExitBadInput;
  }
  const std::filesystem::path dir = args.positional()[0];
  const auto report = run::reconcile_run(dir);
  if (args.has("json")) {
    std::cout << reports::to_json(report).dump(2) << "\n";
  } else {
    std::cout << reports::summary_table(report);
  }
  if (args.has("write")) {
    run::write_reports(report, dir);
    if (!args.has("json"))
      std::cout << "report: " << (dir / "report.html").string() << " (rewritten, and report.md)\n";
  } else if (!args.has("json")) {
    std::cout << "report (as the run wrote it): " << (dir / "report.html").string()
              << "; --write rewrites it from this reconciliation\n";
  }
  return reports::exit_code(report);
}

namespace {

// A command that takes no arguments and prints a generated Markdown table.
int table_command(const std::vector<std::string>& argv, const char* usage,
                  const std::function<std::string()>& table) {
  Args args(argv, {}, {"help"});
  if (args.has("help") || !args.positional().empty()) {
    std::cout << usage;
    return args.has("help") ? kExitOk : kExitBadInput;
  }
  std::cout << table();
  return kExitOk;
}

}  // namespace

int faults_command(const std::vector<std::string>& argv) {
  return table_command(argv,
                       "usage: kchaos faults\n  prints every fault kind, its fields (with defaults) "
                       "and what it does, as a Markdown table\n",
                       plan::fault_table);
}

int fields_command(const std::vector<std::string>& argv) {
  return table_command(argv,
                       "usage: kchaos fields\n  prints every field of a scenario file, its type, "
                       "default, allowed values and meaning, as a Markdown table\n",
                       scenario::field_table);
}

int journal_command(const std::vector<std::string>& argv) {
  Args args(argv, {}, {"help"});
  constexpr const char* kJournalUsage =
      "usage: kchaos journal dump FILE\n"
      "  prints any kchaos journal (producer, consumer, audit, events) as JSON lines,\n"
      "  every record with its type named; a torn last record is dropped\n";
  if (args.has("help")) {
    std::cout << kJournalUsage;
    return kExitOk;
  }
  if (args.positional().size() != 2 || args.positional()[0] != "dump") {
    throw UserError(kJournalUsage);
  }
  try {
    reports::dump_journal(args.positional()[1], std::cout);
  } catch (const journal::JournalError& e) {
    throw UserError(e.what());
  }
  return kExitOk;
}

}  // namespace kchaos::cli
