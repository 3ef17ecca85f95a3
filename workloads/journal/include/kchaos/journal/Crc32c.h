#pragma once

#include <cstddef>
#include <cstdint>

namespace kchaos::journal {

/// CRC-32C (Castagnoli), with the SSE4.2 instruction where the CPU has it.
uint32_t crc32c(const void* data, size_t size, uint32_t crc = 0);

}  // namespace kchaos::journal
