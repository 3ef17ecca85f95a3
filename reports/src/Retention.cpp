#include "kchaos/reports/Retention.h"

#include <charconv>
#include <optional>

namespace kchaos::reports {
namespace {

// A record takes at most its value, its key and a record batch of its own
// (61-byte batch header, about 20 bytes of record framing).
constexpr int64_t kRecordOverhead = 128;

std::optional<int64_t> number(const std::string& text) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

struct Setting {
  std::string value;
  std::string source;
};

// The first of keys set in config, scaled to the first key's unit.
std::optional<Setting> find(const std::map<std::string, std::string>& config,
                            const std::string& key) {
  auto it = config.find(key);
  if (it == config.end()) return std::nullopt;
  return Setting{it->second, key};
}

}  // namespace

bool Retention::time_could_remove(int64_t span_us) const {
  return deletes && ms >= 0 && span_us / 1000 >= ms;
}

bool Retention::size_could_remove(int64_t offset, int64_t high) const {
  if (!deletes || bytes < 0) return false;
  // Kafka deletes whole segments from the oldest while the rest still
  // exceeds retention.bytes: the bytes after the record must reach it.
  const int64_t after = high > offset ? high - offset : 0;
  return after * (message_bytes + kRecordOverhead) >= bytes;
}

Retention effective_retention(const std::map<std::string, std::string>& topic,
                              const std::map<std::string, std::string>& broker,
                              int64_t message_bytes) {
  Retention r;
  r.message_bytes = message_bytes;
  std::string text;
  auto describe = [&](const std::string& name, const std::string& value,
                      const std::string& source) {
    text += (text.empty() ? "" : ", ") + name + "=" + value + " (" + source + ")";
  };

  // retention.ms: the topic's, else log.retention.ms/minutes/hours.
  std::optional<int64_t> ms;
  std::string ms_source = "Kafka's default";
  if (auto s = find(topic, "retention.ms"); s && (ms = number(s->value))) {
    ms_source = "topic config";
  } else if (auto b = find(broker, "log.retention.ms"); b && (ms = number(b->value))) {
    ms_source = "broker log.retention.ms";
  } else if (auto m = find(broker, "log.retention.minutes"); m && (ms = number(m->value))) {
    *ms = *ms < 0 ? -1 : *ms * 60'000;
    ms_source = "broker log.retention.minutes";
  } else if (auto h = find(broker, "log.retention.hours"); h && (ms = number(h->value))) {
    *ms = *ms < 0 ? -1 : *ms * 3'600'000;
    ms_source = "broker log.retention.hours";
  }
  if (ms) r.ms = *ms < 0 ? -1 : *ms;
  describe("retention.ms", std::to_string(r.ms), ms_source);

  std::optional<int64_t> bytes;
  std::string bytes_source = "Kafka's default";
  if (auto s = find(topic, "retention.bytes"); s && (bytes = number(s->value))) {
    bytes_source = "topic config";
  } else if (auto b = find(broker, "log.retention.bytes"); b && (bytes = number(b->value))) {
    bytes_source = "broker log.retention.bytes";
  }
  if (bytes) r.bytes = *bytes < 0 ? -1 : *bytes;
  describe("retention.bytes", std::to_string(r.bytes), bytes_source);

  std::string policy = "delete", policy_source = "Kafka's default";
  if (auto s = find(topic, "cleanup.policy")) {
    policy = s->value;
    policy_source = "topic config";
  } else if (auto b = find(broker, "log.cleanup.policy")) {
    policy = b->value;
    policy_source = "broker log.cleanup.policy";
  }
  r.deletes = policy.find("delete") != std::string::npos;
  r.compacts = policy.find("compact") != std::string::npos;
  describe("cleanup.policy", policy, policy_source);
  r.text = text;
  return r;
}

}  // namespace kchaos::reports
