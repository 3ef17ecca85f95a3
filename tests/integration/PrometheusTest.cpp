// A real Prometheus scrapes a running kchaos and its query API returns the
// live series; after the run, a real Pushgateway (and Prometheus scraping it)
// holds the final verdict. Both servers come from Debian's packages and are
// started here on loopback ports, and stopped after.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <fstream>
#include <iostream>
#include <thread>
#include "kchaos/common/Json.h"

#include "TestBackend.h"
#include "TestClients.h"
#include "kchaos/cluster/KafkaInstall.h"
#include "kchaos/sys/Process.h"

namespace kchaos {
namespace {

namespace bp = boost::process;
using test::eventually;

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

std::string get(const std::string& url) {
  return run_command({"curl", "-s", "--max-time", "3", url}, std::chrono::seconds(5)).out;
}

// The value of the first sample of an instant query, or nullopt.
std::optional<double> query(int prometheus_port, const std::string& promql) {
  auto r =
      run_command({"curl", "-s", "--max-time", "3", "--get", "--data-urlencode", "query=" + promql,
                   "http://127.0.0.1:" + std::to_string(prometheus_port) + "/api/v1/query"},
                  std::chrono::seconds(5));
  try {
    auto j = Json::parse(r.out);
    const auto& result = j.at("data").at("result");
    if (result.empty()) return std::nullopt;
    return std::stod(result[0].at("value")[1].get<std::string>());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// A server child that is stopped when the test ends, whatever happens.
struct Server {
  bp::child child;
  ~Server() {
    if (child.running()) {
      ::kill(child.id(), SIGTERM);
      if (!child.wait_for(std::chrono::seconds(10))) child.terminate();
    }
  }
};

// A Pushgateway and a Prometheus that scrapes it and a live kchaos run, on
// free loopback ports, stopped when the test ends.
struct Monitoring {
  std::filesystem::path dir;
  int kchaos_port = free_port(), gateway_port = free_port(), prometheus_port = free_port();
  Server gateway, prometheus;

  explicit Monitoring(const std::filesystem::path& d) : dir(d) {
    gateway.child = bp::child("/usr/bin/prometheus-pushgateway",
                              "--web.listen-address=127.0.0.1:" + std::to_string(gateway_port),
                              bp::std_out > (dir / "pushgateway.log").string(),
                              bp::std_err > (dir / "pushgateway.err").string());
    std::ofstream(dir / "prometheus.yml")
        << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        << "scrape_configs:\n"
        << "  - job_name: kchaos-live\n    static_configs:\n      - targets: ['127.0.0.1:"
        << kchaos_port << "']\n"
        << "  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - "
           "targets: "
           "['127.0.0.1:"
        << gateway_port << "']\n";
    prometheus.child =
        bp::child("/usr/bin/prometheus", "--config.file=" + (dir / "prometheus.yml").string(),
                  "--storage.tsdb.path=" + (dir / "tsdb").string(),
                  "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port),
                  bp::std_out > (dir / "prometheus.log").string(),
                  bp::std_err > (dir / "prometheus.err").string());
  }
  bool ready() {
    return eventually(std::chrono::seconds(30), [&] {
      return get("http://127.0.0.1:" + std::to_string(prometheus_port) + "/-/ready")
                 .find("Ready") != std::string::npos;
    });
  }
  /// Whether Prometheus eventually answers q with a value that pred accepts.
  template <typename Pred>
  bool shows(const std::string& q, Pred pred, int seconds = 30) {
    return eventually(std::chrono::seconds(seconds), [&] {
      auto v = query(prometheus_port, q);
      return v && pred(*v);
    });
  }
};

std::string missing_for_monitoring() {
  for (const char* program : {"prometheus", "prometheus-pushgateway", "curl"}) {
    if (!in_path(program))
      return std::string(program) + " is not installed (scripts/setup.sh installs it)";
  }
  try {
    cluster::check_local_prerequisites();
    cluster::kafka_libs("3.9.2");
  } catch (const std::exception& e) {
    return std::string("needs a local cluster: ") + e.what();
  }
  return "";
}

bp::child start_run(const Monitoring& m) {
  std::ofstream(m.dir / "scenario.json") << R"({
    "name": "metrics-test",
    "topic": {"partitions": 3},
    "producer": {"config": {"acks": "all", "enable.idempotence": "true"}, "rate": 500},
    "faults": [{"type": "broker-pause", "target": "random", "at": 2, "duration": 6}],
    "timings": {"warmup_s": 3, "faults_s": 14, "recovery_timeout_s": 60, "drain_timeout_s": 60},
    "expect": {"lost": 0}
  })";
  return bp::child(
      KCHAOS_BINARY, "run", (m.dir / "scenario.json").string(), "--out", (m.dir / "run").string(),
      "--metrics-listen", "127.0.0.1:" + std::to_string(m.kchaos_port), "--pushgateway",
      "http://127.0.0.1:" + std::to_string(m.gateway_port), "--lane",
      std::to_string(test::lane()), bp::std_out > (m.dir / "run.log").string(), bp::std_err > (m.dir / "run.err").string());
}

TEST(PrometheusTest, ARealPrometheusScrapesALiveRunAndThePushgatewayKeepsTheVerdict) {
  const auto missing = missing_for_monitoring();
  if (!missing.empty()) GTEST_SKIP() << missing;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("kchaos-prometheus-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  Monitoring m(dir);
  ASSERT_TRUE(m.ready()) << "Prometheus did not start; see " << dir;
  bp::child run = start_run(m);

  // Live: Prometheus has scraped messages sent, brokers up and the faults.
  const std::string live = R"({job="kchaos-live",scenario="metrics-test",configuration="default"})";
  auto positive = [](double v) { return v > 0; };
  EXPECT_TRUE(m.shows("kchaos_messages_sent_total" + live, positive, 90))
      << "no live kchaos_messages_sent_total in Prometheus";
  EXPECT_TRUE(
      m.shows("max_over_time(kchaos_faults_active{job=\"kchaos-live\",type=\"broker-pause\"}[1m])",
              [](double v) { return v == 1; }))
      << "the active broker-pause never showed";
  EXPECT_TRUE(m.shows("kchaos_brokers_up" + live, [](double v) { return v == 3; }));
  EXPECT_TRUE(m.shows("kchaos_produce_latency_seconds_count" + live, positive));

  ASSERT_TRUE(run.wait_for(std::chrono::minutes(5))) << "kchaos run did not finish";
  EXPECT_EQ(run.exit_code(), 0) << "see " << dir / "run.log";

  // Pushed: the Pushgateway holds the verdict, grouped by scenario and configuration.
  const auto pushed = get("http://127.0.0.1:" + std::to_string(m.gateway_port) + "/metrics");
  EXPECT_NE(
      pushed.find(
          R"(kchaos_anomalies{configuration="default",instance="",job="kchaos",kind="lost",scenario="metrics-test"} 0)"),
      std::string::npos)
      << pushed.substr(0, 4000);
  EXPECT_NE(
      pushed.find(
          R"(kchaos_configuration_passed{configuration="default",instance="",job="kchaos",scenario="metrics-test"} 1)"),
      std::string::npos);
  // ... and Prometheus, scraping the Pushgateway, has it too.
  EXPECT_TRUE(m.shows(R"(kchaos_configuration_passed{job="kchaos",scenario="metrics-test"})",
                      [](double v) { return v == 1; }));
  EXPECT_TRUE(
      m.shows(R"(kchaos_anomalies{job="kchaos",kind="lost"})", [](double v) { return v == 0; }));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kchaos
