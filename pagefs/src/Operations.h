#pragma once
// The FUSE operations of the filesystem: namespace changes (create, mkdir,
// rename, unlink, chmod, ...) go straight to the backing directory, file
// contents and sizes go through each file's overlay (Nodes).

#define FUSE_USE_VERSION 31
#include <fuse.h>

#include <string>

#include "Nodes.h"

namespace kchaos::pagefs {

struct FileSystem {
  std::string root;  // the backing directory, without a trailing slash
  Nodes nodes;
  /// fsync also fdatasyncs the backing file, so that it costs what a
  /// disk's flush costs.
  bool sync_backing = false;
};

/// The operations; fuse_main's private data must be a FileSystem.
fuse_operations operations();

}  // namespace kchaos::pagefs
