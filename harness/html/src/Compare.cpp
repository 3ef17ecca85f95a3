#include "kchaos/html/Compare.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <map>
#include <sstream>

#include "Style.h"
#include "Svg.h"
#include "kchaos/reports/Limit.h"
#include "kchaos/reports/Table.h"

namespace kchaos::html {
namespace {

using detail::escape;

const char* verdict(const ConfigurationView* c) {
  if (c == nullptr) return "-";
  return !c->result->error.empty() ? "ERROR" : c->result->passed ? "PASS" : "FAIL";
}

// The seconds [begin, end) of the configuration's clock while producers ran.
std::pair<size_t, size_t> producing(const ConfigurationView& c) {
  const auto& phases = c.result->verdict.phases;
  int64_t begin = 0, end = 0;
  for (const auto& p : phases) {
    if (p.name == "warm-up" && begin == 0) begin = p.time_us;
    if (p.name == "stop-producers" && end == 0) end = p.time_us;
  }
  const auto second = [&](int64_t us, size_t fallback) {
    if (us == 0 || c.timeline.origin_us == 0) return fallback;
    return static_cast<size_t>(std::max<int64_t>(0, (us - c.timeline.origin_us) / 1'000'000));
  };
  const size_t b = second(begin, 0), e = std::min(second(end, c.timeline.seconds), c.timeline.seconds);
  return {std::min(b, e), e};
}

std::string number(double v, const char* format) {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// The lines compared: (label, A, B).
std::vector<std::array<std::string, 3>> lines(const Comparison::Row& row) {
  std::vector<std::array<std::string, 3>> out;
  out.push_back({"verdict", verdict(row.a), verdict(row.b)});
  const Measures ma = row.a ? measure(*row.a) : Measures{}, mb = row.b ? measure(*row.b) : Measures{};
  auto both = [&](const std::string& label, double a, double b, const char* format) {
    out.push_back({label, row.a ? number(a, format) : "-", row.b ? number(b, format) : "-"});
  };
  both("created", row.a ? static_cast<double>(row.a->result->verdict.created) : 0,
       row.b ? static_cast<double>(row.b->result->verdict.created) : 0, "%.0f");
  both("acknowledged per second", ma.ack_rate, mb.ack_rate, "%.1f");
  both("produce p99, ms (median of 1-s)", ma.p99_median_ms, mb.p99_median_ms, "%.1f");
  both("produce p99, ms (highest 1-s)", ma.p99_max_ms, mb.p99_max_ms, "%.1f");
  std::vector<reports::TableRow> rows;
  if (row.a) rows.push_back({{}, row.a->result});
  if (row.b) rows.push_back({{}, row.b->result});
  for (const auto& name : reports::shown_counts(rows)) {
    auto count = [&](const ConfigurationView* c) {
      if (c == nullptr || c->result->verdict.equation.empty()) return std::string("-");
      const auto n = reports::expected_count(c->result->verdict, name);
      return n ? std::to_string(*n) : std::string("-");
    };
    out.push_back({name, count(row.a), count(row.b)});
  }
  return out;
}

}  // namespace

Measures measure(const ConfigurationView& c) {
  Measures m;
  const auto [begin, end] = producing(c);
  const auto& t = c.timeline;
  if (end <= begin || t.acked.size() < end) return m;
  double acked = 0;
  std::vector<double> p99;
  for (size_t s = begin; s < end; ++s) {
    acked += t.acked[s];
    if (!std::isnan(t.p99_ms[s])) p99.push_back(t.p99_ms[s]);
  }
  m.ack_rate = acked / static_cast<double>(end - begin);
  if (!p99.empty()) {
    std::sort(p99.begin(), p99.end());
    m.p99_median_ms = p99[p99.size() / 2];
    m.p99_max_ms = p99.back();
  }
  return m;
}

Comparison compare(const std::vector<LoadedRun>& a, const std::vector<LoadedRun>& b,
                   const std::string& a_label, const std::string& b_label) {
  Comparison out;
  out.a_label = a_label;
  out.b_label = b_label;
  std::map<std::string, size_t> at;
  auto add = [&](const std::vector<LoadedRun>& side, bool is_a) {
    for (const auto& run : side) {
      for (const auto& c : run.view.configurations) {
        const std::string key = (run.dir.empty() ? run.view.scenario : run.dir.string()) + " / " +
                                c.result->name;
        auto [it, fresh] = at.try_emplace(key, out.rows.size());
        if (fresh) out.rows.push_back({key, nullptr, nullptr});
        (is_a ? out.rows[it->second].a : out.rows[it->second].b) = &c;
      }
    }
  };
  add(a, true);
  add(b, false);
  return out;
}

std::string compare_text(const Comparison& c) {
  std::ostringstream out;
  for (const auto& row : c.rows) {
    const auto ls = lines(row);
    size_t width = 0;
    for (const auto& l : ls) width = std::max(width, l[0].size());
    out << row.key << (row.a && row.b ? "" : row.a ? "   (only in A)" : "   (only in B)") << "\n";
    out << "  " << std::left << std::setw(static_cast<int>(width)) << "" << std::right
        << std::setw(14) << "A" << std::setw(14) << "B" << "\n";
    for (const auto& l : ls) {
      out << "  " << std::left << std::setw(static_cast<int>(width)) << l[0] << std::right
          << std::setw(14) << l[1] << std::setw(14) << l[2] << (l[1] != l[2] ? "  *" : "") << "\n";
    }
    out << "\n";
  }
  out << "A: " << c.a_label << "\nB: " << c.b_label << "\n* differs\n";
  return out.str();
}

std::string compare_html(const Comparison& c) {
  std::ostringstream out;
  out << detail::page_start("kchaos compare") << "<h1>kchaos compare</h1>\n<dl class=\"run\"><dt>A</dt><dd>"
      << escape(c.a_label) << "</dd><dt>B</dt><dd>" << escape(c.b_label) << "</dd></dl>\n";
  for (const auto& row : c.rows) {
    out << "<h2>" << escape(row.key) << "</h2>\n<table><tr><th></th><th>A</th><th>B</th></tr>\n";
    for (const auto& l : lines(row)) {
      const bool differs = l[1] != l[2];
      out << "<tr><td>" << escape(l[0]) << "</td><td class=\"n" << (differs ? " out" : "") << "\">"
          << escape(l[1]) << "</td><td class=\"n" << (differs ? " out" : "") << "\">"
          << escape(l[2]) << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  out << detail::page_end();
  return out.str();
}

}  // namespace kchaos::html
