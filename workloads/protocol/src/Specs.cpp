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

const char* to_string(CommitMode m) {
  switch (m) {
    case CommitMode::auto_commit:
      return "auto";
    case CommitMode::before_process:
      return "before-process";
    case CommitMode::after_process:
      return "after-process";
    case CommitMode::async_threads:
      return "async-threads";
  }
  return "?";
}

std::optional<CommitMode> commit_mode(const std::string& name) {
  for (auto m : {CommitMode::auto_commit, CommitMode::before_process, CommitMode::after_process,
                 CommitMode::async_threads}) {
    if (name == to_string(m)) return m;
  }
  return std::nullopt;
}

void to_json(Json& j, const ProducerSpec& s) {
  j = target_json(s.target);
  j["producer_id"] = s.producer_id;
  j["config"] = s.config;
  j["message_bytes"] = s.message_bytes;
  j["keys"] = s.keys;
  j["rate"] = s.rate;
  j["messages"] = s.messages;
  j["duration_s"] = s.duration_s;
  j["flush_timeout_s"] = s.flush_timeout_s;
}

void from_json(const Json& j, ProducerSpec& s) {
  read_target(j, s.target);
  read(j, "producer_id", s.producer_id);
  read(j, "config", s.config);
  read(j, "message_bytes", s.message_bytes);
  read(j, "keys", s.keys);
  read(j, "rate", s.rate);
  read(j, "messages", s.messages);
  read(j, "duration_s", s.duration_s);
  read(j, "flush_timeout_s", s.flush_timeout_s);
}

void to_json(Json& j, const ConsumerSpec& s) {
  j = target_json(s.target);
  j["consumer_id"] = s.consumer_id;
  j["group"] = s.group;
  j["config"] = s.config;
  j["commit"] = to_string(s.commit);
  j["batch_size"] = s.batch_size;
  j["process_delay_ms"] = s.process_delay_ms;
  j["threads"] = s.threads;
  j["duration_s"] = s.duration_s;
}

void from_json(const Json& j, ConsumerSpec& s) {
  read_target(j, s.target);
  read(j, "consumer_id", s.consumer_id);
  read(j, "group", s.group);
  read(j, "config", s.config);
  if (j.contains("commit")) {
    const auto mode = commit_mode(j["commit"].get<std::string>());
    if (!mode) throw HarnessError("unknown commit mode " + j["commit"].dump());
    s.commit = *mode;
  }
  read(j, "batch_size", s.batch_size);
  read(j, "process_delay_ms", s.process_delay_ms);
  read(j, "threads", s.threads);
  read(j, "duration_s", s.duration_s);
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
