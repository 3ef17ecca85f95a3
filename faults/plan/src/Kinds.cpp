#include "kchaos/plan/Kinds.h"

#include <cctype>
#include <initializer_list>

#include "kchaos/common/Error.h"

namespace kchaos::plan {

const FaultKind* find_kind(const std::string& name) {
  for (const auto* k : fault_kinds()) {
    if (k->name == name) return k;
  }
  return nullptr;
}

const Param* find_param(const FaultKind& kind, const std::string& name) {
  for (const auto& p : kind.params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> kind_names(bool random_only) {
  std::vector<std::string> out;
  for (const auto* k : fault_kinds()) {
    if (!random_only || k->random) out.push_back(k->name);
  }
  return out;
}

namespace {

// A number (digits, optionally with a fraction when fraction) and then one of
// units ("" allowed when it is among them).
bool number_with_unit(const Json& v, bool fraction, std::initializer_list<const char*> units) {
  if (!v.is_string()) return false;
  const std::string s = v.get<std::string>();
  size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0) return false;
  if (fraction && i < s.size() && s[i] == '.') {
    const size_t digits = ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == digits) return false;
  }
  const std::string unit = s.substr(i);
  for (const char* u : units) {
    if (unit == u) return true;
  }
  return false;
}

}  // namespace

std::string check_param(const Param& p, const Json& v) {
  using T = Param::Type;
  switch (p.type) {
    case T::boolean:
      return v.is_boolean() ? "" : "expected true or false, got " + shown(v);
    case T::whole:
      return v.is_number_integer() && v.get<long long>() >= 1
                 ? ""
                 : "expected a whole number >= 1, got " + shown(v);
    case T::seconds:
      return v.is_number() && v.get<double>() >= 0
                 ? ""
                 : "expected a number of seconds >= 0, got " + shown(v);
    case T::probability:
      return v.is_number() && v.get<double>() > 0 && v.get<double>() <= 1
                 ? ""
                 : "expected a probability above 0 and at most 1, got " + shown(v);
    case T::port:
      return v.is_number_integer() && v.get<long long>() >= 1 && v.get<long long>() <= 65535
                 ? ""
                 : "expected a TCP port (9092 clients and replication, 9093 the quorum), got " +
                       shown(v);
    case T::choice: {
      std::string list;
      for (const auto& c : p.choices) {
        if (v.is_string() && v.get<std::string>() == c) return "";
        list += (list.empty() ? "" : ", ") + c;
      }
      return "expected one of " + list + ", got " + shown(v);
    }
    case T::tc_rate:
      return number_with_unit(v, true,
                              {"bit", "kbit", "mbit", "gbit", "bps", "kbps", "mbps", "gbps"})
                 ? ""
                 : "expected a rate such as \"1mbit\", \"500kbit\" or \"2mbps\", got " + shown(v);
    case T::tc_size:
      return number_with_unit(v, false, {"", "b", "kb", "mb", "kbit", "mbit"})
                 ? ""
                 : "expected a size such as \"32kbit\", \"64kb\" or \"1600\", got " + shown(v);
    case T::tc_time:
      return number_with_unit(v, true, {"us", "ms", "s"})
                 ? ""
                 : "expected a time such as \"400ms\" or \"1s\", got " + shown(v);
  }
  return "unknown parameter type";
}

std::string fault_table() {
  std::string out = "| type | fields | what it does |\n|---|---|---|\n";
  for (const auto* k : fault_kinds()) {
    std::string fields = k->takes_target ? "`target`" : "";
    for (const auto& p : k->params) {
      fields += (fields.empty() ? "" : ", ") + std::string("`") + p.name + "`";
      if (!p.default_value.is_null()) {
        const Json& d = p.default_value;
        fields += " (" + (d.is_string() ? d.get<std::string>() : d.dump()) + ")";
      }
    }
    out += "| `" + k->name + "` | " + fields + " | " + k->what +
           (k->random ? " Random blocks may draw it." : "") + " |\n";
  }
  return out;
}

}  // namespace kchaos::plan
