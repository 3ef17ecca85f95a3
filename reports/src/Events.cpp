#include "Events.h"

#include <algorithm>

#include "Evidence.h"
#include "kchaos/journal/Journal.h"

namespace kchaos::reports::detail {

namespace fs = std::filesystem;
using journal::EventType;

namespace {

class FaultPairing {
 public:
  explicit FaultPairing(std::vector<FaultRecord>& faults) : faults_(faults) {}

  /// The record of fault index, created when the journal first names it.
  FaultRecord& indexed(int index) {
    for (auto& f : faults_) {
      if (f.index == index) return f;
    }
    faults_.push_back({});
    faults_.back().index = index;
    return faults_.back();
  }

  void injected(const journal::EventRecord& e, const std::string& text) {
    if (e.fault != 0) {
      FaultRecord& f = indexed(e.fault);
      f.description = text;
      f.target = e.target;
      f.injected_us = e.time_us;
      return;
    }
    // A journal without fault indices: pair by target and text.
    FaultRecord f;
    f.description = text;
    f.target = e.target;
    f.injected_us = e.time_us;
    open_.push_back(faults_.size());
    faults_.push_back(std::move(f));
  }

  void healed(const journal::EventRecord& e, const std::string& text) {
    if (e.fault != 0) {
      indexed(e.fault).healed_us = e.time_us;
      return;
    }
    auto same_target = [&](size_t i) { return faults_[i].target == e.target; };
    auto it = std::find_if(open_.begin(), open_.end(), [&](size_t i) {
      return same_target(i) && faults_[i].description == text;
    });
    if (it == open_.end()) it = std::find_if(open_.begin(), open_.end(), same_target);
    if (it == open_.end()) return;
    faults_[*it].healed_us = e.time_us;
    open_.erase(it);
  }

 private:
  std::vector<FaultRecord>& faults_;
  std::vector<size_t> open_;  // unindexed injections not yet healed
};

// {"op":"inject"|"heal","planned_s":P,"began_s":B}; anything else is left unread.
void begun(FaultRecord& f, const std::string& text) {
  const Json j = Json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("planned_s") || !j.contains("began_s")) return;
  if (!j["planned_s"].is_number() || !j["began_s"].is_number()) return;
  const bool inject = j.value("op", "") == "inject";
  (inject ? f.inject_planned_s : f.heal_planned_s) = j["planned_s"].get<double>();
  (inject ? f.inject_began_s : f.heal_began_s) = j["began_s"].get<double>();
}

}  // namespace

EventsView read_events(const fs::path& path, JournalHealth& health) {
  EventsView view;
  std::error_code ec;
  if (path.empty() || !fs::exists(path, ec)) return view;
  const std::string name = path.filename().string();
  if (fs::file_size(path, ec) < sizeof(journal::Header)) {
    health.notes.push_back(name + ": shorter than a journal header, read as empty");
    return view;
  }
  FaultPairing pairing(view.faults);
  journal::ReadSummary summary;
  try {
    summary = journal::read<journal::EventRecord>(path, [&](const journal::EventRecord& e) {
      view.last_time_us = std::max(view.last_time_us, e.time_us);
      std::string text = printable_text(e.text, sizeof e.text);
      switch (static_cast<EventType>(e.type)) {
        case EventType::phase:
          view.phases.push_back({text, e.time_us});
          break;
        case EventType::fault_planned:
          if (e.fault != 0) pairing.indexed(e.fault).planned = text;
          break;
        case EventType::fault_injected:
          if (text.empty()) text = "fault on target " + std::to_string(e.target);
          pairing.injected(e, text);
          break;
        case EventType::fault_healed:
          if (text.empty()) text = "fault on target " + std::to_string(e.target);
          pairing.healed(e, text);
          break;
        case EventType::fault_failed:
          if (e.fault != 0) pairing.indexed(e.fault).error = text;
          break;
        case EventType::fault_begun:
          if (e.fault != 0) begun(pairing.indexed(e.fault), text);
          break;
        case EventType::recovery:
          view.recovered = e.target == 1;
          break;
        default:
          break;
      }
    });
  } catch (const journal::JournalError& e) {
    // Not an events journal at all: no phase or fault of it can be trusted.
    health.damage.push_back(name + ": " + e.what() +
                            "; the run's phases and the proof of its faults cannot be read");
    return EventsView{};
  }
  if (summary.torn_tail) {
    ++health.torn_tails;
    health.notes.push_back(name + ": torn tail (writer killed mid-record), partial record dropped");
  }
  if (summary.bad_records > 0) {
    health.bad_records += summary.bad_records;
    health.notes.push_back(name + ": " + std::to_string(summary.bad_records) +
                           " record(s) failed their CRC and were dropped");
  }
  std::stable_sort(view.faults.begin(), view.faults.end(),
                   [](const FaultRecord& a, const FaultRecord& b) {
                     if ((a.index == 0) != (b.index == 0)) return a.index != 0;
                     return a.index != 0 ? a.index < b.index : a.injected_us < b.injected_us;
                   });
  return view;
}

}  // namespace kchaos::reports::detail
