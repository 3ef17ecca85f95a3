#pragma once
// Internal to the report page: what its inline SVG charts are drawn with.

#include <sstream>
#include <string>
#include <vector>

namespace kchaos::html::detail {

/// Text made safe for HTML and SVG, element content and attributes alike.
std::string escape(const std::string& text);

/// "1.5", "12", "1.2k", "3.4M": a number for an axis label.
std::string short_number(double v);

/// A linear map from a domain [d0, d1] onto a range [r0, r1].
struct Scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const {
    return d1 == d0 ? r0 : r0 + (v - d0) * (r1 - r0) / (d1 - d0);
  }
};

/// A round step for about `ticks` ticks over [0, range]: 1, 2 or 5 times a
/// power of ten.
double nice_step(double range, int ticks);

/// Colours that tell one series, fault or anomaly from another, and faults
/// from phases.
const std::vector<std::string>& palette();

/// An SVG document built element by element.
class Svg {
 public:
  Svg(double width, double height);
  void rect(double x, double y, double w, double h, const std::string& fill,
            const std::string& extra = "");
  void line(double x1, double y1, double x2, double y2, const std::string& stroke,
            const std::string& extra = "");
  void text(double x, double y, const std::string& text, const std::string& extra = "");
  /// A polyline through (x, y) points; NaN ys break it into pieces.
  void polyline(const std::vector<double>& xs, const std::vector<double>& ys,
                const std::string& stroke, const std::string& extra = "");
  /// Raw markup (a <title>, a <g>).
  void raw(const std::string& markup) { out_ << markup; }
  std::string str() const { return out_.str() + "</svg>\n"; }

 private:
  std::ostringstream out_;
};

}  // namespace kchaos::html::detail
