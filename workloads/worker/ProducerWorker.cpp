// The sequenced producer: each value carries (run, producer, seq, key) and a
// checksum; every seq is journaled as created before it is produced, and
// every delivery report is journaled as it arrives.

#include <thread>

#include "Worker.h"
#include "kchaos/journal/Journal.h"
#include "kchaos/journal/Message.h"
#include "kchaos/kafka/RdKafka.h"

namespace kchaos::workloads {
namespace {

using Clock = std::chrono::steady_clock;
using journal::ProducerOutcome;
using journal::ProducerRecord;
namespace event = protocol::event;

bool outcome_unknown(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT ||
         err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT || err == RD_KAFKA_RESP_ERR__TIMED_OUT;
}

ProducerRecord record(uint32_t producer_id, uint64_t seq, ProducerOutcome outcome) {
  ProducerRecord r{};
  r.seq = seq;
  r.producer_id = producer_id;
  r.outcome = static_cast<uint8_t>(outcome);
  r.count = 1;
  r.partition = -1;
  r.offset = -1;
  r.time_us = wall_us();
  return r;
}

class Producer {
 public:
  explicit Producer(const protocol::ProducerSpec& spec)
      : spec_(spec), journal_(spec.target.journal, spec.target.run_id, spec.producer_id) {
    auto props = spec.config;
    props["bootstrap.servers"] = spec.target.bootstrap;
    props["client.id"] = "kchaos-producer-" + std::to_string(spec.producer_id);
    for (const char* alias : {"acks", "request.required.acks"}) {
      if (props.count(alias) != 0 && props[alias] == "0") no_acks_ = true;
    }
    auto conf = kafka::make_conf(props);
    kafka::quiet_logs(conf.get());
    rd_kafka_conf_set_opaque(conf.get(), this);
    rd_kafka_conf_set_dr_msg_cb(conf.get(), on_delivery);
    rk_ = kafka::make_handle(RD_KAFKA_PRODUCER, std::move(conf));
  }

  void run();

 private:
  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque);
  void produce_one(uint64_t seq);
  bool paced_out();
  void report(const char* name);
  int flush_and_purge();

  const protocol::ProducerSpec& spec_;
  journal::Writer<ProducerRecord> journal_;
  kafka::HandlePtr rk_;
  /// acks=0: the broker answers nothing, and the offsets librdkafka puts in
  /// delivery reports are placeholders, not positions in the log.
  bool no_acks_ = false;
  uint64_t seq_ = 0, acked_ = 0, failed_ = 0, unknown_ = 0;
  LatencySamples latency_;
  Clock::time_point started_ = Clock::now();
  Clock::time_point next_report_ = started_ + std::chrono::seconds(1);
  std::string value_;
};

void Producer::on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* p = static_cast<Producer*>(opaque);
  ProducerRecord r = record(p->spec_.producer_id, reinterpret_cast<uintptr_t>(m->_private),
                            ProducerOutcome::failed);
  r.partition = m->partition;
  r.error = m->err;
  const int64_t latency = rd_kafka_message_latency(m);
  r.latency_us = latency < 0 ? 0 : static_cast<uint32_t>(std::min<int64_t>(latency, UINT32_MAX));
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    r.outcome = static_cast<uint8_t>(ProducerOutcome::acked);
    r.offset = p->no_acks_ ? -1 : m->offset;
    ++p->acked_;
    p->latency_.add(r.latency_us);
  } else if (outcome_unknown(m->err)) {
    r.outcome = static_cast<uint8_t>(ProducerOutcome::unknown);
    ++p->unknown_;
  } else {
    ++p->failed_;
  }
  p->journal_.append(r);
}

// Produces one message; a queue that stays full (a cluster that takes
// nothing) for 30 s past the producing time fails it definitively.
void Producer::produce_one(uint64_t s) {
  const auto key_id = static_cast<uint32_t>(s % static_cast<uint64_t>(spec_.keys));
  encode_message({spec_.target.run_id, spec_.producer_id, s, key_id}, spec_.message_bytes, value_);
  const std::string key = message_key(key_id);
  const auto give_up = started_ + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(spec_.duration_s + 30));
  while (true) {
    auto err = rd_kafka_producev(
        rk_.get(), RD_KAFKA_V_TOPIC(spec_.target.topic.c_str()),
        RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(value_.data(), value_.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<uintptr_t>(s))), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && Clock::now() < give_up) {
      rd_kafka_poll(rk_.get(), 100);  // let delivery reports drain the queue
      journal_.flush();
      continue;
    }
    // Refused before it was queued: a definite failure the application sees.
    ProducerRecord f = record(spec_.producer_id, s, ProducerOutcome::failed);
    f.error = err;
    journal_.append(f);
    ++failed_;
    return;
  }
}

void Producer::report(const char* name) {
  protocol::ProducerProgress p;
  p.sent = seq_, p.acked = acked_, p.failed = failed_, p.unknown = unknown_;
  p.in_flight = rd_kafka_outq_len(rk_.get());
  p.latency = latency_.take();
  emit(name, p);
}

// Paced: seq may not run ahead of rate * elapsed.
bool Producer::paced_out() {
  if (spec_.rate <= 0) return false;
  const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
  return static_cast<double>(seq_) >= elapsed * spec_.rate;
}

// Bounded flush, then whatever is left has no outcome the application knows.
int Producer::flush_and_purge() {
  emit(event::kFlushing, {{"in_flight", rd_kafka_outq_len(rk_.get())}});
  const auto flush_deadline =
      Clock::now() +
      std::chrono::milliseconds(static_cast<long long>(spec_.flush_timeout_s * 1000));
  while (rd_kafka_outq_len(rk_.get()) > 0 && Clock::now() < flush_deadline) {
    rd_kafka_poll(rk_.get(), 100);
    journal_.flush();
  }
  const int left = rd_kafka_outq_len(rk_.get());
  if (left > 0) {
    rd_kafka_purge(rk_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    // Purged messages get their (unknown) delivery reports on the next polls.
    const auto purge_deadline = Clock::now() + std::chrono::seconds(5);
    while (rd_kafka_outq_len(rk_.get()) > 0 && Clock::now() < purge_deadline) {
      rd_kafka_poll(rk_.get(), 50);
    }
  }
  return left;
}

void Producer::run() {
  emit(event::kStarted, {{"producer_id", spec_.producer_id}, {"topic", spec_.target.topic}});
  const auto max_duration = std::chrono::duration<double>(spec_.duration_s);
  const auto limit = static_cast<uint64_t>(spec_.messages);
  // Seqs are created in small chunks: the chunk is journaled (and handed to
  // the kernel) before any of its messages is produced, so only a SIGKILL
  // can leave a created seq without an outcome.
  const uint64_t chunk =
      spec_.rate > 0 ? static_cast<uint64_t>(std::max(1, std::min(64, spec_.rate / 100))) : 64;
  while (!g_stop.load() && Clock::now() - started_ < max_duration && (limit == 0 || seq_ < limit)) {
    if (paced_out()) {
      rd_kafka_poll(rk_.get(), 1);
    } else {
      const uint64_t n = limit > 0 ? std::min(chunk, limit - seq_) : chunk;
      ProducerRecord c = record(spec_.producer_id, seq_, ProducerOutcome::created);
      c.count = static_cast<uint32_t>(n);
      journal_.write(c);
      for (uint64_t i = 0; i < n; ++i) {
        produce_one(seq_++);
        rd_kafka_poll(rk_.get(), 0);
      }
    }
    journal_.flush();
    if (Clock::now() >= next_report_) {
      report(event::kProgress);
      next_report_ += std::chrono::seconds(1);
    }
  }
  const int left = flush_and_purge();
  journal_.sync();
  report(event::kDone);
  emit(event::kSummary, {{"purged", left}});
}

}  // namespace

int run_producer(const protocol::ProducerSpec& spec) {
  Producer(spec).run();
  return 0;
}

}  // namespace kchaos::workloads
