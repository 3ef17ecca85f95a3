// kchaos-worker: the producer, consumer and audit processes the controller
// starts in the client namespace. Usage: kchaos-worker producer|consumer|audit SPEC.json

#include <iostream>

#include "workloads/worker/Worker.h"

int main(int argc, char** argv) {
  using namespace kchaos::workloads;
  if (argc != 3) {
    std::cerr << "usage: kchaos-worker producer|consumer|audit SPEC.json\n";
    return 2;
  }
  install_stop_handlers();
  const std::string role = argv[1];
  try {
    const auto spec = read_spec(argv[2]);
    if (role == "producer") return run_producer(spec);
    if (role == "consumer") return run_consumer(spec);
    if (role == "audit") return run_audit(spec);
    std::cerr << "kchaos-worker: unknown role " << role << "\n";
    return 2;
  } catch (const std::exception& e) {
    emit("error", {{"message", e.what()}});
    std::cerr << "kchaos-worker " << role << ": " << e.what() << "\n";
    return 3;
  }
}
