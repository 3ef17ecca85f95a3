// The fault kinds as a scenario sees them, one entry each, in the order of
// the docs' table (how each acts is its file under faults/src/kinds).

#include "kchaos/plan/Plan.h"

namespace kchaos::plan {
namespace {

using Actions = std::vector<std::string>;

int added_partitions(const FaultSpec& f) { return f.param("count").get<int>(); }

Problem worker_exists(const FaultSpec& f, const Bounds& b) {
  const int worker = f.param("worker").get<int>();
  if (worker <= b.producer_workers) return {};
  return {"worker", "producer-crash names worker " + std::to_string(worker) +
                        " but the scenario has " + std::to_string(b.producer_workers)};
}

// What each kind does to brokers (FaultKind::actions).
Actions kill_actions(const FaultSpec& f) {
  Actions a = {f.param("clean").get<bool>() ? "broker-stop" : "broker-kill", "broker-start"};
  if (f.param("lose_data").get<bool>()) a.push_back("broker-disk");
  return a;
}
Actions pause_actions(const FaultSpec&) { return {"broker-pause", "broker-resume"}; }
Actions restart_actions(const FaultSpec& f) {
  return {f.param("mode") == "clean" ? "broker-stop" : "broker-kill", "broker-start"};
}
Actions partition_actions(const FaultSpec& f) {
  if (f.param("shape") == "isolate" && f.param("port").is_null()) return {"isolate", "heal"};
  return {"broker-network"};
}
Actions network_actions(const FaultSpec&) { return {"broker-network"}; }
Actions disk_actions(const FaultSpec&) { return {"broker-disk", "broker-start"}; }
Actions power_actions(const FaultSpec&) { return {"power-loss", "broker-start"}; }

const FaultKind kBrokerKill = {
    "broker-kill",
    "SIGKILL (`clean`: SIGTERM, a controlled shutdown, and a wait for the exit); heal restarts "
    "it with the same data dir, once no other fault holds it down (`lose_data`: its partitions "
    "of the topic are deleted first, a replaced disk).",
    /*takes_target=*/true,
    /*random=*/true,
    {{"clean", Param::Type::boolean, false, {}, "a controlled shutdown (SIGTERM) instead"},
     {"lose_data", Param::Type::boolean, false, {}, "delete the topic's partitions too"}},
    Storage::any,
    nullptr,
    nullptr,
    kill_actions};

const FaultKind kBrokerPause = {
    "broker-pause",
    "SIGSTOP (a GC pause, a zombie leader); heal sends SIGCONT, once no other fault holds it "
    "paused.",
    /*takes_target=*/true,
    /*random=*/true,
    {},
    Storage::any,
    nullptr,
    nullptr,
    pause_actions};

const FaultKind kRollingRestart = {
    "rolling-restart",
    "every broker in turn (SIGTERM or SIGKILL), waiting for it to register and the ISR to refill; "
    "brokers another fault holds are left alone.",
    /*takes_target=*/false,
    /*random=*/false,
    {{"mode", Param::Type::choice, "clean", {"clean", "hard"}, "SIGTERM or SIGKILL"},
     {"isr_timeout_s", Param::Type::seconds, 60, {}, "wait for the ISR"}},
    Storage::any,
    nullptr,
    nullptr,
    restart_actions};

const FaultKind kNetworkPartition = {
    "network-partition",
    "iptables DROP rules in the brokers' namespaces: `isolate` (from everything), `split` (targets "
    "vs the other brokers; clients reach both), `clients` (from clients only), `one-way` "
    "(`direction` `out`: the targets cannot send to the others, `in`: cannot receive; `port` "
    "limits it, 9092 = clients and replication, 9093 = the KRaft quorum). Heal deletes exactly the "
    "rules it added.",
    /*takes_target=*/true,
    /*random=*/true,
    {{"shape",
      Param::Type::choice,
      "isolate",
      {"isolate", "split", "clients", "one-way"},
      "what is cut"},
     {"direction", Param::Type::choice, "out", {"in", "out"}, "one-way only"},
     {"port", Param::Type::port, nullptr, {}, "one service only"}},
    Storage::any,
    nullptr,
    nullptr,
    partition_actions};

const FaultKind kPacketLoss = {
    "packet-loss",
    "iptables `statistic` drop of packets to and from the brokers (but loopback).",
    /*takes_target=*/true,
    /*random=*/true,
    {{"probability", Param::Type::probability, 0.2, {}, "of each packet"}},
    Storage::any,
    nullptr,
    nullptr,
    network_actions};

const FaultKind kBandwidth = {
    "bandwidth",
    "`tc tbf` on the broker's link (what it sends); a link carries one limit until the last "
    "bandwidth fault on it heals.",
    /*takes_target=*/true,
    /*random=*/true,
    {{"rate", Param::Type::tc_rate, "1mbit", {}, "the rate"},
     {"burst", Param::Type::tc_size, "32kbit", {}, "the bucket"},
     {"latency", Param::Type::tc_time, "400ms", {}, "the longest a packet may wait"}},
    Storage::any,
    nullptr,
    nullptr,
    network_actions};

const FaultKind kDiskFull = {
    "disk-full",
    "fills the broker's log directory (a 512 MiB tmpfs kchaos mounts for scenarios with this "
    "fault); heal deletes the filler and restarts the broker if it stopped.",
    /*takes_target=*/true,
    /*random=*/false,
    {},
    Storage::tmpfs,
    nullptr,
    nullptr,
    disk_actions};

const FaultKind kPowerLoss = {
    "power-loss",
    "SIGKILL of the broker and of its filesystem at one instant: every write it never fsynced "
    "is lost (its data is on kchaos-pagefs, which kchaos mounts for scenarios with this "
    "fault; local backend); heal restarts it on what was durable.",
    /*takes_target=*/true,
    /*random=*/false,
    {},
    Storage::pagefs,
    nullptr,
    nullptr,
    power_actions};

const FaultKind kAddPartitions = {
    "add-partitions",
    "grows the topic by `count` partitions through the admin API while the producer runs; nothing "
    "to heal (partitions cannot be removed).",
    /*takes_target=*/false,
    /*random=*/false,
    {{"count", Param::Type::whole, 3, {}, "partitions to add"}},
    Storage::any,
    added_partitions};

const FaultKind kConsumerCrash = {
    "consumer-crash",
    "SIGKILL the consumer while a batch is open (observed from its batch events; its journal then "
    "says how far into the batch it was); heal starts a new consumer.",
    /*takes_target=*/false,
    /*random=*/false,
    {{"mid_batch", Param::Type::boolean, true, {}, "kill only inside a batch"},
     {"into_batch_s", Param::Type::seconds, 0, {}, "how long the batch runs first"},
     {"mid_batch_timeout_s", Param::Type::seconds, 30, {}, "how long to wait for a batch"}}};

const FaultKind kProducerCrash = {
    "producer-crash",
    "SIGKILL a producer worker (its in-flight sends become `unknown-*`); heal starts it again with "
    "a fresh producer id.",
    /*takes_target=*/false,
    /*random=*/false,
    {{"worker", Param::Type::whole, 1, {}, "which producer worker"}},
    Storage::any,
    nullptr,
    worker_exists};

}  // namespace

const std::vector<const FaultKind*>& fault_kinds() {
  static const std::vector<const FaultKind*> kinds = {
      &kBrokerKill,    &kBrokerPause,   &kRollingRestart, &kNetworkPartition,
      &kPacketLoss,    &kBandwidth,     &kDiskFull,       &kPowerLoss,
      &kAddPartitions, &kConsumerCrash, &kProducerCrash};
  return kinds;
}

}  // namespace kchaos::plan
