// kchaos: chaos testing for real Apache Kafka clusters.

#include <iostream>
#include <string>
#include <vector>

#include "Commands.h"
#include "kchaos/sys/Process.h"
#include "kchaos/common/Error.h"

namespace {

constexpr const char* kUsage =
    "usage: kchaos <command> ...\n"
    "  run SCENARIO.json|DIR      run scenarios, write a run directory and reports\n"
    "      [--out DIR] [--seed N] [--repeat N] [--keep-data] [--parallel N] [--lane K]\n"
    "      [--backend local|compose] [--image IMAGE] [--metrics-listen HOST:PORT]\n"
    "      [--pushgateway URL] [--bootstrap HOST:PORT[,...]] [--allow-destructive]\n"
    "  validate SCENARIO.json|DIR check scenarios without running them; print their limits\n"
    "  reconcile RUN_DIR [--write] [--json]   recompute a run's verdict from its files\n"
    "  audit RUN_DIR [--down]     finish a run whose controller died\n"
    "  journal dump FILE          print a journal as JSON lines\n"
    "  faults                     the fault kinds, their fields and defaults\n"
    "  fields                     every field of a scenario file: type, default, bounds\n"
    "  compare RUN_A RUN_B [--html FILE]      two runs side by side\n"
    "  cluster ACTION [--dir DIR] [--lane K]  a Kafka cluster by hand; ACTION is\n"
    "      up [--brokers N] [--kafka-version V] [--heap-mb M] [--set KEY=VALUE]... [--pagefs]\n"
    "         [--backend local|compose] [--image IMAGE]\n"
    "      status [--json] | down | kill|start|pause|resume|isolate|heal|power-loss BROKER\n"
    "  image build [--kafka-version V] [--force]   the Kafka image for Docker, built here\n"
    "run `kchaos <command> --help` for what each option does\n"
    "exit codes: 0 every expectation held, 1 one failed, 2 bad input or a machine not set up,\n"
    "3 the harness failed (outranks 1)\n";

}  // namespace

int main(int argc, char** argv) {
  kchaos::keep_stdio_open();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? kchaos::kExitBadInput : kchaos::kExitOk;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "cluster") return kchaos::cli::cluster_command(args);
    if (command == "run") return kchaos::cli::run_command(args);
    if (command == "validate") return kchaos::cli::validate_command(args);
    if (command == "reconcile") return kchaos::cli::reconcile_command(args);
    if (command == "journal") return kchaos::cli::journal_command(args);
    if (command == "audit") return kchaos::cli::audit_command(args);
    if (command == "faults") return kchaos::cli::faults_command(args);
    if (command == "fields") return kchaos::cli::fields_command(args);
    if (command == "compare") return kchaos::cli::compare_command(args);
    if (command == "image") return kchaos::cli::image_command(args);
    std::cerr << "kchaos: unknown command '" << command << "'\n" << kUsage;
    return kchaos::kExitBadInput;
  } catch (const kchaos::Error& e) {
    // Bad input (2), or the harness or what it reads failed (3): the
    // message says what, and which file.
    std::cerr << "kchaos: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "kchaos: internal failure: " << e.what() << "\n";
    return kchaos::kExitHarnessFailed;
  }
}
