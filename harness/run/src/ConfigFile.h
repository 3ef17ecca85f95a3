#pragma once
// Internal to the run: a configuration's config.json, written at run time and
// read again by reconcile.

#include <filesystem>

#include "kchaos/common/Json.h"
#include "kchaos/reports/Retention.h"
#include "kchaos/reports/Verdict.h"

namespace kchaos::run::detail {

/// The topic's retention as the configuration in config.json set it.
reports::Retention retention_of(const Json& config);

/// A configuration's result before its verdict: name, parameters and
/// limits, as config.json holds them. Throws Json::exception or
/// UserError for a malformed file.
reports::ConfigurationResult result_from_config(const Json& config);

/// How many examples the verdict keeps per anomaly.
inline constexpr size_t kExamplesPerAnomaly = 10;

/// The verdict of the configuration in dir, whose config.json is config.
reports::Verdict verdict_of(const std::filesystem::path& dir, const Json& config);

}  // namespace kchaos::run::detail
