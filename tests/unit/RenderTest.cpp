#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kchaos/journal/Journal.h"
#include "kchaos/reports/JournalDump.h"
#include "kchaos/reports/Render.h"

namespace kchaos::reports {
namespace {

namespace fs = std::filesystem;
using json = Json;

ConfigurationResult configuration(const std::string& name, std::map<std::string, uint64_t> counts,
                                  std::map<std::string, json> expect) {
  ConfigurationResult r;
  r.name = name;
  r.parameters = {{"acks", "all"}, {"idempotence", true}, {"brokers", 3}};
  for (const auto& n : anomaly_names()) r.verdict.counts[n] = 0;
  for (const auto& [k, n] : counts) r.verdict.counts[k] = n;
  for (const auto& [k, j] : expect) r.expect[k] = parse_limit(j);
  r.verdict.created = 100;
  r.verdict.ok = 100 - r.verdict.counts["lost"];
  r.verdict.acked = 100;
  r.verdict.equation = "created 100 = ok " + std::to_string(r.verdict.ok) + " + lost " +
                       std::to_string(r.verdict.counts["lost"]);
  r.verdict.equation_holds = true;
  r.verdict.partitions = 3;
  r.duration_seconds = 12.5;
  evaluate(r);
  return r;
}

Report sample_report() {
  Report report;
  report.scenario = "leader-kill";
  report.seed = 18446744073709551615ull;
  report.run_id = "run-1";
  report.configurations.push_back(
      configuration("acks=all", {{"duplicated", 3}}, {{"lost", 0}, {"duplicated", "any"}}));
  ConfigurationResult failed =
      configuration("acks=1", {{"lost", 2}, {"reordered", 1}}, {{"lost", 0}, {"reordered", "<1"}});
  Example e;
  e.anomaly = "lost";
  e.producer_id = 1;
  e.seq = 42;
  e.ack_partition = 0;
  e.ack_offset = 17;
  e.ack_time_us = 1'700'000'000'123'456;
  e.faults = {"kill broker 1", "partition {0} | {1,2}"};
  e.detail = "acked at 0/17; absent from the final log";
  failed.verdict.examples.push_back(e);
  e.anomaly = "reordered";
  e.log_positions = {{0, 3}, {1, 9}};
  failed.verdict.examples.push_back(e);
  failed.verdict.health.torn_tails = 1;
  failed.verdict.health.notes = {"producer-1.journal: torn tail"};
  report.configurations.push_back(failed);
  ConfigurationResult error = configuration("a<b & \"c\" 'd'\x01", {}, {{"lost", 0}});
  error.error = "broker <2> did not start & \"timed out\"\nsecond line";
  evaluate(error);
  report.configurations.push_back(error);
  return report;
}

TEST(Render, JsonRoundTrips) {
  const Report report = sample_report();
  const json j = to_json(report);
  const Report back = report_from_json(json::parse(j.dump()));
  EXPECT_EQ(to_json(back), j);
  EXPECT_EQ(back.seed, report.seed);
  ASSERT_EQ(back.configurations.size(), 3u);
  const auto& c = back.configurations[1];
  EXPECT_EQ(c.expect.at("reordered").op, Limit::Op::lt);
  EXPECT_EQ(c.verdict.examples[1].log_positions,
            report.configurations[1].verdict.examples[1].log_positions);
  EXPECT_EQ(c.verdict.health.torn_tails, 1u);
  EXPECT_FALSE(c.passed);
  EXPECT_EQ(j["configurations"][0]["expect"]["lost"], json(0));
  EXPECT_EQ(j["configurations"][0]["expect"]["duplicated"], json("any"));
}

TEST(Render, JunitHasOneTestcasePerConfigurationAndEscapes) {
  const std::string xml = to_junit(sample_report());
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  EXPECT_NE(
      xml.find("<testsuite name=\"kchaos.leader-kill\" tests=\"3\" failures=\"1\" errors=\"1\""),
      std::string::npos)
      << xml;
  EXPECT_NE(xml.find("name=\"acks=all\" time=\"12.500\"/>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure type=\"expectation\" message=\"lost 2, limit 0; reordered 1, "
                     "limit &lt;1\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("lost: producer 1 seq 42: acked at 0/17; absent from the final log"),
            std::string::npos);
  EXPECT_NE(xml.find("name=\"a&lt;b &amp; &quot;c&quot; &apos;d&apos;?\""), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<error type=\"harness\" message=\"broker &lt;2&gt; did not start &amp; "
                     "&quot;timed out&quot;&#10;second line\">"),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find("<2>"), std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  // Balanced: one testsuite, three testcases.
  size_t cases = 0;
  for (size_t p = xml.find("<testcase "); p != std::string::npos; p = xml.find("<testcase ", p + 1))
    ++cases;
  EXPECT_EQ(cases, 3u);
  EXPECT_NE(xml.find("</testsuite>"), std::string::npos);
}

TEST(Render, MarkdownShowsCountsLimitsTheEquationAndExamples) {
  const std::string md = to_markdown(sample_report());
  EXPECT_NE(md.find("# kchaos report: leader-kill"), std::string::npos);
  EXPECT_NE(md.find("3 configuration(s), 1 passed, 1 failed, 1 harness error(s)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("## acks=1: FAIL"), std::string::npos);
  EXPECT_NE(md.find("## acks=all: PASS"), std::string::npos);
  EXPECT_NE(md.find("## a<b & \"c\" 'd' : ERROR"), std::string::npos);
  EXPECT_NE(md.find("**Harness error:** broker <2> did not start & \"timed out\" second line"),
            std::string::npos);
  EXPECT_NE(md.find("`acks` = `all`"), std::string::npos) << md;
  EXPECT_NE(md.find("| lost | 2 | 0 | **FAILED** |"), std::string::npos) << md;
  EXPECT_NE(md.find("| duplicated | 3 | any | holds |"), std::string::npos) << md;
  EXPECT_NE(md.find("Equation: `created 100 = ok 98 + lost 2` (holds)"), std::string::npos) << md;
  EXPECT_NE(
      md.find("- **lost** producer 1 seq 42 (producer outcome 2023-11-14T22:13:20.123Z): acked at "
              "0/17; absent from the final log."),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("Faults within 5 s: kill broker 1; partition {0} \\| {1,2}."),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("In the log at 0/3, 1/9."), std::string::npos) << md;
  EXPECT_NE(md.find("producer-1.journal: torn tail"), std::string::npos);
}

TEST(Render, SummaryTableShowsEveryCountThatIsNonZeroOrLimitedAndWhyEachFailed) {
  const std::string table = summary_table(sample_report());
  std::istringstream lines(table);
  std::string header, row1, row2, row3, footnote, why2, why3;
  for (auto* line : {&header, &row1, &row2, &row3, &footnote, &why2, &why3}) {
    std::getline(lines, *line);
  }
  // lost always; duplicated is non-zero in acks=all; reordered has a limit.
  size_t at = 0;
  for (const char* column : {"configuration", "lost", "duplicated", "reordered", "verdict"}) {
    size_t p = header.find(column, at);
    ASSERT_NE(p, std::string::npos) << column << " in " << header;
    at = p + 1;
  }
  EXPECT_EQ(header.find("divergent"), std::string::npos) << header;
  EXPECT_EQ(row1.substr(row1.size() - 4), "PASS");
  EXPECT_EQ(row2.substr(row2.size() - 4), "FAIL");
  EXPECT_NE(row2.find(" 2*"), std::string::npos) << row2;
  EXPECT_EQ(row3.substr(row3.size() - 5), "ERROR");
  EXPECT_EQ(footnote, "* outside its limit");
  EXPECT_EQ(header.find("verdict"), row1.find("PASS"));
  EXPECT_EQ(row1.find("0 "), row2.find("2*")) << "\n" << row1 << "\n" << row2;
  EXPECT_EQ(why2, "FAIL acks=1: lost 2, limit 0; reordered 1, limit <1");
  EXPECT_EQ(why3.rfind("ERROR a<b", 0), 0u) << why3;
  EXPECT_NE(why3.find("harness error: broker <2> did not start"), std::string::npos) << why3;
}

TEST(Render, AFailureOnACountOutsideTheUsualColumnsIsOnScreen) {
  Report report;
  report.scenario = "s";
  report.configurations.push_back(configuration("safe", {{"unverifiable", 3000}}, {{"lost", 0}}));
  const std::string table = summary_table(report);
  EXPECT_NE(table.find("unverifiable"), std::string::npos) << table;
  EXPECT_NE(table.find("3000*"), std::string::npos) << table;
  EXPECT_NE(table.find("FAIL safe: unverifiable 3000, limit 0 (default)"), std::string::npos)
      << table;
  const std::string md = to_markdown(report);
  EXPECT_NE(md.find("- unverifiable 3000, limit 0 (default)"), std::string::npos) << md;
  EXPECT_NE(md.find("| unverifiable | 3000 | 0 (default) | **FAILED** |"), std::string::npos) << md;
}

TEST(Render, DumpJournalPrintsRecordsThenASummary) {
  std::string pattern = (fs::temp_directory_path() / "kchaos-dump-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const fs::path dir = pattern;
  {
    journal::Writer<journal::ProducerRecord> w(dir / "producer-3.journal", 9, 3);
    journal::ProducerRecord r{};
    r.producer_id = 3;
    r.outcome = static_cast<uint8_t>(journal::ProducerOutcome::created);
    r.count = 10;
    w.append(r);
    r.outcome = static_cast<uint8_t>(journal::ProducerOutcome::acked);
    r.offset = 5;
    w.append(r);
  }
  fs::resize_file(dir / "producer-3.journal", fs::file_size(dir / "producer-3.journal") + 7);
  {
    journal::Writer<journal::EventRecord> w(dir / "events.journal", 9, 0);
    journal::EventRecord e{};
    e.type = static_cast<uint8_t>(journal::EventType::fault_injected);
    std::snprintf(e.text, sizeof e.text, "kill \xff broker");  // not UTF-8
    w.append(e);
  }

  std::ostringstream out;
  dump_journal(dir / "producer-3.journal", out);
  std::istringstream in(out.str());
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["outcome"], "created");
  EXPECT_EQ(lines[0]["count"], 10);
  EXPECT_EQ(lines[1]["outcome"], "acked");
  EXPECT_EQ(lines[1]["offset"], 5);
  const json& s = lines[2]["summary"];
  EXPECT_EQ(s["kind"], "producer");
  EXPECT_EQ(s["records"], 2);
  EXPECT_EQ(s["torn_tail"], true);
  EXPECT_EQ(s["bad_records"], 0);
  EXPECT_EQ(s["run_id"], 9);
  EXPECT_EQ(s["writer_id"], 3);

  std::ostringstream events;
  dump_journal(dir / "events.journal", events);
  const json first = json::parse(events.str().substr(0, events.str().find('\n')));
  EXPECT_EQ(first["type"], "fault_injected");
  EXPECT_EQ(first["text"], "kill \xEF\xBF\xBD broker");

  std::ofstream(dir / "not-a-journal").put('x');
  std::ostringstream ignored;
  EXPECT_THROW(dump_journal(dir / "not-a-journal", ignored), journal::JournalError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kchaos::reports
