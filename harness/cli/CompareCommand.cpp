// kchaos compare RUN_A RUN_B: the same configurations of two runs side by
// side (verdicts, counts, rates, latency), in the terminal and as HTML.

#include <fstream>
#include <iostream>

#include "Args.h"
#include "Commands.h"
#include "kchaos/common/Error.h"
#include "kchaos/html/Compare.h"
#include "kchaos/reports/Render.h"
#include "kchaos/run/RunLoop.h"
#include "kchaos/reports/RunDir.h"

namespace kchaos::cli {
namespace {

namespace fs = std::filesystem;

reports::Report report_of(const fs::path& dir) {
  std::ifstream in(dir / "report.json");
  if (in) {
    try {
      return reports::report_from_json(Json::parse(in));
    } catch (const std::exception&) {
      // Damaged: judge it again from the journals.
    }
  }
  return run::reconcile_run(dir);
}

// Every run directory of path: itself, or those of a directory run (its
// scenarios, and their repetitions).
std::vector<html::LoadedRun> load(const fs::path& path) {
  std::vector<fs::path> dirs;
  if (reports::RunDir(path).is_run()) {
    dirs.push_back(path);
  } else if (fs::is_directory(path)) {
    for (auto it = fs::recursive_directory_iterator(path); it != fs::recursive_directory_iterator();
         ++it) {
      if (it.depth() > 1) it.disable_recursion_pending();
      if (it->is_directory() && reports::RunDir(it->path()).is_run()) dirs.push_back(it->path());
    }
    std::sort(dirs.begin(), dirs.end());
  }
  if (dirs.empty()) {
    throw UserError(path.string() + " is not a kchaos run directory (no run.json in it or below)");
  }
  std::vector<html::LoadedRun> runs;
  runs.reserve(dirs.size());  // each view points into its own report: never moved apart
  for (const auto& d : dirs) {
    html::LoadedRun r;
    r.dir = d == path ? fs::path() : fs::relative(d, path);
    r.report = report_of(d);
    runs.push_back(std::move(r));
    runs.back().view = html::read_run(d, runs.back().report);
  }
  return runs;
}

}  // namespace

int compare_command(const std::vector<std::string>& argv) {
  Args args(argv, {"html"}, {"help"});
  if (args.has("help") || args.positional().size() != 2) {
    std::cout << "usage: kchaos compare RUN_A RUN_B [--html FILE]\n"
                 "  the same configurations of two runs (or directory runs) side by side:\n"
                 "  verdicts, counts, acknowledged rate and produce latency; --html writes the\n"
                 "  comparison as a page too\n";
    return args.has("help") ? kExitOk : kExitBadInput;
  }
  const auto a = load(args.positional()[0]);
  const auto b = load(args.positional()[1]);
  const auto comparison = html::compare(a, b, args.positional()[0], args.positional()[1]);
  std::cout << html::compare_text(comparison);
  if (args.has("html")) {
    const std::string file = args.get("html", "");
    std::ofstream out(file);
    if (!out) throw UserError("cannot write " + file);
    out << html::compare_html(comparison);
    std::cout << "comparison: " << file << "\n";
  }
  return kExitOk;
}

}  // namespace kchaos::cli
