#include "kchaos/reports/JournalDump.h"

#include "kchaos/common/Json.h"

#include "Evidence.h"
#include "kchaos/journal/Journal.h"

namespace kchaos::reports {

// Keys in the order of the record's fields.
using json = Json;

namespace {

/// The enum's name, or its number when the value is not one we know.
json name_of(uint8_t value, std::initializer_list<const char*> names) {
  if (value >= 1 && value <= names.size()) return *(names.begin() + (value - 1));
  return value;
}

json to_json(const journal::ProducerRecord& r) {
  return {{"seq", r.seq},
          {"producer_id", r.producer_id},
          {"outcome", name_of(r.outcome, {"created", "acked", "failed", "unknown"})},
          {"partition", r.partition},
          {"count", r.count},
          {"offset", r.offset},
          {"time_us", r.time_us},
          {"error", r.error},
          {"latency_us", r.latency_us}};
}

json to_json(const journal::ConsumerRecord& r) {
  return {{"event", name_of(r.event, {"processed", "committed", "batch_begin", "batch_end",
                                      "assigned", "revoked"})},
          {"seq", r.seq},
          {"producer_id", r.producer_id},
          {"partition", r.partition},
          {"generation", r.generation},
          {"offset", r.offset},
          {"time_us", r.time_us},
          {"count", r.count}};
}

json to_json(const journal::AuditRecord& r) {
  json flags = json::array();
  if (r.event == static_cast<uint8_t>(journal::AuditEvent::partition_range)) {
    if (r.flags & journal::kAuditComplete) flags.push_back("complete");
  } else {
    if (r.flags & journal::kAuditCorrupt) flags.push_back("corrupt");
    if (r.flags & journal::kAuditForeign) flags.push_back("foreign");
  }
  return {{"event", name_of(r.event, {"record", "partition_range", "group_committed"})},
          {"partition", r.partition},
          {"offset", r.offset},
          {"high", r.high},
          {"producer_id", r.producer_id},
          {"seq", r.seq},
          {"key_id", r.key_id},
          {"flags", flags}};
}

json to_json(const journal::EventRecord& r) {
  return {{"type", name_of(r.type, {"phase", "fault_injected", "fault_healed", "worker_started",
                                    "worker_exited", "worker_killed", "note", "recovery",
                                    "fault_planned", "fault_failed", "fault_begun"})},
          {"mono_us", r.mono_us},
          {"time_us", r.time_us},
          {"fault", r.fault},
          {"target", r.target},
          {"text", detail::printable_text(r.text, sizeof r.text)}};
}

template <typename R>
journal::ReadSummary dump(const std::filesystem::path& file, std::ostream& out) {
  return journal::read<R>(file, [&](const R& r) { out << to_json(r).dump() << '\n'; });
}

}  // namespace

void dump_journal(const std::filesystem::path& file, std::ostream& out) {
  const journal::Header header = journal::read_header(file);
  journal::ReadSummary s;
  const char* kind = "";
  switch (static_cast<journal::Kind>(header.kind)) {
    case journal::Kind::producer:
      s = dump<journal::ProducerRecord>(file, out);
      kind = "producer";
      break;
    case journal::Kind::consumer:
      s = dump<journal::ConsumerRecord>(file, out);
      kind = "consumer";
      break;
    case journal::Kind::audit:
      s = dump<journal::AuditRecord>(file, out);
      kind = "audit";
      break;
    case journal::Kind::events:
      s = dump<journal::EventRecord>(file, out);
      kind = "events";
      break;
    default:
      throw journal::JournalError(file.string() + " is a journal of unknown kind " +
                                  std::to_string(header.kind));
  }
  json summary = {{"file", file.string()},           {"kind", kind},
                  {"version", s.header.version},     {"run_id", s.header.run_id},
                  {"writer_id", s.header.writer_id}, {"records", s.records},
                  {"torn_tail", s.torn_tail},        {"bad_records", s.bad_records}};
  out << json{{"summary", summary}}.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace kchaos::reports
