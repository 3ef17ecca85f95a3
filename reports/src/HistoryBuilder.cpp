// What each journal record tells the History: the producer's, the log's
// (audit) and the consumer's view of a seq, each bounded by the run's own
// facts so that a damaged or crafted record cannot claim the impossible; and
// what the reader says of the files themselves. No file is read here.

#include <algorithm>

#include "History.h"

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

void HistoryBuilder::add(const journal::ProducerRecord& r) {
  using journal::ProducerOutcome;
  const auto outcome = static_cast<ProducerOutcome>(r.outcome);
  if (outcome < ProducerOutcome::created || outcome > ProducerOutcome::unknown) {
    ++h_.bad_kind;
    return;
  }
  if (r.time_us > 0 && (h_.first_time_us == 0 || r.time_us < h_.first_time_us)) {
    h_.first_time_us = r.time_us;
  }
  const uint64_t count = outcome == ProducerOutcome::created ? r.count : 1;
  // The producer creates at most kMaxChunk seqs per created record and
  // journals an outcome for each: a journal of N records holds fewer than
  // kMaxChunk * N seqs. A record claiming more is damage, not a run.
  const uint64_t bound = std::min(SeqTable::kMaxSeq, kMaxChunk * (records_in_file_ + 1));
  if (r.seq >= bound || count > bound - r.seq) {
    ++h_.bad_seq;
    return;
  }
  SeqTable& table = h_.producers.add(r.producer_id);
  if (outcome == ProducerOutcome::created) {
    for (uint64_t seq = r.seq; seq < r.seq + count; ++seq) table.add(seq).flags |= kCreated;
    return;
  }
  SeqState& s = table.add(r.seq);
  if (!(s.flags & kCreated)) {
    // Its created record was dropped (bad CRC): count it all the same, so
    // that the equation still covers it.
    ++h_.implicitly_created;
    s.flags |= kCreated;
  }
  if (outcome == ProducerOutcome::failed) s.flags |= kFailed;
  if (outcome == ProducerOutcome::unknown) s.flags |= kUnknown;
  if (outcome != ProducerOutcome::acked) return;
  PartitionState* p = h_.partitions.get(r.partition);
  if (!p && r.offset >= 0) ++h_.bad_partition;
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

void HistoryBuilder::add(const journal::AuditRecord& r) {
  using journal::AuditEvent;
  PartitionState* p = h_.partitions.get(r.partition);
  if (!p) {
    ++h_.bad_partition;
    return;
  }
  switch (static_cast<AuditEvent>(r.event)) {
    case AuditEvent::partition_range:
      if (p->has_range) ++h_.repeated_ranges;
      p->has_range = true;
      p->complete = (r.flags & journal::kAuditComplete) != 0;
      p->start = r.offset;
      p->high = r.high;
      // The time the range was measured (0 in older journals).
      h_.audit_time_us = std::max<int64_t>(h_.audit_time_us, static_cast<int64_t>(r.seq));
      return;
    case AuditEvent::group_committed:
      p->committed = r.offset;
      return;
    case AuditEvent::record:
      on_log_record(r, *p);
      return;
    default:
      ++h_.bad_kind;
      return;
  }
}

void HistoryBuilder::on_log_record(const journal::AuditRecord& r, PartitionState& p) {
  // The audit reads each offset once, and a partition of N records spans
  // about N offsets (a little more with compaction or transactions).
  if (!p.can_mark(r.offset, kOffsetSlack * (records_in_file_ + 1) + (uint64_t{1} << 20))) {
    ++h_.implausible_offsets;
    return;
  }
  if (p.occupied(r.offset)) {
    ++h_.repeated_records;
    return;
  }
  ++h_.log_records;
  p.mark(r.offset);
  auto corrupt = [&](const std::string& why) {
    if (Example* e = h_.found.add(kCorrupt, r.producer_id, r.seq, nullptr,
                                  [&] { return why + " (record at " + at(r.partition, r.offset) + ")"; })) {
      e->log_positions.emplace_back(r.partition, r.offset);
    }
  };
  if (r.flags & (journal::kAuditCorrupt | journal::kAuditForeign)) {
    corrupt((r.flags & journal::kAuditCorrupt) ? "checksum or header did not verify"
                                               : "written by another run");
    return;
  }
  SeqState* s = h_.producers.find(r.producer_id, r.seq);
  if (!s || !(s->flags & kCreated)) {
    if (h_.missing_producers.count(r.producer_id) != 0) {
      ++h_.of_missing_producers;  // its producer's journal is gone: not corrupt
      return;
    }
    corrupt("claims producer " + std::to_string(r.producer_id) + " seq " + std::to_string(r.seq) +
            ", which this run never created");
    return;
  }
  on_our_record(r, p, *s);
}

void HistoryBuilder::on_our_record(const journal::AuditRecord& r, PartitionState& p, SeqState& s) {
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
  if (Example* e = h_.found.add(kReordered, r.producer_id, r.seq, &s, [&] {
        return "seq " + std::to_string(r.seq) + " of key " + std::to_string(r.key_id) + " at " +
               at(r.partition, r.offset) + " follows seq " + std::to_string(before) + " in the log";
      })) {
    e->log_positions.emplace_back(r.partition, r.offset);
  }
}

void HistoryBuilder::add(const journal::ConsumerRecord& r) {
  if (static_cast<journal::ConsumerEvent>(r.event) != journal::ConsumerEvent::processed) return;
  ++h_.processed;
  h_.partitions.get(r.partition);
  SeqState* s = h_.producers.find(r.producer_id, r.seq);
  if (!s || !(s->flags & kCreated)) {
    ++h_.processed_uncreated;
    return;
  }
  saturating_increment(s->processed);
}

// ---- what the files say ----

void HistoryBuilder::damaged(const std::string& what) {
  h_.health.damage.push_back(what);
  h_.health.notes.push_back(what);
}

void HistoryBuilder::torn_tail(const std::string& what, bool is_damage) {
  ++h_.health.torn_tails;
  if (is_damage) {
    damaged(what);
  } else {
    note(what);
  }
}

void HistoryBuilder::bad_records(uint64_t n, const std::string& what) {
  h_.health.bad_records += n;
  damaged(what);
}

void HistoryBuilder::note_audit_damage() {
  if (h_.repeated_records > 0) {
    damaged("audit.journal: " + std::to_string(h_.repeated_records) +
            " record(s) repeat an offset the audit already read (ignored, not counted as "
            "duplicated or reordered)");
  }
  if (h_.implausible_offsets > 0) {
    damaged("audit.journal: " + std::to_string(h_.implausible_offsets) +
            " record(s) at offsets far beyond what the audit read (refused)");
  }
}

void HistoryBuilder::audit_read(bool damaged) {
  note_audit_damage();
  h_.audit_read = true;
  if (damaged || h_.repeated_records > 0 || h_.implausible_offsets > 0) {
    // A damaged audit proves no absence: what it lacks is unverifiable.
    h_.partitions.distrust_audit();
    note("audit.journal is damaged: what is missing from it is unverifiable");
  }
}

void HistoryBuilder::audit_unread() {
  note_audit_damage();
  note("no audit journal: nothing in the log can be verified");
}

Findings Findings::capped(size_t max_examples) const {
  Findings f(max_examples);
  f.counts_ = counts_;
  const auto& names = anomaly_names();
  for (const Example& e : examples_) {
    const auto a = static_cast<size_t>(std::find(names.begin(), names.end(), e.anomaly) -
                                       names.begin());
    if (a >= kAnomalies || f.examples_per_[a] >= max_examples) continue;
    ++f.examples_per_[a];
    f.examples_.push_back(e);
  }
  return f;
}

}  // namespace kchaos::reports::detail
