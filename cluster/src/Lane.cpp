#include "kchaos/cluster/Lane.h"

#include "kchaos/common/Error.h"

namespace kchaos::cluster {

Lane::Lane(int id) : id_(id) {
  if (id < 0 || id > kMax) {
    throw UserError("a lane is a number from 0 to " + std::to_string(kMax) + ", got " +
                    std::to_string(id));
  }
}

std::string Lane::local_prefix() const { return id_ == 0 ? "kc" : "kc" + std::to_string(id_); }

std::string Lane::local_subnet() const { return "10.77." + std::to_string(id_) + "."; }

std::string Lane::compose_project() const {
  return id_ == 0 ? "kchaos" : "kchaos-l" + std::to_string(id_);
}

std::string Lane::compose_subnet() const { return "10.78." + std::to_string(id_) + "."; }

std::string Lane::compose_mount_prefix() const {
  // "kchaos-compose-b" is no prefix of "kchaos-compose-l1-b": lanes stay apart.
  return id_ == 0 ? "kchaos-compose-b" : "kchaos-compose-l" + std::to_string(id_) + "-b";
}

std::string Lane::suffix() const { return id_ == 0 ? "" : " (lane " + std::to_string(id_) + ")"; }

}  // namespace kchaos::cluster
