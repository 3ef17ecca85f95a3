// The sequenced producer: each value carries (run, producer, seq, key) and a
// checksum; every seq is journaled as created before it is produced, and
// every delivery report is journaled as it arrives.

#include <thread>

#include "workloads/Message.h"
#include "workloads/journal/Journal.h"
#include "workloads/kafka/RdKafka.h"
#include "workloads/worker/Worker.h"

namespace kchaos::workloads {
namespace {

using Clock = std::chrono::steady_clock;
using journal::ProducerOutcome;
using journal::ProducerRecord;

struct ProducerState {
  journal::Writer<ProducerRecord>* journal = nullptr;
  uint32_t producer_id = 0;
  /// acks=0: the broker answers nothing, and the offsets librdkafka puts in
  /// delivery reports are placeholders, not positions in the log.
  bool no_acks = false;
  uint64_t acked = 0, failed = 0, unknown = 0;
  LatencyWindow latency;
};

bool outcome_unknown(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT ||
         err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT || err == RD_KAFKA_RESP_ERR__TIMED_OUT;
}

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* st = static_cast<ProducerState*>(opaque);
  ProducerRecord r{};
  r.seq = reinterpret_cast<uintptr_t>(m->_private);
  r.producer_id = st->producer_id;
  r.count = 1;
  r.partition = m->partition;
  r.offset = m->offset;
  r.time_us = wall_us();
  r.error = m->err;
  const int64_t latency = rd_kafka_message_latency(m);
  r.latency_us = latency < 0 ? 0 : static_cast<uint32_t>(std::min<int64_t>(latency, UINT32_MAX));
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    r.outcome = static_cast<uint8_t>(ProducerOutcome::acked);
    if (st->no_acks) r.offset = -1;
    ++st->acked;
    st->latency.add(r.latency_us);
  } else if (outcome_unknown(m->err)) {
    r.outcome = static_cast<uint8_t>(ProducerOutcome::unknown);
    r.offset = -1;
    ++st->unknown;
  } else {
    r.outcome = static_cast<uint8_t>(ProducerOutcome::failed);
    r.offset = -1;
    ++st->failed;
  }
  st->journal->append(r);
}

}  // namespace

int run_producer(const nlohmann::json& spec) {
  const std::string topic = spec.at("topic");
  const uint64_t run_id = spec.at("run_id");
  const uint32_t producer_id = spec.at("producer_id");
  const int message_bytes = spec.value("message_bytes", 100);
  const uint32_t keys = spec.value("keys", 64);
  const int rate = spec.value("rate", 0);  // per second, 0 = unbounded
  const long long limit = spec.value("messages", 0LL);
  const auto max_duration = std::chrono::duration<double>(spec.at("duration_s").get<double>());
  const auto flush_timeout =
      std::chrono::milliseconds(static_cast<int>(spec.value("flush_timeout_s", 30.0) * 1000));

  journal::Writer<ProducerRecord> journal(spec.at("journal").get<std::string>(), run_id,
                                          producer_id);
  ProducerState st;
  st.journal = &journal;
  st.producer_id = producer_id;

  auto props = spec_properties(spec);
  props["bootstrap.servers"] = spec.at("bootstrap");
  props["client.id"] = "kchaos-producer-" + std::to_string(producer_id);
  auto conf = kafka::make_conf(props);
  kafka::quiet_logs(conf.get());
  for (const char* alias : {"acks", "request.required.acks"}) {
    if (props.count(alias) != 0 && props[alias] == "0") st.no_acks = true;
  }
  rd_kafka_conf_set_opaque(conf.get(), &st);
  rd_kafka_conf_set_dr_msg_cb(conf.get(), on_delivery);
  auto rk = kafka::make_handle(RD_KAFKA_PRODUCER, std::move(conf));
  emit("started", {{"producer_id", producer_id}, {"topic", topic}});

  const auto started = Clock::now();
  auto next_report = started + std::chrono::seconds(1);
  uint64_t seq = 0;
  std::string value;
  // Seqs are created in small chunks: the chunk is journaled (and handed to
  // the kernel) before any of its messages is produced.
  const uint64_t chunk = rate > 0 ? std::max(1, std::min(64, rate / 100)) : 64;

  auto report = [&](const char* name) {
    nlohmann::json f = {{"sent", seq},
                        {"acked", st.acked},
                        {"failed", st.failed},
                        {"unknown", st.unknown},
                        {"in_flight", rd_kafka_outq_len(rk.get())}};
    f.update(st.latency.take());
    emit(name, f);
  };

  // Produces one message; a queue that stays full (a cluster that takes
  // nothing) for 30 s after a stop request fails it definitively.
  auto produce_one = [&](uint64_t s) {
    const uint32_t key_id = static_cast<uint32_t>(s % keys);
    encode_message({run_id, producer_id, s, key_id}, message_bytes, value);
    const std::string key = message_key(key_id);
    const auto give_up = Clock::now() + max_duration + std::chrono::seconds(30);
    while (true) {
      auto err = rd_kafka_producev(
          rk.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
          RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<uintptr_t>(s))), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && Clock::now() < give_up) {
        rd_kafka_poll(rk.get(), 100);  // let delivery reports drain the queue
        journal.flush();
        continue;
      }
      // Refused before it was queued: a definite failure the application sees.
      ProducerRecord f{};
      f.seq = s;
      f.producer_id = producer_id;
      f.outcome = static_cast<uint8_t>(ProducerOutcome::failed);
      f.count = 1;
      f.partition = -1;
      f.offset = -1;
      f.time_us = wall_us();
      f.error = err;
      journal.append(f);
      ++st.failed;
      return;
    }
  };

  while (!g_stop.load() && Clock::now() - started < max_duration &&
         (limit == 0 || seq < static_cast<uint64_t>(limit))) {
    if (rate > 0) {
      // Paced: seq may not run ahead of rate * elapsed.
      const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
      if (static_cast<double>(seq) >= elapsed * rate) {
        rd_kafka_poll(rk.get(), 1);
        journal.flush();
        if (Clock::now() >= next_report) {
          report("progress");
          next_report += std::chrono::seconds(1);
        }
        continue;
      }
    }
    // A chunk of seqs is journaled as created (handed to the kernel) before
    // any of them is produced, then all of them are produced: only a SIGKILL
    // can leave a created seq without an outcome.
    uint64_t n = chunk;
    if (limit > 0) n = std::min<uint64_t>(n, static_cast<uint64_t>(limit) - seq);
    ProducerRecord c{};
    c.seq = seq;
    c.producer_id = producer_id;
    c.outcome = static_cast<uint8_t>(ProducerOutcome::created);
    c.partition = -1;
    c.count = static_cast<uint32_t>(n);
    c.offset = -1;
    c.time_us = wall_us();
    journal.write(c);
    for (uint64_t i = 0; i < n; ++i) {
      produce_one(seq++);
      rd_kafka_poll(rk.get(), 0);
    }
    journal.flush();
    if (Clock::now() >= next_report) {
      report("progress");
      next_report += std::chrono::seconds(1);
    }
  }

  // Bounded flush, then whatever is left has no outcome the application knows.
  emit("flushing", {{"in_flight", rd_kafka_outq_len(rk.get())}});
  const auto flush_deadline = Clock::now() + flush_timeout;
  while (rd_kafka_outq_len(rk.get()) > 0 && Clock::now() < flush_deadline) {
    rd_kafka_poll(rk.get(), 100);
    journal.flush();
  }
  const int left = rd_kafka_outq_len(rk.get());
  if (left > 0) {
    rd_kafka_purge(rk.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    // Purged messages get their (unknown) delivery reports on the next polls.
    const auto purge_deadline = Clock::now() + std::chrono::seconds(5);
    while (rd_kafka_outq_len(rk.get()) > 0 && Clock::now() < purge_deadline) {
      rd_kafka_poll(rk.get(), 50);
    }
  }
  journal.sync();
  report("done");
  emit("summary", {{"purged", left}});
  return 0;
}

}  // namespace kchaos::workloads
