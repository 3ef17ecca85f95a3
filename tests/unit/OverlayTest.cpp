// The power-loss filesystem's overlay on its own: what a reader sees, what a
// flush writes and what power loss leaves, against a plain string model.

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "kchaos/pagefs/Overlay.h"

using kchaos::pagefs::Clock;
using kchaos::pagefs::Flush;
using kchaos::pagefs::Overlay;

namespace {

// The backing file, as the overlay's read_durable callback and a flush see it.
struct Backing {
  std::string bytes;
  size_t read(uint64_t at, char* out, size_t n) const {
    if (at >= bytes.size()) return 0;
    n = std::min<size_t>(n, bytes.size() - at);
    std::memcpy(out, bytes.data() + at, n);
    return n;
  }
  void apply(const Flush& f) {
    if (f.cut < bytes.size()) bytes.resize(f.cut);
    bytes.resize(f.size, '\0');
    for (const auto& [at, data] : f.extents) bytes.replace(at, data.size(), data);
  }
};

std::string view(const Overlay& o, const Backing& b, uint64_t at = 0, size_t n = 1 << 20) {
  std::string out(n, '?');
  const size_t got =
      o.read(at, out.data(), n, [&](uint64_t a, char* p, size_t l) { return b.read(a, p, l); });
  out.resize(got);
  return out;
}

}  // namespace

TEST(Overlay, UnsyncedWritesAreSeenButNotDurableUntilTaken) {
  Backing disk{"durable"};
  Overlay o(disk.bytes.size());
  o.write(7, "+more", Clock::now());
  o.write(0, "D", Clock::now());
  EXPECT_EQ(view(o, disk), "Durable+more");
  EXPECT_TRUE(o.dirty());
  EXPECT_EQ(o.dirty_bytes(), 6u);
  EXPECT_EQ(disk.bytes, "durable");  // power loss here keeps this
  disk.apply(o.take());
  EXPECT_EQ(disk.bytes, "Durable+more");
  EXPECT_FALSE(o.dirty());
  EXPECT_EQ(o.dirty_bytes(), 0u);
  EXPECT_EQ(view(o, disk), "Durable+more");
}

TEST(Overlay, TruncationHidesTheDurableTailUntilTakenAndExtendsWithZeros) {
  Backing disk{"0123456789"};
  Overlay o(disk.bytes.size());
  o.truncate(4, Clock::now());
  EXPECT_EQ(view(o, disk), "0123");
  o.truncate(6, Clock::now());
  EXPECT_EQ(view(o, disk), std::string("0123\0\0", 6)) << "the cut bytes must not come back";
  o.write(8, "x", Clock::now());
  EXPECT_EQ(view(o, disk), std::string("0123\0\0\0\0x", 9));
  EXPECT_EQ(disk.bytes, "0123456789");
  disk.apply(o.take());
  EXPECT_EQ(disk.bytes, std::string("0123\0\0\0\0x", 9));
}

TEST(Overlay, AppendsGrowOneExtentAndOverlappingWritesMerge) {
  Backing disk;
  Overlay o(0);
  for (int i = 0; i < 1000; ++i) o.write(i * 3, "abc", Clock::now());
  EXPECT_EQ(o.dirty_bytes(), 3000u);
  o.write(10, std::string(20, 'z'), Clock::now());
  o.write(5000, "far", Clock::now());
  o.write(2990, std::string(2100, 'y'), Clock::now());  // bridges the gap to "far"
  EXPECT_EQ(o.size(), 5090u);
  const Flush f = o.take();
  ASSERT_EQ(f.extents.size(), 1u);
  EXPECT_EQ(f.extents[0].first, 0u);
  EXPECT_EQ(f.extents[0].second.size(), 5090u);
}

TEST(Overlay, RandomOperationsMatchAStringModelAndPowerLossKeepsTheLastFlush) {
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  Backing disk{std::string(300, 'd')};
  Overlay o(disk.bytes.size());
  std::string model = disk.bytes;
  for (int step = 0; step < 20000; ++step) {
    const int what = pick(100);
    if (what < 70) {
      const uint64_t at = pick(2000);
      const std::string data(1 + pick(200), static_cast<char>('a' + pick(26)));
      o.write(at, data, Clock::now());
      if (model.size() < at + data.size()) model.resize(at + data.size(), '\0');
      model.replace(at, data.size(), data);
    } else if (what < 85) {
      const uint64_t size = pick(2500);
      o.truncate(size, Clock::now());
      model.resize(size, '\0');
    } else if (what < 92) {
      disk.apply(o.take());
      ASSERT_EQ(disk.bytes, model) << "step " << step;
    } else if (what < 95) {
      o = Overlay(disk.bytes.size());  // power loss: the overlay is gone
      model = disk.bytes;
    }
    const uint64_t at = pick(2600);
    const size_t n = 1 + pick(400);
    const std::string expected = at < model.size() ? model.substr(at, n) : "";
    ASSERT_EQ(view(o, disk, at, n), expected) << "step " << step;
    ASSERT_EQ(o.size(), model.size());
  }
}
