#pragma once
// What the producer puts in each message value, and how the consumer and the
// audit read it back: (run id, producer id, seq, key id) and a checksum over
// the whole value, padded to the configured message size.

#include <cstdint>
#include <string>
#include <string_view>

namespace kchaos::workloads {

inline constexpr uint32_t kMessageMagic = 0x4B434D31;  // "KCM1"
inline constexpr size_t kMessageHeaderSize = 32;

struct MessageId {
  uint64_t run_id = 0;
  uint32_t producer_id = 0;
  uint64_t seq = 0;
  uint32_t key_id = 0;
};

/// Writes the value for id into out, size bytes (at least kMessageHeaderSize).
void encode_message(const MessageId& id, size_t size, std::string& out);

enum class DecodeStatus { ok, corrupt };

/// Decodes a value; corrupt when the magic, length or checksum do not verify.
DecodeStatus decode_message(std::string_view value, MessageId& id);

/// The message key for a key id ("k<id>").
std::string message_key(uint32_t key_id);

}  // namespace kchaos::workloads
