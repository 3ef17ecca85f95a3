// kchaos audit RUN_DIR: finishes the configuration whose controller died
// (its brokers may outlive it): recovery, then the audit of the final log and
// the group's offsets into the run directory, so that `kchaos reconcile`
// gives a real verdict instead of "everything unverifiable".

#include <fstream>
#include <iostream>

#include "Args.h"
#include "Commands.h"
#include "kchaos/cluster/Backends.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/common/Error.h"
#include "kchaos/run/Recovery.h"
#include "kchaos/scenario/Scenario.h"
#include "kchaos/reports/RunDir.h"

namespace kchaos::cli {
namespace {

namespace fs = std::filesystem;

// The newest configuration directory whose cluster state is still there.
fs::path configuration_with_cluster(const reports::RunDir& run_dir, const reports::RunInfo& run) {
  for (auto it = run.configurations.rbegin(); it != run.configurations.rend(); ++it) {
    const auto dir = run_dir.configuration_dir(*it);
    if (dir && cluster::cluster_exists(*dir / "cluster")) return *dir;
  }
  throw UserError("the cluster of " + run_dir.root().string() +
                  " is gone (no configuration directory holds a running cluster's state): "
                  "nothing can be audited; `kchaos reconcile " +
                  run_dir.root().string() + "` reports what cannot be verified");
}

}  // namespace

int audit_command(const std::vector<std::string>& argv) {
  Args args(argv, {}, {"down", "help"});
  if (args.has("help") || args.positional().size() != 1) {
    std::cout << "usage: kchaos audit RUN_DIR [--down]\n"
                 "  when a run's controller died and its cluster is still up: heal what the\n"
                 "  faults left, wait for the cluster to recover, and audit the final log and\n"
                 "  the group's offsets into the run directory; then `kchaos reconcile RUN_DIR\n"
                 "  --write` gives the verdict. --down stops the cluster afterwards.\n";
    return args.has("help") ? kExitOk : kExitBadInput;
  }
  const fs::path run_dir = args.positional()[0];
  const reports::RunDir run_files(run_dir);
  const auto run = run_files.read();
  const fs::path dir = configuration_with_cluster(run_files, run);
  cluster::check_local_prerequisites();
  const auto owned = cluster::attach_cluster(dir / "cluster");
  cluster::Cluster& cluster = *owned;
  bool any_up = false;
  for (const auto& b : cluster.brokers()) any_up = any_up || cluster.is_running(b.id);
  if (!any_up) {
    throw UserError("the cluster of " + dir.string() +
                    " is gone (no broker runs): nothing can be audited; remove what is left with "
                    "`kchaos cluster down --dir " +
                    (dir / "cluster").string() + "`");
  }
  // The configuration as it ran, with every default filled in.
  Json doc = reports::RunDir::read_config(dir).configuration;
  doc.erase("expect_when");
  const auto c =
      scenario::parse(doc, (dir / reports::RunDir::kConfigFile).string()).configurations.at(0);
  const uint64_t run_id = std::stoull(run.run_id);

  std::cout << "auditing " << dir.string() << " (its controller stopped before the audit)"
            << std::endl;
  run::EventLog events(dir / "events.journal", run_id);
  events.add(journal::EventType::note, -1, "kchaos audit: finishing after the controller stopped");
  events.phase("recovery");
  run::recover_cluster(
      cluster, c.topic.name,
      std::chrono::milliseconds(static_cast<int64_t>(c.timings.recovery_timeout_s * 1000)), events,
      std::cout);
  std::error_code ec;
  // An audit the controller began and did not finish is kept, not read.
  if (fs::exists(dir / "audit.journal")) {
    fs::rename(dir / "audit.journal", dir / "audit.journal.interrupted", ec);
  }
  events.phase("audit");
  run::audit_log(cluster, {dir, run_id, c.topic.name, c.consumer.group}, events, std::cout);
  events.phase("done");
  if (args.has("down")) {
    cluster.down();
    for (const auto& b : cluster.brokers()) fs::remove_all(cluster.data_dir(b.id), ec);
    std::cout << "cluster down\n";
  } else {
    std::cout << "the cluster still runs: stop it with `kchaos cluster down --dir "
              << (dir / "cluster").string() << "`\n";
  }
  std::cout << "now: kchaos reconcile " << run_dir.string() << " --write\n";
  return kExitOk;
}

}  // namespace kchaos::cli
