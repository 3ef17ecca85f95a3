#include <ctime>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>

#include "harness/Error.h"
#include "harness/cli/Args.h"
#include "harness/cli/Commands.h"
#include "harness/cluster/KafkaInstall.h"
#include "harness/run/Interrupt.h"
#include "harness/run/RunLoop.h"
#include "harness/scenario/Scenario.h"
#include "reports/JournalDump.h"
#include "reports/Render.h"
#include "workloads/journal/Journal.h"

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

}  // namespace

int run_command(const std::vector<std::string>& argv) {
  Args args(argv, {"out", "seed"}, {"keep-data", "help"});
  if (args.has("help") || args.positional().size() != 1) {
    std::cout << "usage: kchaos run SCENARIO.json [--out DIR] [--seed N] [--keep-data]\n";
    return args.has("help") ? kExitOk : kExitBadInput;
  }
  const auto scenario = scenario::load(args.positional()[0]);
  cluster::check_local_prerequisites();
  run::RunOptions options;
  options.seed = parse_seed(args);
  options.out = args.get("out", "kchaos-runs/" + scenario.name + "-" + timestamp());
  options.keep_data = args.has("keep-data");
  options.out = std::filesystem::absolute(options.out);
  if (std::filesystem::exists(options.out / "run.json")) {
    throw UserError(options.out.string() + " already holds a run: choose another --out");
  }
  std::cout << "kchaos run " << scenario.name << ": " << scenario.configurations.size()
            << " configuration(s), seed " << options.seed << "\nrun directory: "
            << options.out.string() << std::endl;
  run::install_interrupt_handlers();
  const auto report = run::run_scenario(scenario, options, std::cout);
  std::cout << "\n" << reports::summary_table(report) << "\nreport: "
            << (options.out / "report.md").string() << "\n";
  return reports::exit_code(report);
}

int validate_command(const std::vector<std::string>& argv) {
  Args args(argv, {}, {});
  if (args.positional().size() != 1) throw UserError("usage: kchaos validate SCENARIO.json");
  const auto s = scenario::load(args.positional()[0]);
  std::cout << s.file.string() << ": valid, " << s.configurations.size() << " configuration(s)\n";
  for (const auto& c : s.configurations) std::cout << "  " << c.name << "\n";
  return kExitOk;
}

int reconcile_command(const std::vector<std::string>& argv) {
  Args args(argv, {}, {"write"});
  if (args.positional().size() != 1) {
    throw UserError("usage: kchaos reconcile RUN_DIR [--write]");
  }
  const std::filesystem::path dir = args.positional()[0];
  const auto report = run::reconcile_run(dir);
  std::cout << reports::summary_table(report);
  if (args.has("write")) {
    run::write_reports(report, dir);
    std::cout << "rewrote " << (dir / "report.json").string() << ", report.md, junit.xml\n";
  } else {
    std::cout << reports::to_json(report).dump(2) << "\n";
  }
  return reports::exit_code(report);
}

int journal_command(const std::vector<std::string>& argv) {
  Args args(argv, {}, {});
  if (args.positional().size() != 2 || args.positional()[0] != "dump") {
    throw UserError("usage: kchaos journal dump FILE");
  }
  try {
    reports::dump_journal(args.positional()[1], std::cout);
  } catch (const journal::JournalError& e) {
    throw UserError(e.what());
  }
  return kExitOk;
}

}  // namespace kchaos::cli
