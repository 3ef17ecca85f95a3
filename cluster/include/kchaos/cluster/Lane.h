#pragma once
// A lane: everything one cluster owns on this machine, so that several
// clusters run side by side (kchaos run --parallel, kchaos cluster --lane).
// Lane 0 is the default and keeps the names kchaos always used; lane K
// derives its own from K. A lane's start-up removes only its own leftovers.

#include <string>

namespace kchaos::cluster {

class Lane {
 public:
  static constexpr int kMax = 99;

  /// Throws UserError for a lane outside 0..kMax.
  explicit Lane(int id = 0);
  int id() const { return id_; }

  // The local backend.
  /// Namespaces <prefix>-<host>, links <prefix>v-<host> and <prefix>br0,
  /// JVMs tagged -Dkchaos.node=<prefix>-..., mounts kchaos-<prefix>-<host>:
  /// "kc" for lane 0, "kc<K>" otherwise.
  std::string local_prefix() const;
  /// The /24 its hosts live in, as "10.77.<K>." (append the host number).
  std::string local_subnet() const;

  // The compose backend.
  /// The compose project, and the prefix of its containers and network:
  /// "kchaos" for lane 0, "kchaos-l<K>" otherwise.
  std::string compose_project() const;
  /// "10.78.<K>." (append the host number).
  std::string compose_subnet() const;
  /// The source name of its brokers' data mounts, before the broker id.
  std::string compose_mount_prefix() const;

  /// " (lane K)" for K > 0, "" for lane 0: for messages.
  std::string suffix() const;

 private:
  int id_;
};

}  // namespace kchaos::cluster
