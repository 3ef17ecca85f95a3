#include "Timeline.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "Svg.h"

namespace kchaos::html::detail {
namespace {

constexpr double kWidth = 1040, kLeft = 64, kRight = 16;
constexpr double kLane = 18;
constexpr double kCharWidth = 6.3;  // at the 11-px font

struct Panel {
  std::string title;
  double top, height, max;
  Scale y;
};

/// Where things go on the chart.
struct Layout {
  Scale x;
  int64_t origin_us = 0;
  std::vector<Panel> panels;
  double phase_top = 0, fault_top = 0, mark_top = 0, axis_top = 0, height = 0;
  double at(int64_t us) const { return x(static_cast<double>(us - origin_us) / 1e6); }
};

// Each fault's lane: the first whose last band ended before it begins, so
// that overlapping faults never share a row (nor their labels).
std::vector<int> fault_lanes(const std::vector<reports::FaultRecord>& faults, int64_t end_us) {
  std::vector<int> lanes(faults.size(), 0);
  std::vector<int64_t> busy_until;
  for (size_t i = 0; i < faults.size(); ++i) {
    if (faults[i].injected_us == 0) continue;
    size_t lane = 0;
    while (lane < busy_until.size() && busy_until[lane] > faults[i].injected_us) ++lane;
    if (lane == busy_until.size()) busy_until.push_back(0);
    busy_until[lane] = faults[i].healed_us ? faults[i].healed_us : end_us;
    lanes[i] = static_cast<int>(lane);
  }
  return lanes;
}

// text cut (with an ellipsis) to fit width pixels; "" when nothing fits.
std::string fit(const std::string& text, double width) {
  const auto room = static_cast<size_t>(std::max(0.0, (width - 6) / kCharWidth));
  if (text.size() <= room) return text;
  if (room < 2) return "";
  return text.substr(0, room - 1) + "\xE2\x80\xA6";
}

double max_of(const Series& s) {
  double m = 0;
  for (double v : s) {
    if (!std::isnan(v)) m = std::max(m, v);
  }
  return m;
}

Layout layout(const ConfigurationView& c, int lanes) {
  const auto& v = c.result->verdict;
  const Timeline& t = c.timeline;
  Layout l;
  l.origin_us = t.origin_us ? t.origin_us : (v.phases.empty() ? 0 : v.phases.front().time_us);
  double end_s = std::max(1.0, static_cast<double>(t.seconds));
  auto at_s = [&](int64_t us) { return static_cast<double>(us - l.origin_us) / 1e6; };
  for (const auto& p : v.phases) end_s = std::max(end_s, at_s(p.time_us) + 1);
  for (const auto& f : v.faults)
    end_s = std::max(end_s, at_s(std::max(f.injected_us, f.healed_us)));
  l.x = Scale{0, end_s, kLeft, kWidth - kRight};
  double top = 72;
  const double rates = std::max({max_of(t.acked), max_of(t.failed), max_of(t.consumed), 1.0});
  for (auto [title, height, max] : {std::tuple{"messages per second", 150.0, rates},
                                    std::tuple{"produce latency, ms", 90.0, max_of(t.p99_ms)},
                                    std::tuple{"consumer lag, messages", 70.0, max_of(t.lag)}}) {
    const double step = nice_step(std::max(max, 1.0), 4);
    const double nice = step * std::ceil(std::max(max, 1.0) / step);
    l.panels.push_back({title, top, height, nice, Scale{0, nice, top + height, top}});
    top += height + 34;
  }
  l.phase_top = top - 14;
  l.fault_top = l.phase_top + kLane + 16;
  l.mark_top = l.fault_top + std::max(1, lanes) * kLane + 16;
  l.axis_top = l.mark_top + kLane + 4;
  l.height = l.axis_top + 34;
  return l;
}

// The phases as shaded spans behind the panels and as a labelled lane.
void draw_phases(Svg& svg, const Layout& l, const std::vector<reports::PhaseRecord>& phases) {
  for (size_t i = 0; i < phases.size(); ++i) {
    const double x0 = l.at(phases[i].time_us);
    const double x1 = i + 1 < phases.size() ? l.at(phases[i + 1].time_us) : l.x.r1;
    const bool faults = phases[i].name == "faults";
    const std::string fill = faults ? "#fdecea" : (i % 2 ? "#f3f3f3" : "#fafafa");
    svg.rect(x0, l.panels.front().top, x1 - x0, l.phase_top + kLane - l.panels.front().top, fill);
    svg.rect(x0, l.phase_top, x1 - x0, kLane, faults ? "#f5c6c0" : "#e4e4e4", "stroke=\"#ffffff\"");
    svg.text(x0 + 3, l.phase_top + 13, fit(phases[i].name, x1 - x0), "fill=\"#333\"");
  }
  svg.text(kLeft - 6, l.phase_top + 13, "phase", "text-anchor=\"end\" fill=\"#555\"");
}

void draw_panel(Svg& svg, const Layout& l, const Panel& p) {
  const double step = nice_step(p.max, 4);
  for (double v = 0; v <= p.max + 1e-9; v += step) {
    svg.line(kLeft, p.y(v), l.x.r1, p.y(v), "#dddddd", "stroke-width=\"0.6\"");
    svg.text(kLeft - 6, p.y(v) + 4, short_number(v), "text-anchor=\"end\" fill=\"#555\"");
  }
  svg.text(kLeft, p.top - 8, p.title, "font-weight=\"600\" fill=\"#222\"");
}

void draw_series(Svg& svg, const Layout& l, const Timeline& t) {
  std::vector<double> xs;
  for (size_t s = 0; s < t.seconds; ++s) xs.push_back(l.x(static_cast<double>(s) + 0.5));
  auto ys = [](const Series& s, const Scale& y) {
    std::vector<double> out;
    for (double v : s) out.push_back(std::isnan(v) ? v : y(v));
    return out;
  };
  const auto& rates = l.panels[0].y;
  svg.polyline(xs, ys(t.acked, rates), palette()[0], "stroke-width=\"1.6\"");
  svg.polyline(xs, ys(t.consumed, rates), palette()[2], "stroke-width=\"1.3\"");
  svg.polyline(xs, ys(t.failed, rates), palette()[1], "stroke-width=\"1.6\"");
  svg.polyline(xs, ys(t.p50_ms, l.panels[1].y), palette()[3], "stroke-width=\"1.3\"");
  svg.polyline(xs, ys(t.p99_ms, l.panels[1].y), palette()[5],
               "stroke-width=\"1.3\" stroke-dasharray=\"4 2\"");
  svg.polyline(xs, ys(t.lag, l.panels[2].y), palette()[4], "stroke-width=\"1.5\"");
}

// Faults: a band per fault from inject to heal, in its lane, with its number
// and what it did; a thin line at its inject time through the panels.
void draw_faults(Svg& svg, const Layout& l, const std::vector<reports::FaultRecord>& faults,
                 const std::vector<int>& lanes) {
  svg.text(kLeft - 6, l.fault_top + 13, "faults", "text-anchor=\"end\" fill=\"#555\"");
  for (size_t i = 0; i < faults.size(); ++i) {
    const auto& f = faults[i];
    if (f.injected_us == 0) continue;
    const std::string colour = palette()[(f.index ? f.index - 1 : i) % palette().size()];
    const double x0 = l.at(f.injected_us), x1 = f.healed_us ? l.at(f.healed_us) : l.x.r1;
    const double y = l.fault_top + lanes[i] * kLane;
    const std::string label = std::to_string(f.index ? f.index : static_cast<int>(i) + 1) + " " +
                              (f.description.empty() ? f.planned : f.description);
    svg.line(x0, l.panels.front().top, x0, l.phase_top, colour,
             "stroke-width=\"0.8\" stroke-dasharray=\"3 3\" opacity=\"0.7\"");
    svg.raw("<g><title>" + escape(label) + "</title>\n");
    svg.rect(x0, y + 1, std::max(2.0, x1 - x0), kLane - 2, colour,
             "class=\"fault-band\" opacity=\"0.85\" rx=\"2\"");
    svg.text(x0 + 3, y + 13, fit(label, x1 - x0), "fill=\"#ffffff\"");
    svg.raw("</g>\n");
  }
}

void draw_marks(Svg& svg, const Layout& l, const std::vector<reports::Example>& examples) {
  svg.text(kLeft - 6, l.mark_top + 13, "anomalies", "text-anchor=\"end\" fill=\"#555\"");
  const auto& names = reports::anomaly_names();
  for (const auto& e : examples) {
    if (e.ack_time_us == 0) continue;
    const auto rank = std::find(names.begin(), names.end(), e.anomaly) - names.begin();
    const std::string colour = palette()[static_cast<size_t>(rank) % palette().size()];
    const double x = l.at(e.ack_time_us), y = l.mark_top + 3;
    svg.raw("<g><title>" +
            escape(e.anomaly + ": producer " + std::to_string(e.producer_id) + " seq " +
                   std::to_string(e.seq) + ", " + e.detail) +
            "</title>\n");
    svg.raw("<path class=\"anomaly-mark\" data-anomaly=\"" + escape(e.anomaly) + "\" d=\"M" +
            std::to_string(x) + "," + std::to_string(y + 12) + " l-5,-10 l10,0 z\" fill=\"" +
            colour + "\"/>\n");
    svg.raw("</g>\n");
  }
}

void draw_time_axis(Svg& svg, const Layout& l) {
  const double step = nice_step(l.x.d1, 10);
  for (double s = 0; s <= l.x.d1 + 1e-9; s += step) {
    svg.line(l.x(s), l.axis_top, l.x(s), l.axis_top + 5, "#555");
    svg.text(l.x(s), l.axis_top + 17, short_number(s), "text-anchor=\"middle\" fill=\"#333\"");
  }
  svg.line(kLeft, l.axis_top, l.x.r1, l.axis_top, "#555");
  svg.text((kLeft + l.x.r1) / 2, l.axis_top + 31, "seconds since the configuration began",
           "text-anchor=\"middle\" fill=\"#333\"");
}

void draw_legend(Svg& svg, const std::vector<reports::Example>& examples) {
  double x = kLeft;
  auto item = [&](const std::string& colour, const std::string& label, bool dashed) {
    svg.line(x, 14, x + 18, 14, colour,
             std::string("stroke-width=\"2.5\"") + (dashed ? " stroke-dasharray=\"4 2\"" : ""));
    svg.text(x + 22, 18, label, "fill=\"#222\"");
    x += 30 + kCharWidth * static_cast<double>(label.size());
  };
  item(palette()[0], "acknowledged", false);
  item(palette()[1], "failed", false);
  item(palette()[2], "consumed", false);
  item(palette()[3], "latency p50", false);
  item(palette()[5], "latency p99", true);
  item(palette()[4], "lag", false);
  x = kLeft;
  std::vector<std::string> shown;
  const auto& names = reports::anomaly_names();
  for (const auto& e : examples) {
    if (std::find(shown.begin(), shown.end(), e.anomaly) != shown.end()) continue;
    shown.push_back(e.anomaly);
    const auto rank = std::find(names.begin(), names.end(), e.anomaly) - names.begin();
    svg.raw("<path d=\"M" + std::to_string(x + 9) + ",40 l-5,-10 l10,0 z\" fill=\"" +
            palette()[static_cast<size_t>(rank) % palette().size()] + "\"/>\n");
    svg.text(x + 18, 38, e.anomaly, "fill=\"#222\"");
    x += 30 + kCharWidth * static_cast<double>(e.anomaly.size());
  }
}

}  // namespace

std::string timeline_svg(const ConfigurationView& c) {
  const auto& v = c.result->verdict;
  const int64_t far_end = std::numeric_limits<int64_t>::max() / 2;
  const auto lanes = fault_lanes(v.faults, far_end);
  const int lane_count = lanes.empty() ? 1 : *std::max_element(lanes.begin(), lanes.end()) + 1;
  const Layout l = layout(c, lane_count);
  Svg svg(kWidth, l.height);
  svg.rect(0, 0, kWidth, l.height, "#ffffff");
  draw_legend(svg, v.examples);
  draw_phases(svg, l, v.phases);
  for (const auto& p : l.panels) draw_panel(svg, l, p);
  draw_series(svg, l, c.timeline);
  draw_faults(svg, l, v.faults, lanes);
  draw_marks(svg, l, v.examples);
  draw_time_axis(svg, l);
  return svg.str();
}

}  // namespace kchaos::html::detail
