// kchaos-worker: the producer, consumer and audit processes the controller
// starts in the client namespace. Usage: kchaos-worker producer|consumer|audit SPEC.json

#include <iostream>

#include "Worker.h"

int main(int argc, char** argv) {
  using namespace kchaos::workloads;
  if (argc != 3) {
    std::cerr << "usage: kchaos-worker producer|consumer|audit SPEC.json\n";
    return 2;
  }
  install_stop_handlers();
  const std::string role = argv[1];
  try {
    using namespace kchaos::protocol;
    if (role == "producer") return run_producer(read_spec<ProducerSpec>(argv[2]));
    if (role == "consumer") return run_consumer(read_spec<ConsumerSpec>(argv[2]));
    if (role == "audit") return run_audit(read_spec<AuditSpec>(argv[2]));
    std::cerr << "kchaos-worker: unknown role " << role << "\n";
    return 2;
  } catch (const std::exception& e) {
    emit(kchaos::protocol::event::kError, {{"message", e.what()}});
    std::cerr << "kchaos-worker " << role << ": " << e.what() << "\n";
    return 3;
  }
}
