// What each journal record tells the reconciler: the producer's, the log's
// (audit) and the consumer's view of a seq, each bounded by the run's own
// facts so that a damaged or crafted record cannot claim the impossible.

#include <algorithm>

#include "Reconciler.h"
#include "kchaos/journal/Journal.h"

namespace kchaos::reports::detail {

namespace {

// The most seqs one created record covers (the producer's chunk is at most
// 64; the margin keeps older or tuned producers readable).
constexpr uint64_t kMaxChunk = 1024;
// How many offsets per audit record a partition may span.
constexpr uint64_t kOffsetSlack = 64;

}  // namespace

bool PartitionState::can_mark(int64_t offset, uint64_t max_span) const {
  if (offset < 0) return false;
  if (base_ < 0) return true;
  const int64_t aligned = offset & ~int64_t{63};
  const int64_t low = std::min(base_, aligned);
  const int64_t high =
      std::max<int64_t>(base_ + static_cast<int64_t>(bits_.size()) * 64, offset + 1);
  return static_cast<uint64_t>(high - low) <= max_span;
}

void PartitionState::mark(int64_t offset) {
  if (offset < 0) return;
  const int64_t aligned = offset & ~int64_t{63};
  if (base_ < 0) base_ = aligned;
  if (aligned < base_) {  // out of order: grow downwards
    bits_.insert(bits_.begin(), static_cast<size_t>((base_ - aligned) / 64), 0);
    base_ = aligned;
  }
  const auto bit = static_cast<uint64_t>(offset - base_);
  if (bit / 64 >= bits_.size()) bits_.resize(bit / 64 + 1);
  bits_[bit / 64] |= uint64_t{1} << (bit % 64);
}

bool PartitionState::occupied(int64_t offset) const {
  if (base_ < 0 || offset < base_) return false;
  const auto bit = static_cast<uint64_t>(offset - base_);
  return bit / 64 < bits_.size() && (bits_[bit / 64] >> (bit % 64) & 1) != 0;
}

void Reconciler::on_producer(const journal::ProducerRecord& r) {
  using journal::ProducerOutcome;
  const auto outcome = static_cast<ProducerOutcome>(r.outcome);
  if (outcome < ProducerOutcome::created || outcome > ProducerOutcome::unknown) {
    ++bad_kind_;
    return;
  }
  if (r.time_us > 0 && (first_time_us_ == 0 || r.time_us < first_time_us_)) {
    first_time_us_ = r.time_us;
  }
  const uint64_t count = outcome == ProducerOutcome::created ? r.count : 1;
  // The producer creates at most kMaxChunk seqs per created record and
  // journals an outcome for each: a journal of N records holds fewer than
  // kMaxChunk * N seqs. A record claiming more is damage, not a run.
  const uint64_t bound = std::min(SeqTable::kMaxSeq, kMaxChunk * (records_in_file_ + 1));
  if (r.seq >= bound || count > bound - r.seq) {
    ++bad_seq_;
    return;
  }
  SeqTable& table = producers_.add(r.producer_id);
  if (outcome == ProducerOutcome::created) {
    for (uint64_t seq = r.seq; seq < r.seq + count; ++seq) table.add(seq).flags |= kCreated;
    return;
  }
  SeqState& s = table.add(r.seq);
  if (!(s.flags & kCreated)) {
    // Its created record was dropped (bad CRC): count it all the same, so
    // that the equation still covers it.
    ++implicitly_created_;
    s.flags |= kCreated;
  }
  if (outcome == ProducerOutcome::failed) s.flags |= kFailed;
  if (outcome == ProducerOutcome::unknown) s.flags |= kUnknown;
  if (outcome != ProducerOutcome::acked) return;
  PartitionState* p = partitions_.get(r.partition);
  if (!p && r.offset >= 0) ++bad_partition_;
  const int16_t partition = p ? static_cast<int16_t>(r.partition) : int16_t{-1};
  const int64_t offset = p ? std::max<int64_t>(r.offset, -1) : -1;
  if (s.flags & kAcked) {
    if (s.ack_partition != partition || s.ack_offset != offset) s.flags |= kAckConflict;
    return;
  }
  s.flags |= kAcked;
  s.ack_partition = partition;
  s.ack_offset = offset;
}

void Reconciler::on_audit(const journal::AuditRecord& r) {
  using journal::AuditEvent;
  PartitionState* p = partitions_.get(r.partition);
  if (!p) {
    ++bad_partition_;
    return;
  }
  switch (static_cast<AuditEvent>(r.event)) {
    case AuditEvent::partition_range:
      if (p->has_range) ++repeated_ranges_;
      p->has_range = true;
      p->complete = (r.flags & journal::kAuditComplete) != 0;
      p->start = r.offset;
      p->high = r.high;
      // The time the range was measured (0 in older journals).
      audit_time_us_ = std::max<int64_t>(audit_time_us_, static_cast<int64_t>(r.seq));
      return;
    case AuditEvent::group_committed:
      p->committed = r.offset;
      return;
    case AuditEvent::record:
      on_log_record(r, *p);
      return;
    default:
      ++bad_kind_;
      return;
  }
}

void Reconciler::on_log_record(const journal::AuditRecord& r, PartitionState& p) {
  // The audit reads each offset once, and a partition of N records spans
  // about N offsets (a little more with compaction or transactions).
  if (!p.can_mark(r.offset, kOffsetSlack * (records_in_file_ + 1) + (uint64_t{1} << 20))) {
    ++implausible_offsets_;
    return;
  }
  if (p.occupied(r.offset)) {
    ++repeated_records_;
    return;
  }
  ++v_.log_records;
  p.mark(r.offset);
  auto corrupt = [&](const std::string& why) {
    if (Example* e = add(kCorrupt, r.producer_id, r.seq, nullptr,
                         [&] { return why + " (record at " + at(r.partition, r.offset) + ")"; })) {
      e->log_positions.emplace_back(r.partition, r.offset);
    }
  };
  if (r.flags & (journal::kAuditCorrupt | journal::kAuditForeign)) {
    corrupt((r.flags & journal::kAuditCorrupt) ? "checksum or header did not verify"
                                               : "written by another run");
    return;
  }
  SeqState* s = producers_.find(r.producer_id, r.seq);
  if (!s || !(s->flags & kCreated)) {
    if (missing_producers_.count(r.producer_id) != 0) {
      ++of_missing_producers_;  // its producer's journal is gone: not corrupt
      return;
    }
    corrupt("claims producer " + std::to_string(r.producer_id) + " seq " + std::to_string(r.seq) +
            ", which this run never created");
    return;
  }
  on_our_record(r, p, *s);
}

void Reconciler::on_our_record(const journal::AuditRecord& r, PartitionState& p, SeqState& s) {
  if (s.log_count == 0) {
    s.log_partition = static_cast<int16_t>(r.partition);
    s.log_offset = r.offset;
  }
  saturating_increment(s.log_count);
  if ((s.flags & kAcked) && s.ack_offset >= 0 && s.ack_partition == r.partition &&
      s.ack_offset == r.offset) {
    s.flags |= kAtAck;
  }
  const uint64_t key = uint64_t{r.producer_id} << 32 | r.key_id;
  auto [it, first] = p.max_seq_by_key.try_emplace(key, r.seq);
  if (first) return;
  if (r.seq >= it->second) {
    it->second = r.seq;
    return;
  }
  const uint64_t before = it->second;  // (a lambda may not capture a structured binding)
  if (Example* e = add(kReordered, r.producer_id, r.seq, &s, [&] {
        return "seq " + std::to_string(r.seq) + " of key " + std::to_string(r.key_id) + " at " +
               at(r.partition, r.offset) + " follows seq " + std::to_string(before) + " in the log";
      })) {
    e->log_positions.emplace_back(r.partition, r.offset);
  }
}

void Reconciler::on_consumer(const journal::ConsumerRecord& r) {
  if (static_cast<journal::ConsumerEvent>(r.event) != journal::ConsumerEvent::processed) return;
  ++v_.processed;
  partitions_.get(r.partition);
  SeqState* s = producers_.find(r.producer_id, r.seq);
  if (!s || !(s->flags & kCreated)) {
    ++processed_uncreated_;
    return;
  }
  saturating_increment(s->processed);
}

}  // namespace kchaos::reports::detail
