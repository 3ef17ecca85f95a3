#pragma once
// The one error type of kchaos: it carries its kind (which decides the exit
// code and whether to retry), the JSON path of bad input and the librdkafka
// error code when there is one, so no caller ever parses a message.

#include <stdexcept>
#include <string>

namespace kchaos {

enum ExitCode : int {
  kExitOk = 0,
  kExitExpectationFailed = 1,
  kExitBadInput = 2,  // bad input or a machine that is not set up
  kExitHarnessFailed = 3,
};

enum class ErrorKind {
  /// Bad input or a missing prerequisite: the message says what is wrong and
  /// what to do. Exit code 2.
  input,
  /// Worth retrying: the cluster did not answer in time, an election is in
  /// progress. Exit code 3 when it never clears.
  transient,
  /// The harness itself failed (a command it needs failed, a broker did not
  /// start). Exit code 3.
  harness,
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, int kafka_code = 0)
      : std::runtime_error(message), kind_(kind), kafka_code_(kafka_code) {}

  ErrorKind kind() const { return kind_; }
  /// The rd_kafka_resp_err_t behind it, 0 when there is none.
  int kafka_code() const { return kafka_code_; }
  int exit_code() const { return kind_ == ErrorKind::input ? kExitBadInput : kExitHarnessFailed; }

 private:
  ErrorKind kind_;
  int kafka_code_;
};

/// Bad input or a missing prerequisite (exit 2). For input read from a
/// document, path is where in it ("$.faults[2].at") and detail what is wrong
/// there, so that a caller can add the file's name.
class UserError : public Error {
 public:
  explicit UserError(const std::string& message)
      : Error(ErrorKind::input, message), detail_(message) {}
  UserError(std::string path, const std::string& detail)
      : Error(ErrorKind::input, path + ": " + detail), path_(std::move(path)), detail_(detail) {}
  const std::string& path() const { return path_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string path_;
  std::string detail_;
};

/// Worth retrying (exit 3 when it never clears).
class TransientError : public Error {
 public:
  explicit TransientError(const std::string& message, int kafka_code = 0)
      : Error(ErrorKind::transient, message, kafka_code) {}
};

/// The harness itself failed (exit 3).
class HarnessError : public Error {
 public:
  explicit HarnessError(const std::string& message, int kafka_code = 0)
      : Error(ErrorKind::harness, message, kafka_code) {}
};

}  // namespace kchaos
