#include "Svg.h"

#include <cmath>
#include <cstdio>

#include "kchaos/reports/Render.h"

namespace kchaos::html::detail {

// HTML text and attributes alike: the page keeps line breaks in attributes.
std::string escape(const std::string& text) { return reports::xml_escape(text, false); }

std::string short_number(double v) {
  char buf[32];
  const double a = std::fabs(v);
  if (a >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.1fM", v / 1e6);
  } else if (a >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.0fk", v / 1e3);
  } else if (a >= 1e3) {
    std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  } else if (a >= 10 || a == std::floor(a)) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f", v);
  }
  return buf;
}

double nice_step(double range, int ticks) {
  if (range <= 0 || ticks <= 0) return 1;
  const double raw = range / ticks;
  const double power = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10 * power;
}

const std::vector<std::string>& palette() {
  static const std::vector<std::string> colours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                                   "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
                                                   "#bcbd22", "#7f7f7f"};
  return colours;
}

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

Svg::Svg(double width, double height) {
  out_ << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << num(width) << " "
       << num(height) << "\" width=\"" << num(width) << "\" height=\"" << num(height)
       << "\" font-family=\"system-ui, sans-serif\" font-size=\"11\">\n";
}

void Svg::rect(double x, double y, double w, double h, const std::string& fill,
               const std::string& extra) {
  out_ << "<rect x=\"" << num(x) << "\" y=\"" << num(y) << "\" width=\"" << num(std::max(0.0, w))
       << "\" height=\"" << num(std::max(0.0, h)) << "\" fill=\"" << fill << "\" " << extra
       << "/>\n";
}

void Svg::line(double x1, double y1, double x2, double y2, const std::string& stroke,
               const std::string& extra) {
  out_ << "<line x1=\"" << num(x1) << "\" y1=\"" << num(y1) << "\" x2=\"" << num(x2) << "\" y2=\""
       << num(y2) << "\" stroke=\"" << stroke << "\" " << extra << "/>\n";
}

void Svg::text(double x, double y, const std::string& text, const std::string& extra) {
  out_ << "<text x=\"" << num(x) << "\" y=\"" << num(y) << "\" " << extra << ">" << escape(text)
       << "</text>\n";
}

void Svg::polyline(const std::vector<double>& xs, const std::vector<double>& ys,
                   const std::string& stroke, const std::string& extra) {
  std::string points;
  auto flush = [&] {
    if (!points.empty()) {
      out_ << "<polyline fill=\"none\" stroke=\"" << stroke << "\" " << extra << " points=\""
           << points << "\"/>\n";
    }
    points.clear();
  };
  for (size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    if (std::isnan(ys[i])) {
      flush();
      continue;
    }
    points += num(xs[i]) + "," + num(ys[i]) + " ";
  }
  flush();
}

}  // namespace kchaos::html::detail
