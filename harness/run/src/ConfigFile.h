#pragma once
// Internal to the run: what a configuration's config.json (reports::RunDir)
// means to its verdict, at run time and again at reconcile.

#include <filesystem>

#include "kchaos/reports/Retention.h"
#include "kchaos/reports/RunDir.h"
#include "kchaos/reports/Verdict.h"

namespace kchaos::run::detail {

/// The topic's retention as the configuration set it.
reports::Retention retention_of(const reports::ConfigInfo& config);

/// A configuration's result before its verdict: name, parameters, limits.
reports::ConfigurationResult result_from_config(const reports::ConfigInfo& config);

/// How many examples the verdict keeps per anomaly.
inline constexpr size_t kExamplesPerAnomaly = 10;

/// The verdict of the configuration in dir, whose config.json is config.
reports::Verdict verdict_of(const std::filesystem::path& dir, const reports::ConfigInfo& config);

}  // namespace kchaos::run::detail
