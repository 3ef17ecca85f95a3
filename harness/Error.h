#pragma once
// The errors the controller reports to users, and the exit codes they map to.

#include <stdexcept>
#include <string>

namespace kchaos {

enum ExitCode : int {
  kExitOk = 0,
  kExitExpectationFailed = 1,
  kExitBadInput = 2,  // bad input or a machine that is not set up
  kExitHarnessFailed = 3,
};

/// Bad input or a missing prerequisite: the message says what is wrong and
/// what to do. Exit code 2.
class UserError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The harness itself failed (a command it needs failed, a broker did not
/// start). Exit code 3.
class HarnessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace kchaos
