// The Scheduler never waits for one fault: with fake faults (no cluster),
// an injection that waits for seconds does not delay another fault's
// injection or heal planned meanwhile.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "kchaos/faults/Scheduler.h"

namespace kchaos::faults {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A cluster no fault here touches.
class NoCluster : public cluster::Cluster {
 public:
  void up() override {}
  void down() override {}
  std::vector<cluster::BrokerHandle> brokers() const override { return {}; }
  std::string bootstrap() const override { return ""; }
  std::string client_netns() const override { return ""; }
  cluster::ClusterStatus status() override { return {}; }
  std::string client_address() const override { return ""; }
  std::filesystem::path data_dir(int) const override { return ""; }
  bool is_running(int) override { return true; }
  void wait_registered(int, std::chrono::milliseconds) override {}
  double startup_seconds() const override { return 0; }
  std::filesystem::path broker_log(int) const override { return ""; }
  void remove_data() const override {}
  void kill(int) override {}
  void terminate(int) override {}
  void start(int) override {}
  void pause(int) override {}
  void resume(int) override {}
  void isolate(int) override {}
  void heal(int) override {}
};

// When each fault's injection and heal ended, in seconds since the start.
struct Log {
  Clock::time_point start = Clock::now();
  std::mutex mutex;
  std::map<std::string, double> at;
  void mark(const std::string& what) {
    std::lock_guard lock(mutex);
    at[what] = std::chrono::duration<double>(Clock::now() - start).count();
  }
};

class FakeFault : public Fault {
 public:
  FakeFault(FaultSpec spec, std::chrono::milliseconds wait, Log& log)
      : Fault(std::move(spec)), wait_(wait), log_(log) {}

 protected:
  void do_inject(FaultContext&) override {
    std::this_thread::sleep_for(wait_);  // a batch to open, a broker to exit cleanly
    description_ = "fake " + std::to_string(spec_.index);
    log_.mark("inject " + std::to_string(spec_.index));
  }
  void do_heal(FaultContext&) override { log_.mark("heal " + std::to_string(spec_.index)); }

 private:
  std::chrono::milliseconds wait_;
  Log& log_;
};

FaultSpec spec(int index, double at, double duration) {
  FaultSpec s;
  s.type = "fake";
  s.index = index;
  s.at_s = at;
  s.duration_s = duration;
  return s;
}

TEST(Scheduler, AnInjectionThatWaitsDelaysNoOtherInjectionOrHeal) {
  NoCluster cluster;
  std::mt19937_64 rng(1);
  std::vector<std::pair<FaultEvent, std::string>> journal;
  std::mutex journal_mutex;
  FaultContext ctx{cluster, "t", nullptr, &rng,
                   [&](FaultEvent e, int, int, const std::string& text) {
                     std::lock_guard lock(journal_mutex);
                     journal.emplace_back(e, text);
                   }};
  Log log;
  // Fault 1 waits 4 s to be in place; fault 2 is planned 1 s in, for 1 s.
  Scheduler scheduler({spec(1, 0, 1), spec(2, 1, 1)}, ctx, 7, [&](const FaultSpec& s) {
    return std::make_unique<FakeFault>(s, s.index == 1 ? 4000ms : 0ms, log);
  });
  double t = 0;
  bool shown_in_place_early = false;
  while ((t = std::chrono::duration<double>(Clock::now() - log.start).count()) < 6) {
    scheduler.tick(t);
    for (const auto& f : scheduler.active()) {
      const bool being_injected = f.description.find("being injected") != std::string::npos;
      shown_in_place_early = shown_in_place_early || (f.description == "fake 1" && t < 3.9);
      EXPECT_TRUE(!being_injected || t < 4.5) << "fault 1 shown as under way after it was in place";
    }
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(scheduler.finish(t), "");
  // The old scheduler injected fault 2 only once fault 1 was in place (4 s).
  ASSERT_TRUE(log.at.count("inject 2") && log.at.count("heal 2"));
  EXPECT_LT(log.at["inject 2"], 1.8) << "fault 2's injection waited for fault 1's";
  EXPECT_LT(log.at["heal 2"], 2.8) << "fault 2's heal waited for fault 1's injection";
  EXPECT_GT(log.at["inject 1"], 3.9);
  // Fault 1's duration runs from when it was in place.
  EXPECT_GT(log.at["heal 1"], log.at["inject 1"] + 0.9);
  EXPECT_LT(scheduler.max_lateness(), 1.0);
  EXPECT_FALSE(shown_in_place_early) << "fault 1 was shown in place before it was";
  int begun = 0;
  for (const auto& [e, text] : journal) begun += e == FaultEvent::begun;
  EXPECT_EQ(begun, 4) << "each injection and heal journals when it began";
}

TEST(Scheduler, AFaultThatNeverFiresIsReportedAndTheOthersStillHappen) {
  NoCluster cluster;
  std::mt19937_64 rng(1);
  FaultContext ctx{cluster, "t", nullptr, &rng, nullptr};
  Log log;
  // Fault 2 is planned after the phase ends (at 30 s of a 2-s phase).
  Scheduler scheduler({spec(1, 0.2, 0.5), spec(2, 30, 1)}, ctx, 7,
                      [&](const FaultSpec& s) { return std::make_unique<FakeFault>(s, 0ms, log); });
  double t = 0;
  while ((t = std::chrono::duration<double>(Clock::now() - log.start).count()) < 2) {
    scheduler.tick(t);
    std::this_thread::sleep_for(20ms);
  }
  const std::string missed = scheduler.finish(t);
  EXPECT_NE(missed.find("fake at 30 s for 1 s"), std::string::npos) << missed;
  EXPECT_EQ(missed.find("at 0.2 s"), std::string::npos) << missed;
  EXPECT_TRUE(log.at.count("heal 1"));
}

}  // namespace
}  // namespace kchaos::faults
