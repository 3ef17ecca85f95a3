#include "Fields.h"
#include "kchaos/protocol/Events.h"

namespace kchaos::protocol {
namespace {

using detail::read;

Json optional_ms(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

void to_json(Json& j, const LatencyWindow& l) {
  j = {{"p50_ms", optional_ms(l.p50_ms)},
       {"p99_ms", optional_ms(l.p99_ms)},
       {"max_ms", optional_ms(l.max_ms)},
       {"buckets", l.buckets},
       {"sum_s", l.sum_s}};
}

void from_json(const Json& j, LatencyWindow& l) {
  for (auto [key, field] : {std::pair{"p50_ms", &l.p50_ms}, std::pair{"p99_ms", &l.p99_ms},
                            std::pair{"max_ms", &l.max_ms}}) {
    if (j.contains(key) && j[key].is_number()) *field = j[key].get<double>();
  }
  read(j, "buckets", l.buckets);
  read(j, "sum_s", l.sum_s);
}

void to_json(Json& j, const ProducerProgress& p) {
  j = {{"sent", p.sent},       {"acked", p.acked},         {"failed", p.failed},
       {"unknown", p.unknown}, {"in_flight", p.in_flight}, {"latency", p.latency}};
}

void from_json(const Json& j, ProducerProgress& p) {
  read(j, "sent", p.sent);
  read(j, "acked", p.acked);
  read(j, "failed", p.failed);
  read(j, "unknown", p.unknown);
  read(j, "in_flight", p.in_flight);
  read(j, "latency", p.latency);
}

void to_json(Json& j, const ConsumerProgress& p) {
  Json positions = Json::object();
  for (const auto& [partition, offset] : p.positions) positions[std::to_string(partition)] = offset;
  j = {{"consumed", p.consumed},
       {"corrupt", p.corrupt},
       {"foreign", p.foreign},
       {"commits", p.commits},
       {"commit_failures", p.commit_failures},
       {"assigned_partitions", p.assigned_partitions},
       {"positions", positions},
       {"end_to_end", p.end_to_end}};
}

void from_json(const Json& j, ConsumerProgress& p) {
  read(j, "consumed", p.consumed);
  read(j, "corrupt", p.corrupt);
  read(j, "foreign", p.foreign);
  read(j, "commits", p.commits);
  read(j, "commit_failures", p.commit_failures);
  read(j, "assigned_partitions", p.assigned_partitions);
  if (j.contains("positions") && j["positions"].is_object()) {
    for (const auto& [partition, offset] : j["positions"].items()) {
      p.positions[std::stoi(partition)] = offset.get<int64_t>();
    }
  }
  read(j, "end_to_end", p.end_to_end);
}

void to_json(Json& j, const AuditDone& d) {
  j = {{"records", d.records},
       {"corrupt", d.corrupt},
       {"partitions", d.partitions},
       {"complete", d.complete},
       {"committed_error", d.committed_error}};
}

void from_json(const Json& j, AuditDone& d) {
  read(j, "records", d.records);
  read(j, "corrupt", d.corrupt);
  read(j, "partitions", d.partitions);
  read(j, "complete", d.complete);
  read(j, "committed_error", d.committed_error);
}

void to_json(Json& j, const Batch& b) { j = {{"count", b.count}}; }
void from_json(const Json& j, Batch& b) { read(j, "count", b.count); }

std::string event_line(const std::string& name, double time_s, const Json& body) {
  Json line = {{"name", name}, {"time", time_s}};
  if (body.is_object()) {
    for (const auto& [k, v] : body.items()) line[k] = v;
  }
  return line.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace kchaos::protocol
