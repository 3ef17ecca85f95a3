#include "kchaos/cluster/KafkaAdmin.h"

#include <algorithm>
#include <optional>

#include "kchaos/sys/Wait.h"
#include "kchaos/common/Error.h"

namespace kchaos::cluster {

KafkaAdmin::KafkaAdmin(const std::string& bootstrap) {
  auto conf = kafka::make_conf({{"bootstrap.servers", bootstrap},
                                {"socket.timeout.ms", "5000"},
                                {"topic.metadata.refresh.interval.ms", "-1"}});
  kafka::quiet_logs(conf.get());
  rk_ = kafka::make_handle(RD_KAFKA_PRODUCER, std::move(conf));
}

Metadata KafkaAdmin::metadata(std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* raw = nullptr;
  rd_kafka_resp_err_t err =
      rd_kafka_metadata(rk_.get(), 1, nullptr, &raw, static_cast<int>(timeout.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw TransientError(std::string("cannot read cluster metadata: ") + rd_kafka_err2str(err),
                         err);
  }
  kafka::MetadataPtr md(raw);
  Metadata out;
  out.answered_by = md->orig_broker_id;
  for (int i = 0; i < md->broker_cnt; ++i) {
    out.brokers.push_back({md->brokers[i].id, md->brokers[i].host, md->brokers[i].port});
  }
  for (int t = 0; t < md->topic_cnt; ++t) {
    const auto& topic = md->topics[t];
    auto& parts = out.topics[topic.topic];
    for (int p = 0; p < topic.partition_cnt; ++p) {
      const auto& src = topic.partitions[p];
      PartitionInfo info;
      info.id = src.id;
      info.leader = src.leader;
      info.error = src.err;
      info.replicas.assign(src.replicas, src.replicas + src.replica_cnt);
      info.isr.assign(src.isrs, src.isrs + src.isr_cnt);
      parts.push_back(std::move(info));
    }
  }
  return out;
}

bool KafkaAdmin::wait_for(std::chrono::milliseconds timeout,
                          const std::function<bool(const Metadata*)>& done,
                          std::chrono::milliseconds poll) {
  return poll_until(timeout, poll, [&] {
    std::optional<Metadata> md;
    try {
      md = metadata(std::min<std::chrono::milliseconds>(2s, timeout));
    } catch (const TransientError&) {
      // No answer yet: an election, a broker starting.
    }
    return done(md ? &*md : nullptr);
  });
}

bool isr_full(const Metadata& md, const std::string& topic) {
  auto it = md.topics.find(topic);
  if (it == md.topics.end() || it->second.empty()) return false;
  for (const auto& p : it->second) {
    if (p.leader < 0 || p.isr.size() != p.replicas.size()) return false;
  }
  return true;
}

bool wait_isr_full(const std::string& bootstrap, const std::string& topic,
                   std::chrono::milliseconds timeout) {
  return KafkaAdmin(bootstrap).wait_for(
      timeout, [&](const Metadata* md) { return md != nullptr && isr_full(*md, topic); });
}

bool wait_on_each(const std::vector<BrokerHandle>& brokers, std::chrono::milliseconds timeout,
                  const std::function<bool(const Metadata&)>& done) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const auto& b : brokers) {
    if (b.port == 0) continue;  // an external cluster's broker, down when kchaos began
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const bool known =
        KafkaAdmin(b.address()).wait_for(std::max(left, 1ms), [&](const Metadata* md) {
          return md != nullptr && md->answered_by == b.id && done(*md);
        });
    if (!known) return false;
  }
  return true;
}

bool wait_isr_full_on_each(const std::vector<BrokerHandle>& brokers, const std::string& topic,
                           std::chrono::milliseconds timeout) {
  return wait_on_each(brokers, timeout, [&](const Metadata& md) { return isr_full(md, topic); });
}

std::vector<std::pair<int64_t, int64_t>> KafkaAdmin::watermarks(const std::string& topic,
                                                                int partitions,
                                                                std::chrono::milliseconds timeout) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (int p = 0; p < partitions; ++p) {
    int64_t low = -1, high = -1;
    if (rd_kafka_query_watermark_offsets(rk_.get(), topic.c_str(), p, &low, &high,
                                         static_cast<int>(timeout.count())) != 0) {
      low = high = -1;
    }
    out.emplace_back(low, high);
  }
  return out;
}

namespace {

// Waits for the single result event of an admin request on queue.
kafka::EventPtr await_result(rd_kafka_queue_t* queue, std::chrono::milliseconds timeout,
                             const std::string& what) {
  kafka::EventPtr ev(rd_kafka_queue_poll(queue, static_cast<int>(timeout.count()) + 1000));
  if (!ev) throw TransientError(what + ": no answer from the cluster");
  if (const auto err = rd_kafka_event_error(ev.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw TransientError(what + ": " + rd_kafka_event_error_string(ev.get()), err);
  }
  return ev;
}

void check_topic_results(const rd_kafka_topic_result_t* const* results, size_t count,
                         const std::string& what) {
  for (size_t i = 0; i < count; ++i) {
    auto err = rd_kafka_topic_result_error(results[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      continue;
    }
    const char* msg = rd_kafka_topic_result_error_string(results[i]);
    const std::string text = what + " '" + rd_kafka_topic_result_name(results[i]) +
                             "': " + (msg ? msg : rd_kafka_err2str(err));
    // What the broker judged wrong with the request itself is bad input.
    switch (err) {
      case RD_KAFKA_RESP_ERR_INVALID_CONFIG:
      case RD_KAFKA_RESP_ERR_POLICY_VIOLATION:
      case RD_KAFKA_RESP_ERR_INVALID_PARTITIONS:
      case RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR:
      case RD_KAFKA_RESP_ERR_INVALID_REPLICA_ASSIGNMENT:
      case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
        throw UserError(text);
      default:
        throw HarnessError(text, err);
    }
  }
}

kafka::AdminOptionsPtr options(rd_kafka_t* rk, rd_kafka_admin_op_t op,
                               std::chrono::milliseconds timeout) {
  kafka::AdminOptionsPtr opts(rd_kafka_AdminOptions_new(rk, op));
  char err[256];
  rd_kafka_AdminOptions_set_request_timeout(opts.get(), static_cast<int>(timeout.count()), err,
                                            sizeof err);
  rd_kafka_AdminOptions_set_operation_timeout(opts.get(), static_cast<int>(timeout.count()), err,
                                              sizeof err);
  return opts;
}

}  // namespace

void KafkaAdmin::create_topic(const std::string& name, int partitions, int replication_factor,
                              const std::map<std::string, std::string>& config,
                              std::chrono::milliseconds timeout) {
  char err[512];
  kafka::NewTopicPtr topic(
      rd_kafka_NewTopic_new(name.c_str(), partitions, replication_factor, err, sizeof err));
  if (!topic) throw UserError("topic '" + name + "': " + err);
  for (const auto& [key, value] : config) {
    if (rd_kafka_NewTopic_set_config(topic.get(), key.c_str(), value.c_str()) !=
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw UserError("topic '" + name + "': cannot set config " + key);
    }
  }
  // A request the cluster did not answer in time is sent again (an existing
  // topic is no error, so a first request that did land is harmless):
  // measured once in CI, a compose cluster under four others' load left a
  // CreateTopics unanswered for 30 s right after it was ready.
  for (int attempt = 1;; ++attempt) {
    kafka::QueuePtr queue(rd_kafka_queue_new(rk_.get()));
    auto opts = options(rk_.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout);
    rd_kafka_NewTopic_t* topics[] = {topic.get()};
    rd_kafka_CreateTopics(rk_.get(), topics, 1, opts.get(), queue.get());
    try {
      auto ev = await_result(queue.get(), timeout, "creating topic " + name);
      size_t count = 0;
      const auto* results =
          rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev.get()), &count);
      check_topic_results(results, count, "creating topic");
      return;
    } catch (const TransientError& e) {
      if (attempt >= kCreateAttempts) {
        throw TransientError(std::string(e.what()) + " (" + std::to_string(attempt) +
                                 " attempts of " + std::to_string(timeout.count() / 1000) + " s)",
                             e.kafka_code());
      }
    }
  }
}

void KafkaAdmin::delete_topic(const std::string& name, std::chrono::milliseconds timeout) {
  kafka::QueuePtr queue(rd_kafka_queue_new(rk_.get()));
  auto opts = options(rk_.get(), RD_KAFKA_ADMIN_OP_DELETETOPICS, timeout);
  rd_kafka_DeleteTopic_t* topic = rd_kafka_DeleteTopic_new(name.c_str());
  rd_kafka_DeleteTopics(rk_.get(), &topic, 1, opts.get(), queue.get());
  rd_kafka_DeleteTopic_destroy(topic);
  auto ev = await_result(queue.get(), timeout, "deleting topic " + name);
  size_t count = 0;
  const auto* results =
      rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev.get()), &count);
  check_topic_results(results, count, "deleting topic");
}

void KafkaAdmin::delete_group(const std::string& group, std::chrono::milliseconds timeout) {
  kafka::QueuePtr queue(rd_kafka_queue_new(rk_.get()));
  auto opts = options(rk_.get(), RD_KAFKA_ADMIN_OP_DELETEGROUPS, timeout);
  rd_kafka_DeleteGroup_t* g = rd_kafka_DeleteGroup_new(group.c_str());
  rd_kafka_DeleteGroups(rk_.get(), &g, 1, opts.get(), queue.get());
  rd_kafka_DeleteGroup_destroy(g);
  auto ev = await_result(queue.get(), timeout, "deleting group " + group);
  size_t count = 0;
  const auto* results =
      rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(ev.get()), &count);
  for (size_t i = 0; i < count; ++i) {
    if (const rd_kafka_error_t* err = rd_kafka_group_result_error(results[i])) {
      // A group that never committed does not exist: nothing to delete.
      if (rd_kafka_error_code(err) == RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND) continue;
      throw HarnessError("deleting group " + group + ": " + rd_kafka_error_string(err),
                         rd_kafka_error_code(err));
    }
  }
}

void KafkaAdmin::create_partitions(const std::string& topic, int total,
                                   std::chrono::milliseconds timeout) {
  char err[512];
  kafka::NewPartitionsPtr np(
      rd_kafka_NewPartitions_new(topic.c_str(), static_cast<size_t>(total), err, sizeof err));
  if (!np) throw UserError("topic '" + topic + "': " + err);
  kafka::QueuePtr queue(rd_kafka_queue_new(rk_.get()));
  auto opts = options(rk_.get(), RD_KAFKA_ADMIN_OP_CREATEPARTITIONS, timeout);
  rd_kafka_NewPartitions_t* list[] = {np.get()};
  rd_kafka_CreatePartitions(rk_.get(), list, 1, opts.get(), queue.get());
  auto ev = await_result(queue.get(), timeout, "adding partitions to " + topic);
  size_t count = 0;
  const auto* results = rd_kafka_CreatePartitions_result_topics(
      rd_kafka_event_CreatePartitions_result(ev.get()), &count);
  check_topic_results(results, count, "adding partitions to");
}

}  // namespace kchaos::cluster
