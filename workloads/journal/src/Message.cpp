#include "kchaos/journal/Message.h"

#include <cstring>

#include "kchaos/journal/Crc32c.h"

namespace kchaos::workloads {

// Layout (little endian): magic u32 | crc u32 | run u64 | producer u32 |
// key u32 | seq u64 | padding derived from seq. The crc covers every byte
// after itself.
void encode_message(const MessageId& id, size_t size, std::string& out) {
  if (size < kMessageHeaderSize) size = kMessageHeaderSize;
  out.resize(size);
  char* p = out.data();
  std::memcpy(p, &kMessageMagic, 4);
  std::memcpy(p + 8, &id.run_id, 8);
  std::memcpy(p + 16, &id.producer_id, 4);
  std::memcpy(p + 20, &id.key_id, 4);
  std::memcpy(p + 24, &id.seq, 8);
  for (size_t i = kMessageHeaderSize; i < size; ++i) {
    p[i] = static_cast<char>('a' + (id.seq + i) % 26);
  }
  uint32_t crc = journal::crc32c(p + 8, size - 8);
  std::memcpy(p + 4, &crc, 4);
}

DecodeStatus decode_message(std::string_view value, MessageId& id) {
  if (value.size() < kMessageHeaderSize) return DecodeStatus::corrupt;
  const char* p = value.data();
  uint32_t magic = 0, crc = 0;
  std::memcpy(&magic, p, 4);
  std::memcpy(&crc, p + 4, 4);
  if (magic != kMessageMagic) return DecodeStatus::corrupt;
  if (journal::crc32c(p + 8, value.size() - 8) != crc) return DecodeStatus::corrupt;
  std::memcpy(&id.run_id, p + 8, 8);
  std::memcpy(&id.producer_id, p + 16, 4);
  std::memcpy(&id.key_id, p + 20, 4);
  std::memcpy(&id.seq, p + 24, 8);
  return DecodeStatus::ok;
}

std::string message_key(uint32_t key_id) {
  std::string key = "k";  // built in steps: GCC 12 -O3 warns falsely on "k" + to_string
  key += std::to_string(key_id);
  return key;
}

}  // namespace kchaos::workloads
