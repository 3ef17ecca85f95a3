#include "TestClients.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "kchaos/kafka/LogReader.h"
#include "kchaos/kafka/RdKafka.h"

namespace kchaos::test {

std::vector<Delivery> produce(const std::string& bootstrap, const std::string& topic,
                              const std::string& prefix, int count,
                              const std::map<std::string, std::string>& properties,
                              std::chrono::milliseconds flush_timeout) {
  std::map<std::string, std::string> props = {{"bootstrap.servers", bootstrap}, {"linger.ms", "5"}};
  for (const auto& [k, v] : properties) props[k] = v;
  auto conf = kafka::make_conf(props);
  kafka::quiet_logs(conf.get());
  std::vector<Delivery> reports;
  rd_kafka_conf_set_opaque(conf.get(), &reports);
  rd_kafka_conf_set_dr_msg_cb(
      conf.get(), [](rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
        auto* out = static_cast<std::vector<Delivery>*>(opaque);
        out->push_back({std::string(static_cast<const char*>(m->payload), m->len), m->partition,
                        m->offset, m->err});
      });
  auto rk = kafka::make_handle(RD_KAFKA_PRODUCER, std::move(conf));
  for (int i = 0; i < count; ++i) {
    std::string value = prefix + "-" + std::to_string(i);
    while (true) {
      auto err = rd_kafka_producev(rk.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                                   RD_KAFKA_V_KEY(value.data(), value.size()),
                                   RD_KAFKA_V_VALUE(value.data(), value.size()),
                                   RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(rk.get(), 100);
        continue;
      }
      if (err) throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(err));
      break;
    }
    rd_kafka_poll(rk.get(), 0);
  }
  rd_kafka_flush(rk.get(), static_cast<int>(flush_timeout.count()));
  rd_kafka_purge(rk.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_poll(rk.get(), 0);
  return reports;
}

std::vector<std::string> read_all(const std::string& bootstrap, const std::string& topic) {
  std::vector<std::string> values;
  kafka::LogReader reader(bootstrap);
  for (const auto& range :
       reader.read(topic, [&](const kafka::LogRecord& r) { values.emplace_back(r.value); })) {
    if (!range.complete) {
      throw std::runtime_error("partition " + std::to_string(range.partition) +
                               " not fully read: " + range.error);
    }
  }
  return values;
}

bool answers(const std::string& host, int port, std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    ok = true;
  } else if (errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) == 1) {
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      ok = err == 0;
    }
  }
  ::close(fd);
  return ok;
}

}  // namespace kchaos::test
