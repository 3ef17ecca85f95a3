#pragma once
// Command-line arguments: positionals and --options, checked against what a
// command accepts so a typo is an error, not a silent default.

#include <map>
#include <set>
#include <string>
#include <vector>

namespace kchaos::cli {

class Args {
 public:
  /// valued: options that take a value (--brokers 3 or --brokers=3);
  /// flags: options that take none. Anything else is a UserError.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
       const std::set<std::string>& flags = {});

  const std::vector<std::string>& positional() const { return positional_; }
  bool has(const std::string& option) const { return values_.count(option) != 0; }
  std::string get(const std::string& option, const std::string& fallback) const;
  /// All values of an option given several times (--set a=1 --set b=2).
  std::vector<std::string> all(const std::string& option) const;
  int get_int(const std::string& option, int fallback, int min, int max) const;

 private:
  std::vector<std::string> positional_;
  std::multimap<std::string, std::string> values_;
};

}  // namespace kchaos::cli
