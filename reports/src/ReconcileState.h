#pragma once
// Internal to reconcile(): the dense per-seq state and the per-partition view
// of the final log. Not part of the reports API.

#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace kchaos::reports::detail {

enum SeqFlag : uint8_t {
  kCreated = 1,
  kAcked = 2,
  kFailed = 4,
  kUnknown = 8,
  kAtAck = 16,        // the log holds it exactly where it was acked
  kAckConflict = 32,  // acked twice, at different positions
};

/// All the reconciler keeps per seq. Ten million seqs take 240 MB.
struct SeqState {
  int64_t ack_offset;  // with kAcked; -1 for acks=0
  int64_t log_offset;  // first log occurrence, when log_count > 0
  int16_t ack_partition;
  int16_t log_partition;
  uint8_t flags;      // SeqFlag
  uint8_t log_count;  // occurrences in the log, saturating
  uint8_t processed;  // times the group processed it, saturating
  uint8_t reserved;
};
static_assert(sizeof(SeqState) == 24);

inline void saturating_increment(uint8_t& n) {
  if (n < UINT8_MAX) ++n;
}

/// One producer's seqs (dense from 0), in fixed chunks allocated as created
/// ranges arrive: no reallocation, and at most one partly used chunk.
class SeqTable {
 public:
  static constexpr unsigned kChunkBits = 16;
  static constexpr uint64_t kChunkSize = uint64_t{1} << kChunkBits;
  /// Larger seqs are refused: they would mean a corrupt journal, not a run.
  static constexpr uint64_t kMaxSeq = uint64_t{1} << 40;

  SeqState* find(uint64_t seq) {
    uint64_t c = seq >> kChunkBits;
    if (c >= chunks_.size() || !chunks_[c]) return nullptr;
    return &chunks_[c][seq & (kChunkSize - 1)];
  }
  /// Requires seq < kMaxSeq.
  SeqState& add(uint64_t seq) {
    uint64_t c = seq >> kChunkBits;
    if (c >= chunks_.size()) chunks_.resize(c + 1);
    if (!chunks_[c]) chunks_[c] = std::make_unique<SeqState[]>(kChunkSize);  // zeroed
    return chunks_[c][seq & (kChunkSize - 1)];
  }
  template <typename F>
  void for_each(F&& f) const {
    for (uint64_t c = 0; c < chunks_.size(); ++c) {
      if (!chunks_[c]) continue;
      const SeqState* chunk = chunks_[c].get();
      for (uint64_t i = 0; i < kChunkSize; ++i) f((c << kChunkBits) | i, chunk[i]);
    }
  }

 private:
  std::vector<std::unique_ptr<SeqState[]>> chunks_;
};

/// Every producer's SeqTable, with the last one looked up cached (journals
/// hold long runs of one producer).
class Producers {
 public:
  SeqState* find(uint32_t producer_id, uint64_t seq) {
    SeqTable* t = table(producer_id);
    return t ? t->find(seq) : nullptr;
  }
  SeqTable& add(uint32_t producer_id) {
    if (!last_ || last_id_ != producer_id) {
      last_ = &tables_[producer_id];
      last_id_ = producer_id;
    }
    return *last_;
  }
  const std::map<uint32_t, SeqTable>& tables() const { return tables_; }

 private:
  SeqTable* table(uint32_t producer_id) {
    if (last_ && last_id_ == producer_id) return last_;
    auto it = tables_.find(producer_id);
    if (it == tables_.end()) return nullptr;
    last_ = &it->second;
    last_id_ = producer_id;
    return last_;
  }
  std::map<uint32_t, SeqTable> tables_;
  SeqTable* last_ = nullptr;
  uint32_t last_id_ = 0;
};

/// What the audit found in one partition.
struct PartitionState {
  bool known = false;  // seen in any journal
  bool has_range = false;
  bool complete = false;
  int64_t start = -1, high = -1;
  int64_t committed = -1;  // the verifying group's final committed offset
  /// For reordered: the highest seq seen so far per (producer << 32 | key).
  std::unordered_map<uint64_t, uint64_t> max_seq_by_key;

  /// The audit read offset, so "not in the log" there is proof.
  bool covers(int64_t offset) const {
    return has_range && complete && offset >= start && offset < high;
  }
  /// Whether marking offset keeps the bitmap within max_span offsets.
  bool can_mark(int64_t offset, uint64_t max_span) const;
  /// Marks an offset that holds some record (ours, corrupt or foreign).
  void mark(int64_t offset);
  bool occupied(int64_t offset) const;

 private:
  int64_t base_ = -1;  // offset of bit 0, a multiple of 64
  std::vector<uint64_t> bits_;
};

/// Partitions by id; ids outside [0, kMaxPartition] are refused.
class Partitions {
 public:
  static constexpr int32_t kMaxPartition = INT16_MAX;
  /// nullptr for an id out of range.
  PartitionState* get(int32_t partition) {
    if (partition < 0 || partition > kMaxPartition) return nullptr;
    if (static_cast<size_t>(partition) >= parts_.size()) parts_.resize(partition + 1);
    parts_[partition].known = true;
    return &parts_[partition];
  }
  const PartitionState* find(int32_t partition) const {
    if (partition < 0 || static_cast<size_t>(partition) >= parts_.size()) return nullptr;
    return parts_[partition].known ? &parts_[partition] : nullptr;
  }
  const std::vector<PartitionState>& all() const { return parts_; }
  /// What the audit says of every partition can no longer be trusted.
  void distrust_audit() {
    for (auto& p : parts_) p.complete = false;
  }

 private:
  std::vector<PartitionState> parts_;
};

}  // namespace kchaos::reports::detail
