#include "Args.h"

#include "kchaos/common/Error.h"

namespace kchaos::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
           const std::set<std::string>& flags) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0) {
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::string value;
    const auto eq = name.find('=');
    bool has_value = eq != std::string::npos;
    if (has_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (flags.count(name) != 0) {
      if (has_value) throw UserError("--" + name + " takes no value");
      values_.emplace(name, "");
    } else if (valued.count(name) != 0) {
      if (!has_value) {
        if (i + 1 >= argv.size()) throw UserError("--" + name + " needs a value");
        value = argv[++i];
      }
      values_.emplace(name, value);
    } else {
      std::string known;
      for (const auto& o : valued) known += " --" + o;
      for (const auto& o : flags) known += " --" + o;
      throw UserError("unknown option --" + name +
                      (known.empty() ? " (this command takes none)" : " (allowed:" + known + ")"));
    }
  }
}

std::string Args::get(const std::string& option, const std::string& fallback) const {
  auto it = values_.find(option);
  return it == values_.end() ? fallback : it->second;
}

std::vector<std::string> Args::all(const std::string& option) const {
  std::vector<std::string> out;
  auto [first, last] = values_.equal_range(option);
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

int Args::get_int(const std::string& option, int fallback, int min, int max) const {
  if (!has(option)) return fallback;
  const std::string v = get(option, "");
  size_t used = 0;
  int n = 0;
  try {
    n = std::stoi(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != v.size() || v.empty() || n < min || n > max) {
    throw UserError("--" + option + " must be a whole number from " + std::to_string(min) + " to " +
                    std::to_string(max) + " (got '" + v + "')");
  }
  return n;
}

}  // namespace kchaos::cli
