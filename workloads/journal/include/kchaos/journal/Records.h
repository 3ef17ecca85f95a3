#pragma once
// The journal formats: a 32-byte versioned header, then fixed-size records,
// each ending in a CRC32 of its other bytes. Files are append-only, so a
// worker killed mid-write leaves at most one torn record at the tail, which
// readers detect (short, or its CRC does not match) and drop.
//
// This header is the only thing reports/ knows about the workers.

#include <cstdint>

namespace kchaos::journal {

inline constexpr char kMagic[4] = {'K', 'C', 'J', 'L'};
inline constexpr uint32_t kVersion = 1;

enum class Kind : uint32_t { producer = 1, consumer = 2, audit = 3, events = 4 };

struct Header {
  char magic[4];
  uint32_t version;
  uint32_t kind;         // Kind
  uint32_t record_size;  // sizeof the record type, as a check
  uint64_t run_id;
  uint32_t writer_id;  // producer id, consumer instance; 0 for audit/events
  uint32_t reserved;
};
static_assert(sizeof(Header) == 32);

// ---- producer journal: what the application was told about each seq ----

enum class ProducerOutcome : uint8_t {
  /// seq..seq+count-1 were handed to librdkafka (written before produce, so a
  /// crash cannot hide a created seq). partition/offset unused.
  created = 1,
  /// Delivery report with success. offset is -1 for acks=0.
  acked = 2,
  /// Delivery report with a definite error (error holds rd_kafka_resp_err_t).
  failed = 3,
  /// No outcome: purged or timed out at exit (error says which). The
  /// reconciler also treats a created seq with no later record as unknown.
  unknown = 4,
};

struct ProducerRecord {
  uint64_t seq;
  uint32_t producer_id;
  uint8_t outcome;  // ProducerOutcome
  uint8_t reserved[3];
  int32_t partition;    // -1 when unknown
  uint32_t count;       // created: number of seqs from seq; otherwise 1
  int64_t offset;       // -1 when unknown (acks=0, failures)
  int64_t time_us;      // wall clock, microseconds since the epoch
  int32_t error;        // rd_kafka_resp_err_t, 0 for acked
  uint32_t latency_us;  // produce() to delivery report
  uint32_t crc;
  uint32_t pad;
};
static_assert(sizeof(ProducerRecord) == 56);

// ---- consumer journal: what the verifying consumer group processed ----

enum class ConsumerEvent : uint8_t {
  /// One message processed (its seq decoded from the value).
  processed = 1,
  /// The consumer committed offset (the next to read) for partition.
  committed = 2,
  /// A batch of `count` messages starts / has been fully processed.
  batch_begin = 3,
  batch_end = 4,
  /// Partitions assigned / revoked (partition = -1 for "all").
  assigned = 5,
  revoked = 6,
};

struct ConsumerRecord {
  uint64_t seq;  // processed only
  uint32_t producer_id;
  uint8_t event;  // ConsumerEvent
  uint8_t reserved[3];
  int32_t partition;
  int32_t generation;  // group generation id, -1 when unknown
  int64_t offset;
  int64_t time_us;
  uint32_t count;  // batch size for batch_begin/batch_end
  uint32_t crc;
};
static_assert(sizeof(ConsumerRecord) == 48);

// ---- audit journal: the final log, and the group's final positions ----

enum class AuditEvent : uint8_t {
  /// A record found at partition/offset. seq/producer_id/key_id decoded;
  /// flags say whether it verified.
  record = 1,
  /// The partition was read from offset (log start) to high (high watermark).
  /// flags & kAuditComplete when the whole range was read. seq holds the
  /// wall-clock time (us) the range was measured (0 in older journals).
  partition_range = 2,
  /// The verifying group's committed offset for partition (-1: none).
  group_committed = 3,
};

inline constexpr uint8_t kAuditComplete = 1;  // partition_range: whole range read
inline constexpr uint8_t kAuditCorrupt = 2;   // record: checksum or header did not verify
inline constexpr uint8_t kAuditForeign = 4;   // record: written by another run

struct AuditRecord {
  uint64_t seq;
  uint32_t producer_id;
  uint8_t event;  // AuditEvent
  uint8_t flags;
  uint16_t reserved;
  int32_t partition;
  uint32_t key_id;
  int64_t offset;  // record offset; log start for partition_range; committed offset
  int64_t high;    // partition_range: high watermark
  uint32_t crc;
  uint32_t pad;
};
static_assert(sizeof(AuditRecord) == 48);

// ---- events journal: phases, faults, workers ----

enum class EventType : uint8_t {
  phase = 1,  // text: warm-up, faults, recovery, drain, audit, done
  fault_injected = 2,
  fault_healed = 3,
  worker_started = 4,
  worker_exited = 5,
  worker_killed = 6,
  note = 7,
  /// Whether the cluster was whole after the faults: target 1 when every
  /// broker was up and every partition had a leader and a full ISR, else 0.
  recovery = 8,
  /// A fault of the timeline, before anything starts: text is its plan.
  fault_planned = 9,
  /// A fault could not be injected or healed: text is the last error.
  fault_failed = 10,
  /// The scheduler began a fault's injection or heal: text is
  /// {"op":"inject"|"heal","planned_s":P,"began_s":B}, seconds into the
  /// fault phase (the injected or healed event follows when it is done).
  fault_begun = 11,
};

struct EventRecord {
  int64_t mono_us;  // steady clock, microseconds since the run started
  int64_t time_us;  // wall clock
  uint8_t type;     // EventType
  uint8_t reserved;
  /// For fault events: the fault's 1-based index in the planned timeline
  /// (0: none, or a journal written before faults were numbered).
  uint16_t fault;
  int32_t target;  // broker id, worker id, or -1
  char text[104];  // NUL-terminated, truncated
  uint32_t crc;
  uint32_t pad;
};
static_assert(sizeof(EventRecord) == 136);

template <typename R>
constexpr Kind kind_of();
template <>
constexpr Kind kind_of<ProducerRecord>() {
  return Kind::producer;
}
template <>
constexpr Kind kind_of<ConsumerRecord>() {
  return Kind::consumer;
}
template <>
constexpr Kind kind_of<AuditRecord>() {
  return Kind::audit;
}
template <>
constexpr Kind kind_of<EventRecord>() {
  return Kind::events;
}

}  // namespace kchaos::journal
