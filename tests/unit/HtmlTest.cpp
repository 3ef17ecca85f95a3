// The report page on a synthetic run directory: a fault band and anomaly
// marks where the time axis says they belong, the run's numbers on the page,
// text escaped, the index of a directory run linking every scenario, and
// HTML whose tags balance.

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "kchaos/common/Json.h"
#include "kchaos/html/Compare.h"
#include "kchaos/html/Page.h"
#include "kchaos/html/RunData.h"
#include "kchaos/protocol/Events.h"
#include "kchaos/reports/Verdict.h"

namespace kchaos::html {
namespace {

namespace fs = std::filesystem;
constexpr int64_t kT0 = 1'800'000'000'000'000;  // the first phase, wall clock us
constexpr int64_t kSecond = 1'000'000;

// Whether every element that opens closes, in order (void elements and
// self-closing SVG elements aside). Returns "" or what is wrong.
std::string unbalanced(const std::string& html) {
  static const std::vector<std::string> kVoid = {"meta", "br", "hr", "img", "input", "link", "col"};
  std::vector<std::string> open;
  for (size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    const size_t end = html.find('>', at);
    if (end == std::string::npos) return "a tag never ends";
    const std::string tag = html.substr(at + 1, end - at - 1);
    if (tag.empty() || tag[0] == '!') continue;
    if (tag.back() == '/') continue;
    const bool closing = tag[0] == '/';
    const std::string name =
        tag.substr(closing ? 1 : 0, tag.find_first_of(" \n", closing ? 1 : 0) - (closing ? 1 : 0));
    if (std::find(kVoid.begin(), kVoid.end(), name) != kVoid.end()) continue;
    if (!closing) {
      open.push_back(name);
    } else if (open.empty() || open.back() != name) {
      return "</" + name + "> closes <" + (open.empty() ? "nothing" : open.back()) + ">";
    } else {
      open.pop_back();
    }
  }
  return open.empty() ? "" : "<" + open.back() + "> never closes";
}

// The number in attribute name="..." of the tag that holds position at.
double attribute(const std::string& html, size_t at, const std::string& name) {
  const size_t start = html.rfind('<', at);
  const size_t key = html.find(" " + name + "=\"", start);
  if (start == std::string::npos || key == std::string::npos || key > html.find('>', at)) return -1;
  return std::stod(html.substr(key + name.size() + 3));
}

// The x of the time axis's label for second s (labels are centred).
double axis_x(const std::string& svg, int s) {
  const std::string tail = "text-anchor=\"middle\" fill=\"#333\">" + std::to_string(s) + "</text>";
  const size_t at = svg.find(tail);
  return at == std::string::npos ? -1 : attribute(svg, at, "x");
}

// Every tag holding marker, as the positions of the marker.
std::vector<size_t> all(const std::string& html, const std::string& marker) {
  std::vector<size_t> out;
  for (size_t at = html.find(marker); at != std::string::npos; at = html.find(marker, at + 1))
    out.push_back(at);
  return out;
}

class HtmlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kchaos-html-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "1-acks-all");
    std::ofstream(dir_ / "run.json")
        << Json{{"description", "two <faults>"},
                {"backend", "local"},
                {"kchaos_version", "0.test"},
                {"librdkafka", "2.0.2"},
                {"configurations", Json::array({Json{{"dir", "1-acks-all"}}})}}
               .dump();
    std::ofstream(dir_ / "1-acks-all" / "config.json")
        << Json{{"configuration", {{"cluster", {{"kafka_version", "3.9.2"}}}}}}.dump();
    // A producer acknowledging 100 messages a second for 50 s, and a
    // consumer keeping up.
    std::ofstream producer(dir_ / "1-acks-all" / "producer-1.log");
    std::ofstream consumer(dir_ / "1-acks-all" / "consumer-1.log");
    for (int s = 0; s < 50; ++s) {
      const double time = static_cast<double>(kT0) / 1e6 + s + 0.5;
      protocol::ProducerProgress p;
      p.sent = p.acked = static_cast<uint64_t>(100 * (s + 1));
      p.latency.p50_ms = 2;
      p.latency.p99_ms = 9;
      producer << protocol::event_line(protocol::event::kProgress, time, Json(p)) << "\n";
      protocol::ConsumerProgress c;
      c.consumed = static_cast<uint64_t>(100 * s);
      consumer << protocol::event_line(protocol::event::kProgress, time, Json(c)) << "\n";
    }
    report_.scenario = "acks <all>";
    report_.seed = 7;
    report_.run_id = "run-1";
    reports::ConfigurationResult r;
    r.name = "acks=all";
    r.parameters = Json{{"producer.acks", "all"}};
    r.passed = false;
    r.duration_seconds = 61;
    auto& v = r.verdict;
    for (const auto& n : reports::anomaly_names()) v.counts[n] = 0;
    v.counts["lost"] = 3;
    v.created = v.acked = 5000;
    v.ok = 4997;
    v.equation = "created 5000 = ok 4997 + lost 3";
    v.equation_holds = true;
    v.phases = {{"warm-up", kT0},
                {"faults", kT0 + 10 * kSecond},
                {"stop-producers", kT0 + 50 * kSecond},
                {"recovery", kT0 + 51 * kSecond}};
    v.faults = {{1, "broker-kill leader-of-most at 5 s for 10 s", "broker-kill broker 2", 2,
                 kT0 + 15 * kSecond, kT0 + 25 * kSecond, ""},
                {2, "broker-pause follower at 8 s for 10 s", "broker-pause broker 3", 3,
                 kT0 + 18 * kSecond, kT0 + 28 * kSecond, ""}};
    reports::Example e;
    e.anomaly = "lost";
    e.producer_id = 1;
    e.seq = 42;
    e.ack_time_us = kT0 + 20 * kSecond;
    e.detail = "acked at 0/17, below the log start";
    v.examples = {e};
    report_.configurations.push_back(r);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  reports::Report report_;
};

TEST_F(HtmlTest, TheTimelineReadsTheWorkersProgressOnTheConfigurationsClock) {
  const auto run = read_run(dir_, report_);
  ASSERT_EQ(run.configurations.size(), 1u);
  const auto& t = run.configurations[0].timeline;
  EXPECT_EQ(t.origin_us, kT0);
  EXPECT_GE(t.seconds, 50u);
  EXPECT_DOUBLE_EQ(t.acked[10], 100);
  EXPECT_DOUBLE_EQ(t.consumed[10], 100);
  EXPECT_DOUBLE_EQ(t.lag[10], 100) << "acknowledged minus consumed";
  EXPECT_DOUBLE_EQ(t.p99_ms[10], 9);
  EXPECT_EQ(run.configurations[0].kafka_version, "3.9.2");
  EXPECT_EQ(run.kchaos_version, "0.test");
}

TEST_F(HtmlTest, FaultBandsAndAnomalyMarksSitWhereTheTimeAxisPutsTheirTimes) {
  const std::string page = report_html(read_run(dir_, report_));
  const double x10 = axis_x(page, 10), x20 = axis_x(page, 20);
  ASSERT_GT(x10, 0) << "no time axis label for 10 s";
  ASSERT_GT(x20, x10);
  const double per_second = (x20 - x10) / 10;
  // Fault 1 from 15 s to 25 s; fault 2 overlaps it, so it has a lane below.
  std::vector<std::array<double, 3>> bands;
  for (size_t at : all(page, "class=\"fault-band\""))
    bands.push_back(
        {attribute(page, at, "x"), attribute(page, at, "y"), attribute(page, at, "width")});
  ASSERT_EQ(bands.size(), 2u);
  EXPECT_NEAR(bands[0][0], x10 + 5 * per_second, 0.2);
  EXPECT_NEAR(bands[0][2], 10 * per_second, 0.2);
  EXPECT_NEAR(bands[1][0], x10 + 8 * per_second, 0.2);
  EXPECT_GT(bands[1][1], bands[0][1]) << "overlapping faults share a lane";
  EXPECT_NE(page.find("broker-kill broker 2"), std::string::npos);
  // The lost example acknowledged at 20 s: a mark at 20 s.
  const auto marks = all(page, "class=\"anomaly-mark\" data-anomaly=\"lost\"");
  ASSERT_EQ(marks.size(), 1u) << "no mark for the lost example";
  const size_t d = page.find(" d=\"M", marks[0]);
  EXPECT_NEAR(std::stod(page.substr(d + 5)), x20, 0.2);
}

TEST_F(HtmlTest, ThePageCarriesTheVerdictEscapesTextAndBalancesItsTags) {
  const std::string page = report_html(read_run(dir_, report_));
  EXPECT_EQ(unbalanced(page), "");
  EXPECT_EQ(page.find("<all>"), std::string::npos) << "the scenario name is not escaped";
  EXPECT_NE(page.find("acks &lt;all&gt;"), std::string::npos);
  for (const char* text : {"FAIL", "Counts and limits", "created 5000 = ok 4997 + lost 3",
                           "acked at 0/17, below the log start", "messages per second",
                           "produce latency, ms", "consumer lag, messages"})
    EXPECT_NE(page.find(text), std::string::npos) << text;
  EXPECT_EQ(page.find("http://"), page.find("http://www.w3.org/2000/svg"))
      << "the page refers to something outside itself";
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

TEST_F(HtmlTest, ARunWithoutProgressLinesStillGetsAPageThatSaysSo) {
  fs::remove(dir_ / "1-acks-all" / "producer-1.log");
  fs::remove(dir_ / "1-acks-all" / "consumer-1.log");
  report_.configurations[0].verdict.phases.clear();
  const std::string page = report_html(read_run(dir_, report_));
  EXPECT_NE(page.find("no timeline"), std::string::npos);
  EXPECT_EQ(unbalanced(page), "");
}

TEST_F(HtmlTest, TheIndexOfADirectoryRunLinksEveryScenarioAndRepetition) {
  reports::Report other = report_;
  other.scenario = "claim-02";
  other.configurations[0].passed = true;
  const std::string page = index_html(
      "kchaos suite: nightly",
      {{"acks <all>", 1, "acks/run-1/report.html", "", &report_},
       {"claim-02", 2, "claim-02/run-2/report.html", "Claim 2: it holds. More detail here.",
        &other}});
  EXPECT_EQ(unbalanced(page), "");
  EXPECT_NE(page.find("href=\"acks/run-1/report.html\""), std::string::npos);
  EXPECT_NE(page.find("href=\"claim-02/run-2/report.html\""), std::string::npos);
  EXPECT_NE(page.find("claim-02 #2"), std::string::npos);
  EXPECT_NE(page.find("PASS"), std::string::npos);
  EXPECT_NE(page.find("FAIL"), std::string::npos);
  EXPECT_NE(page.find("2 scenario run(s), 2 configuration(s)"), std::string::npos);
  EXPECT_NE(page.find("<p class=\"statement\">Claim 2: it holds.</p>"), std::string::npos);
}

// Each block shows its configurations side by side, the counts that decide
// (a limit the scenario wrote, or non-zero), and every count folded away.
TEST_F(HtmlTest, TheSuiteBlockShowsDecidingCountsSideBySide) {
  reports::Report two = report_;
  auto safe = two.configurations[0];
  safe.name = "flush.messages=9223372036854775807";
  safe.parameters = Json{{"topic.flush.messages", "9223372036854775807"}};
  safe.verdict.counts["lost"] = 0;
  safe.verdict.counts["duplicated"] = 0;
  safe.expect["duplicated"] = reports::parse_limit("<=5");
  safe.limit_results = {{"lost", true}, {"duplicated", true}};
  safe.passed = true;
  two.configurations[0].limit_results = {{"lost", false}};
  two.configurations.push_back(safe);
  const std::string page =
      index_html("kchaos suite: s", {{"two", 1, "two/report.html", "Two sides.", &two}});
  EXPECT_EQ(unbalanced(page), "");
  EXPECT_NE(page.find("topic.flush.messages = default (never)"), std::string::npos);
  EXPECT_EQ(page.find("= 9223372036854775807"), std::string::npos);
  const auto details = page.find("<details><summary>every count</summary>");
  ASSERT_NE(details, std::string::npos);
  const std::string deciding = page.substr(0, details);
  EXPECT_NE(deciding.find("<tr><th>lost</th><td class=\"n nz out\">3"), std::string::npos)
      << "non-zero and outside its limit";
  EXPECT_NE(deciding.find("<tr><th>duplicated</th>"), std::string::npos) << "a written limit";
  EXPECT_NE(deciding.find("limit &lt;=5"), std::string::npos);
  EXPECT_EQ(deciding.find("<tr><th>reordered</th>"), std::string::npos)
      << "zero under a default limit: folded away";
  EXPECT_NE(page.substr(details).find("<tr><th>reordered</th>"), std::string::npos);
}

TEST_F(HtmlTest, CompareMatchesConfigurationsAndShowsBothSides) {
  std::vector<LoadedRun> a{{"", report_, read_run(dir_, report_)}};
  reports::Report after = report_;
  after.configurations[0].verdict.counts["lost"] = 0;
  after.configurations[0].passed = true;
  std::vector<LoadedRun> b{{"", after, read_run(dir_, after)}};
  const auto c = compare(a, b, "before", "after");
  ASSERT_EQ(c.rows.size(), 1u);
  EXPECT_NE(c.rows[0].a, nullptr);
  EXPECT_NE(c.rows[0].b, nullptr);
  EXPECT_NEAR(measure(*c.rows[0].a).ack_rate, 100, 1);
  const std::string text = compare_text(c);
  EXPECT_NE(text.find("before"), std::string::npos);
  EXPECT_NE(text.find("after"), std::string::npos);
  EXPECT_EQ(unbalanced(compare_html(c)), "");
}

}  // namespace
}  // namespace kchaos::html
