#pragma once
// The `kchaos` subcommands. Each returns the process exit code and lets
// UserError / HarnessError escape to main, which maps them to 2 / 3.

#include <string>
#include <vector>

namespace kchaos::cli {

int cluster_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int reconcile_command(const std::vector<std::string>& args);
int journal_command(const std::vector<std::string>& args);
int audit_command(const std::vector<std::string>& args);
int faults_command(const std::vector<std::string>& args);
int fields_command(const std::vector<std::string>& argv);
int compare_command(const std::vector<std::string>& args);
int image_command(const std::vector<std::string>& args);

}  // namespace kchaos::cli
