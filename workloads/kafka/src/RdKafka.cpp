#include "kchaos/kafka/RdKafka.h"

#include <cstdio>
#include <cstdlib>
#include "kchaos/common/Error.h"

namespace kchaos::kafka {

ConfPtr make_conf(const std::map<std::string, std::string>& properties) {
  ConfPtr conf(rd_kafka_conf_new());
  char err[512];
  for (const auto& [key, value] : properties) {
    if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), err, sizeof err) !=
        RD_KAFKA_CONF_OK) {
      throw ConfigError(key, err);
    }
  }
  return conf;
}

HandlePtr make_handle(rd_kafka_type_t type, ConfPtr conf) {
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err, sizeof err);
  if (rk == nullptr) throw HarnessError(std::string("cannot create Kafka client: ") + err);
  conf.release();  // rd_kafka_new took ownership
  return HandlePtr(rk);
}

void quiet_logs(rd_kafka_conf_t* conf) {
  if (std::getenv("KCHAOS_DEBUG") != nullptr) return;
  rd_kafka_conf_set_log_cb(conf,
                           [](const rd_kafka_t*, int level, const char* fac, const char* buf) {
                             if (level <= 2) std::fprintf(stderr, "librdkafka %s: %s\n", fac, buf);
                           });
}

}  // namespace kchaos::kafka
