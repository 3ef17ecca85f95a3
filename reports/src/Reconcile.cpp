#include "kchaos/reports/Reconcile.h"

#include <algorithm>

#include "Reconciler.h"
#include "kchaos/journal/Journal.h"

namespace kchaos::reports {

namespace fs = std::filesystem;

ConfigurationFiles ConfigurationFiles::in_directory(const fs::path& dir) {
  ConfigurationFiles f;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".journal")) continue;
    if (name.starts_with("producer-")) f.producer_journals.push_back(entry.path());
    if (name.starts_with("consumer-")) f.consumer_journals.push_back(entry.path());
  }
  // producer-2 before producer-10.
  auto by_name = [](const fs::path& a, const fs::path& b) {
    const std::string x = a.filename().string(), y = b.filename().string();
    return std::pair(x.size(), x) < std::pair(y.size(), y);
  };
  std::sort(f.producer_journals.begin(), f.producer_journals.end(), by_name);
  std::sort(f.consumer_journals.begin(), f.consumer_journals.end(), by_name);
  f.audit_journal = dir / "audit.journal";
  f.events_journal = dir / "events.journal";
  return f;
}

namespace detail {

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

template <typename R>
bool Reconciler::read_journal(const fs::path& path,
                              const std::function<void(const R&)>& on_record) {
  const std::string name = path.filename().string();
  std::error_code ec;
  if (fs::file_size(path, ec) < sizeof(journal::Header) && !ec) {
    // Its writer was killed between creating the file and writing the header.
    ++v_.health.torn_tails;
    v_.health.notes.push_back(name + ": shorter than a journal header, read as empty");
    return false;
  }
  journal::ReadSummary s = journal::read<R>(path, on_record);
  run_ids_.insert(s.header.run_id);
  if (s.torn_tail) {
    ++v_.health.torn_tails;
    v_.health.notes.push_back(name +
                              ": torn tail (writer killed mid-record), partial record dropped");
  }
  if (s.bad_records > 0) {
    v_.health.bad_records += s.bad_records;
    v_.health.notes.push_back(name + ": " + std::to_string(s.bad_records) +
                              " record(s) failed their CRC and were dropped");
  }
  return true;
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
  if (r.seq >= SeqTable::kMaxSeq || count > SeqTable::kMaxSeq - r.seq) {
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
      break;
    default:
      ++bad_kind_;
      return;
  }
  ++v_.log_records;
  p->mark(r.offset);
  if (r.flags & (journal::kAuditCorrupt | journal::kAuditForeign)) {
    const bool foreign = !(r.flags & journal::kAuditCorrupt);
    if (Example* e = add(kCorrupt, r.producer_id, r.seq, nullptr, [&] {
          return std::string(foreign ? "written by another run"
                                     : "checksum or header did not verify") +
                 " (record at " + at(r.partition, r.offset) + ")";
        })) {
      e->log_positions.emplace_back(r.partition, r.offset);
    }
    return;
  }
  SeqState* s = producers_.find(r.producer_id, r.seq);
  if (!s || !(s->flags & kCreated)) {
    if (Example* e = add(kCorrupt, r.producer_id, r.seq, nullptr, [&] {
          return "claims producer " + std::to_string(r.producer_id) + " seq " +
                 std::to_string(r.seq) + ", which this run never created (record at " +
                 at(r.partition, r.offset) + ")";
        })) {
      e->log_positions.emplace_back(r.partition, r.offset);
    }
    return;
  }
  if (s->log_count == 0) {
    s->log_partition = static_cast<int16_t>(r.partition);
    s->log_offset = r.offset;
  }
  saturating_increment(s->log_count);
  if ((s->flags & kAcked) && s->ack_offset >= 0 && s->ack_partition == r.partition &&
      s->ack_offset == r.offset) {
    s->flags |= kAtAck;
  }
  const uint64_t key = uint64_t{r.producer_id} << 32 | r.key_id;
  auto [it, first] = p->max_seq_by_key.try_emplace(key, r.seq);
  if (first) return;
  if (r.seq >= it->second) {
    it->second = r.seq;
    return;
  }
  if (Example* e = add(kReordered, r.producer_id, r.seq, s, [&] {
        return "seq " + std::to_string(r.seq) + " of key " + std::to_string(r.key_id) + " at " +
               at(r.partition, r.offset) + " follows seq " + std::to_string(it->second) +
               " in the log";
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

Verdict Reconciler::run() {
  events_ = read_events(files_.events_journal, v_.health);
  for (const auto& path : files_.producer_journals) {
    read_journal<journal::ProducerRecord>(path, [this](const auto& r) { on_producer(r); });
  }
  std::error_code ec;
  if (!files_.audit_journal.empty() && fs::exists(files_.audit_journal, ec)) {
    audit_read_ = read_journal<journal::AuditRecord>(files_.audit_journal,
                                                     [this](const auto& r) { on_audit(r); });
  }
  if (!audit_read_) {
    v_.health.notes.push_back("no audit journal: nothing in the log can be verified");
  }
  for (const auto& path : files_.consumer_journals) {
    read_journal<journal::ConsumerRecord>(path, [this](const auto& r) { on_consumer(r); });
  }
  classify();
  finish();
  return std::move(v_);
}

}  // namespace detail

Verdict reconcile(const ConfigurationFiles& files, size_t max_examples,
                  const Retention& retention) {
  return detail::Reconciler(files, max_examples, retention).run();
}

}  // namespace kchaos::reports
