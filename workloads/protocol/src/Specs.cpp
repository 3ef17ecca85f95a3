#include "Fields.h"
#include "kchaos/protocol/Specs.h"
#include "kchaos/common/Error.h"

namespace kchaos::protocol {
namespace {

using detail::read;

Json target_json(const WorkerTarget& t) {
  return {{"bootstrap", t.bootstrap}, {"topic", t.topic}, {"run_id", t.run_id}, {"journal", t.journal}};
}

void read_target(const Json& j, WorkerTarget& t) {
  read(j, "bootstrap", t.bootstrap);
  read(j, "topic", t.topic);
  read(j, "run_id", t.run_id);
  read(j, "journal", t.journal);
}

}  // namespace

const std::vector<std::string>& commit_mode_names() {
  static const std::vector<std::string> names = {"auto", "before-process", "after-process",
                                                 "async-threads"};
  return names;
}

const char* to_string(CommitMode m) {
  const auto i = static_cast<size_t>(m);
  return i < commit_mode_names().size() ? commit_mode_names()[i].c_str() : "?";
}

std::optional<CommitMode> commit_mode(const std::string& name) {
  const auto& names = commit_mode_names();
  for (size_t i = 0; i < names.size(); ++i) {
    if (name == names[i]) return static_cast<CommitMode>(i);
  }
  return std::nullopt;
}

void to_json(Json& j, CommitMode m) { j = to_string(m); }

void from_json(const Json& j, CommitMode& m) {
  const auto mode = j.is_string() ? commit_mode(j.get<std::string>()) : std::nullopt;
  if (!mode) throw HarnessError("unknown commit mode " + j.dump());
  m = *mode;
}

void to_json(Json& j, const ProducerSpec& s) {
  j = target_json(s.target);
  producer_fields(s, [&](const Field& f, const auto& member) { j[f.name] = member; });
}

void from_json(const Json& j, ProducerSpec& s) {
  read_target(j, s.target);
  producer_fields(s, [&](const Field& f, auto& member) { read(j, f.name, member); });
}

void to_json(Json& j, const ConsumerSpec& s) {
  j = target_json(s.target);
  consumer_fields(s, [&](const Field& f, const auto& member) { j[f.name] = member; });
}

void from_json(const Json& j, ConsumerSpec& s) {
  read_target(j, s.target);
  consumer_fields(s, [&](const Field& f, auto& member) { read(j, f.name, member); });
}

void to_json(Json& j, const AuditSpec& s) {
  j = target_json(s.target);
  j["group"] = s.group;
  j["timeout_s"] = s.timeout_s;
}

void from_json(const Json& j, AuditSpec& s) {
  read_target(j, s.target);
  read(j, "group", s.group);
  read(j, "timeout_s", s.timeout_s);
}

}  // namespace kchaos::protocol
