// The judge's classes for one created seq: its producer outcome (exactly
// one class, for the equation), then what the log and the consumer did.

#include <algorithm>
#include <bit>
#include <limits>

#include "Judge.h"

namespace kchaos::reports::detail {

std::string Judge::why_unverifiable(const SeqState& s) const {
  const std::string acked = "acked at " + at(s.ack_partition, s.ack_offset) + ", not there; ";
  const PartitionState* p = h_.partitions.find(s.ack_partition);
  if (!p || !p->has_range) {
    return acked + "the audit has no range for partition " + std::to_string(s.ack_partition);
  }
  if (!p->complete) {
    return acked + "the audit did not read partition " + std::to_string(s.ack_partition) +
           " to the end";
  }
  return acked + "at or beyond the final high watermark " + std::to_string(p->high) + ", and " +
         (h_.events.recovered.has_value()
              ? "the cluster had not recovered (brokers down or ISR short)"
              : "no record says the cluster had recovered");
}

int64_t Judge::run_span_us() const {
  if (h_.first_time_us == 0 || h_.audit_time_us <= h_.first_time_us) {
    // Unknown: any age retention could act on.
    return std::numeric_limits<int64_t>::max();
  }
  return h_.audit_time_us - h_.first_time_us;
}

std::string Judge::run_span_text() const {
  const int64_t span = run_span_us();
  if (span == std::numeric_limits<int64_t>::max()) return "in a run of unknown length";
  return "in a run of " + std::to_string((span + 500'000) / 1'000'000) + " s";
}

Anomaly Judge::classify_below_start(uint32_t id, uint64_t seq, const SeqState& s,
                                         const PartitionState& p) {
  const bool by_time = retention_.time_could_remove(run_span_us());
  const bool by_size = retention_.size_could_remove(s.ack_offset, p.high);
  const std::string where = "acked at " + at(s.ack_partition, s.ack_offset) +
                            ", below the partition's log start " + std::to_string(p.start);
  if (by_time || by_size) {
    add(kExpired, id, seq, &s, [&] {
      return where + ": the topic's " + (by_time ? "retention.ms" : "retention.bytes") +
             " could have removed it " + run_span_text() + " (" + retention_.text + ")";
    });
    return kExpired;
  }
  add(kLost, id, seq, &s, [&] {
    return where + ": deleted from the log, and the topic's retention (" + retention_.text +
           ") could not have removed it " + run_span_text();
  });
  return kLost;
}

Anomaly Judge::classify_acked_elsewhere(uint32_t id, uint64_t seq, const SeqState& s) {
  const PartitionState* p = h_.partitions.find(s.ack_partition);
  const std::string acked = "acked at " + at(s.ack_partition, s.ack_offset);
  if (!p || !p->has_range || !p->complete) {
    add(kUnverifiable, id, seq, &s, [&] { return why_unverifiable(s); });
    return kUnverifiable;
  }
  if (s.log_count > 0) {
    add(kDivergent, id, seq, &s, [&] {
      return acked + ", but the final log holds it at " + at(s.log_partition, s.log_offset) +
             (p->occupied(s.ack_offset) ? " and another message at the acked offset" : "");
    });
    return kDivergent;
  }
  if (s.ack_offset < p->start) return classify_below_start(id, seq, s, *p);
  if (s.ack_offset >= p->high) {
    // Read to its final high watermark after the cluster recovered: a high
    // watermark at or below the acked offset proves the log was truncated.
    if (h_.events.recovered != true) {
      add(kUnverifiable, id, seq, &s, [&] { return why_unverifiable(s); });
      return kUnverifiable;
    }
    add(kLost, id, seq, &s, [&] {
      return "truncated: final high watermark " + std::to_string(p->high) +
             " <= acknowledged offset " + std::to_string(s.ack_offset) + " (partition " +
             std::to_string(s.ack_partition) + ")";
    });
    return kLost;
  }
  if (p->occupied(s.ack_offset)) {
    add(kDivergent, id, seq, &s, [&] {
      return acked + "; the final log holds another message there, and this one nowhere";
    });
    return kDivergent;
  }
  if (retention_.compacts) {
    add(kExpired, id, seq, &s, [&] {
      return acked + "; absent from the final log, which the topic compacts (" + retention_.text +
             "): compaction could have removed it";
    });
    return kExpired;
  }
  add(kLost, id, seq, &s, [&] {
    return acked + "; absent from the final log (partition read to high watermark " +
           std::to_string(p->high) + ")";
  });
  return kLost;
}

std::string Judge::not_found(const std::string& what) const {
  if (!h_.audit_read) return what + "; there is no audit of the log";
  if (incomplete_.empty()) return what + "; the audit read no partition";
  return what + "; not in the log, but the audit did not fully read partitions " + incomplete_;
}

// acks=0: acknowledged without an offset, so the whole log is its proof.
Anomaly Judge::classify_without_offset(uint32_t id, uint64_t seq, const SeqState& s) {
  if (s.log_count > 0) {
    ++v_.ok;
    return kAnomalies;
  }
  if (!all_complete_) {
    add(kUnverifiable, id, seq, &s, [&] { return not_found("acked without an offset (acks=0)"); });
    return kUnverifiable;
  }
  const PartitionState* p = h_.partitions.find(s.ack_partition);
  const bool could_expire =
      retention_.compacts || (p && p->start > 0 &&
                              (retention_.time_could_remove(run_span_us()) ||
                               retention_.size_could_remove(p->start, p->high)));
  if (could_expire) {
    add(kExpired, id, seq, &s, [&] {
      return "acked without an offset (acks=0); not in the final log, which the topic's "
             "retention could have cleaned (" +
             retention_.text + ")";
    });
    return kExpired;
  }
  add(kLost, id, seq, &s, [] { return "acked without an offset (acks=0); not in the final log"; });
  return kLost;
}

// The seq's producer-outcome class (kAnomalies for ok); exactly one per seq.
Anomaly Judge::classify_outcome(uint32_t id, uint64_t seq, const SeqState& s) {
  const bool present = s.log_count > 0;
  if (s.flags & kAcked) {
    ++v_.acked;
    if (s.ack_offset < 0) return classify_without_offset(id, seq, s);
    if (s.flags & kAtAck) {
      ++v_.ok;
      return kAnomalies;
    }
    return classify_acked_elsewhere(id, seq, s);
  }
  // Counts a in its class and returns it.
  auto mark = [&](Anomaly a, auto&& detail) {
    add(a, id, seq, &s, detail);
    return a;
  };
  if (s.flags & kFailed) {
    ++v_.failed;
    if (present) {
      return mark(kFailedButWritten, [&] {
        return "reported failed, yet in the final log at " + at(s.log_partition, s.log_offset);
      });
    }
    if (all_complete_) {
      return mark(kSendFailed, [] { return std::string("reported failed; not in the final log"); });
    }
    return mark(kUnverifiable, [&] { return not_found("reported failed"); });
  }
  ++v_.unknown;
  const std::string why = (s.flags & kUnknown) ? "no delivery report (purged or timed out)"
                                               : "no outcome recorded (producer killed)";
  if (present) {
    return mark(kUnknownWritten,
                [&] { return why + "; in the final log at " + at(s.log_partition, s.log_offset); });
  }
  if (all_complete_) {
    return mark(kUnknownMissing, [&] { return why + "; not in the final log"; });
  }
  return mark(kUnverifiable, [&] { return not_found(why); });
}

// What the log and the consumer did with the seq, beside its outcome.
void Judge::classify_consumption(uint32_t id, uint64_t seq, const SeqState& s, bool expired) {
  const bool present = s.log_count > 0;
  if (s.log_count >= 2) {
    add(kDuplicated, id, seq, &s, [&] {
      return "in the final log " + std::to_string(s.log_count) +
             (s.log_count == UINT8_MAX ? " or more" : "") + " times";
    });
  }
  if (consumer_view_damaged_) return;
  if (present && s.processed == 0) {
    const PartitionState* p = h_.partitions.find(s.log_partition);
    if (p && p->committed >= 0 && s.log_offset < p->committed) {
      add(kConsumerMissed, id, seq, &s, [&] {
        return "at " + at(s.log_partition, s.log_offset) + ", below the group's committed offset " +
               std::to_string(p->committed) + ", never processed";
      });
    } else {
      add(kUnconsumed, id, seq, &s, [&] {
        return "at " + at(s.log_partition, s.log_offset) + ", beyond the group's final position " +
               (p && p->committed >= 0 ? std::to_string(p->committed) : std::string("(none)"));
      });
    }
  }
  if (s.processed > std::max<uint8_t>(1, s.log_count)) {
    add(kConsumerDuplicated, id, seq, &s, [&] {
      return "processed " + std::to_string(s.processed) + " times, in the log " +
             std::to_string(s.log_count) + " time(s)";
    });
  }
  if (s.processed > 0 && !present && all_complete_ && !expired) {
    add(kConsumedThenLost, id, seq, &s, [&] {
      return "processed " + std::to_string(s.processed) + " time(s), absent from the final log";
    });
  }
}

void Judge::classify_seq(uint32_t id, uint64_t seq, const SeqState& s) {
  ++v_.created;
  const unsigned outcomes = s.flags & (kAcked | kFailed | kUnknown);
  if (std::popcount(outcomes) > 1 || (s.flags & kAckConflict)) {
    ++v_.health.conflicting_outcomes;
  }
  const Anomaly outcome = classify_outcome(id, seq, s);
  classify_consumption(id, seq, s, outcome == kExpired);
}

}  // namespace kchaos::reports::detail
