// The planner's money and durability views on hand-made run directories
// (data/priced-*, written to the cost.csv and summary.json format, and a
// hand-made durability estimate with the nulls cairn plan writes for
// infinite nines): loading cost.csv, the waterfall, the currency and the
// durability; old runs without them loading with no money shown and the
// durability "not estimated"; the cost chart, money rows, waterfall,
// durability chart and rows showing the files' numbers; the export carrying
// them. No processes; the real runs are planner_test's.
#include "gui/run_results.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>
#include <functional>

#include "gui/chart_specs.h"
#include "gui/figures.h"
#include "gui/report.h"
#include "gui/results_view.h"
#include "tests/gui/durability_checks.h"
#include "tests/gui/money_checks.h"

using namespace cairn;
using namespace cairn::gui;
using namespace cairn::gui::testing;

namespace {

const std::string kData = std::string(CAIRN_SOURCE_DIR) + "/tests/gui/data";
const std::string kEc = kData + "/priced-ec";
const std::string kReplica = kData + "/priced-replica";

// A copy of a fixture in `into`, to be damaged by the test.
std::string copy_run(const std::string& from, const QTemporaryDir& into) {
  for (const QString& name : QDir(QString::fromStdString(from)).entryList(QDir::Files))
    QFile::copy(QString::fromStdString(from) + "/" + name, into.filePath(name));
  return into.path().toStdString();
}

void rewrite_summary(const std::string& dir, const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json j = read_summary(dir);
  edit(j);
  std::ofstream(dir + "/summary.json") << j.dump();
}

// A durability estimate as cairn plan --nines writes it, for a 3-year run:
// no loss hazard met in year 1 (every nines null), an interval of P reaching
// 0 in year 2 (high95 null), all finite in year 3; a heavy-weights warning.
nlohmann::json durability_with_nulls() {
  auto estimate = [](nlohmann::json mean, nlohmann::json low, nlohmann::json high) {
    return nlohmann::json{{"mean", mean}, {"low95", low}, {"high95", high}};
  };
  return {{"method",
           "conditioning on no group loss: fatal failures suppressed, their hazard integrated"},
          {"probability_of_group_loss", estimate(0.0004, 0.0001, 0.0007)},
          {"nines", estimate(3.39794, 3.15490, 4.0)},
          {"expected_bytes_lost_per_year", estimate(2.5e8, -1.0e7, 5.1e8)},
          {"runs_with_hazard", 1},
          {"effective_sample_size", 0.3},
          {"warnings",
           {"effective sample size 0.3 of 4 runs: the likelihood-ratio weights are heavy-tailed"}},
          {"suppressed_failures_per_run", 0.25},
          {"by_year",
           {{{"year", 1},
             {"probability_of_group_loss", estimate(0.0, 0.0, 0.0)},
             {"nines", estimate(nullptr, nullptr, nullptr)}},
            {{"year", 2},
             {"probability_of_group_loss", estimate(0.0001, 0.0, 0.00025)},
             {"nines", estimate(4.0, 3.60206, nullptr)}},
            {{"year", 3},
             {"probability_of_group_loss", estimate(0.0004, 0.0001, 0.0007)},
             {"nines", estimate(3.39794, 3.15490, 4.0)}}}}};
}

// The same shape, every value finite and a run less durable: the other
// variant of a comparison.
nlohmann::json durability_finite() {
  nlohmann::json d = durability_with_nulls();
  d["warnings"] = nlohmann::json::array();
  d["effective_sample_size"] = 4.0;
  d["runs_with_hazard"] = 3;
  d["probability_of_group_loss"] = {{"mean", 0.002}, {"low95", 0.001}, {"high95", 0.003}};
  d["nines"] = {{"mean", 2.69897}, {"low95", 2.52288}, {"high95", 3.0}};
  d["by_year"][0]["nines"] = {{"mean", 3.5}, {"low95", 3.2}, {"high95", 4.1}};
  d["by_year"][1]["nines"] = {{"mean", 3.0}, {"low95", 2.8}, {"high95", 3.4}};
  d["by_year"][2]["nines"] = d["nines"];
  return d;
}

// A copy of `from` whose summary.json carries `durability`.
std::string with_durability(const std::string& from, const QTemporaryDir& into,
                            const nlohmann::json& durability) {
  const std::string dir = copy_run(from, into);
  rewrite_summary(dir, [&](nlohmann::json& j) { j["durability"] = durability; });
  return dir;
}

int row_named(const QTableWidget* table, const QString& prefix) {
  for (int r = 0; r < table->rowCount(); ++r)
    if (table->verticalHeaderItem(r)->text().startsWith(prefix)) return r;
  return -1;
}

}  // namespace

class RunResultsTest : public QObject {
  Q_OBJECT

 private slots:
  void loads_cost_waterfall_and_currency() {
    auto run = load_run(kEc, "ec:2+1");
    QVERIFY2(run.is_ok(), run.is_ok() ? "" : run.status().message().c_str());
    const auto rows = read_cost_csv(kEc);
    QCOMPARE(rows.size(), size_t(3));
    QCOMPARE(run->cost.size(), rows.size());
    for (size_t y = 0; y < rows.size(); ++y) {
      const sim::CostYear& c = run->cost[y];
      // clang-format off
      const double loaded[] = {
          double(c.year), c.nodes, c.disks, c.network, c.racks, c.power, c.space, c.support,
          c.capex(), c.opex(), c.total(), c.cumulative, c.usable_tb, c.stored_tb,
          c.total() / c.usable_tb, c.total() / c.stored_tb};
      // clang-format on
      for (size_t k = 0; k < std::size(loaded); ++k) {
        // Columns 8-10 and 14-15 are derived from the others; the file holds
        // them rounded, as it holds every figure.
        const bool derived = (k >= 8 && k <= 10) || k >= 14;
        const double tolerance = (derived ? 1e-6 : 1e-9) * std::max(1.0, std::abs(rows[y][k]));
        QVERIFY2(std::abs(loaded[k] - rows[y][k]) <= tolerance,
                 qPrintable(QString("year %1 %2").arg(y + 1).arg(kCostColumns[k])));
      }
    }
    QCOMPARE(run->currency, std::string("USD"));
    QVERIFY(run->waterfall.has_value());
    const nlohmann::json w = read_summary(kEc)["waterfall"];
    QCOMPARE(run->waterfall->raw_tb, w["raw_tb"].get<double>());
    QCOMPARE(run->waterfall->redundancy_tb, w["redundancy_tb"].get<double>());
    QCOMPARE(run->waterfall->spares_tb, w["spares_tb"].get<double>());
    QCOMPARE(run->waterfall->fill_ceiling_tb, w["fill_ceiling_tb"].get<double>());
    QCOMPARE(run->waterfall->reprotect_tb, w["reprotect_tb"].get<double>());
    QVERIFY(near(run->waterfall->safely_usable_tb(), w["safely_usable_tb"].get<double>()));
    // The new event kinds come through to the replay's list as they are.
    int refresh = 0;
    for (const sim::Event& e : run->events) refresh += e.kind.rfind("refresh_", 0) == 0;
    QCOMPARE(refresh, 3);
  }

  // Runs made before the simulator priced them: no cost.csv, no money in
  // summary.json. They load, and nothing about money is shown.
  void an_old_run_loads_and_shows_no_money() {
    QTemporaryDir tmp;
    const std::string dir = copy_run(kEc, tmp);
    QVERIFY(QFile::remove(QString::fromStdString(dir + "/cost.csv")));
    rewrite_summary(dir, [](nlohmann::json& j) {
      for (const char* key : {"currency", "cost", "waterfall", "refresh"}) j.erase(key);
    });
    auto old = load_run(dir, "old");
    QVERIFY2(old.is_ok(), old.is_ok() ? "" : old.status().message().c_str());
    QVERIFY(old->cost.empty());
    QVERIFY(!old->waterfall);
    for (const NamedChart& c : all_charts({&*old})) QVERIFY(std::string(c.stem) != "cost");
    for (const std::string& row : key_figures({&*old}).rows)
      QVERIFY2(row.find("cost") == std::string::npos, row.c_str());
    QVERIFY(capacity_waterfall({&*old}).rows.empty());

    // The view hides the cost chart and the waterfall, and shows them again
    // for a priced run.
    auto priced = load_run(kEc, "ec:2+1");
    QVERIFY(priced.is_ok());
    ResultsView view;
    view.set_runs({*old});
    QCOMPARE(view.chart_count(), 8);  // the durability chart says "not estimated"
    QVERIFY(!view.chart("cost") || view.chart("cost")->isHidden());
    QVERIFY(view.waterfall_table()->isHidden());
    view.set_runs({*priced});
    QCOMPARE(view.chart_count(), 9);
    QVERIFY(!view.chart("cost")->isHidden());
    QVERIFY(!view.waterfall_table()->isHidden());
    view.set_runs({*old});
    QVERIFY(view.chart("cost")->isHidden());
  }

  // Columns are read by position: a renamed or reordered header is refused.
  void refuses_a_cost_csv_with_other_columns() {
    QTemporaryDir tmp;
    const std::string dir = copy_run(kEc, tmp);
    QFile f(QString::fromStdString(dir + "/cost.csv"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray text = f.readAll();
    f.close();
    text.replace("power,space", "space,power");
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
    f.close();
    auto run = load_run(dir, "swapped");
    QVERIFY(!run.is_ok());
    QVERIFY2(run.status().message().find("cost.csv") != std::string::npos,
             run.status().message().c_str());
  }

  void a_waterfall_without_a_figure_is_refused() {
    QTemporaryDir tmp;
    const std::string dir = copy_run(kEc, tmp);
    rewrite_summary(dir, [](nlohmann::json& j) { j["waterfall"].erase("spares_tb"); });
    auto run = load_run(dir, "partial");
    QVERIFY(!run.is_ok());
    QVERIFY2(run.status().message().find("spares_tb") != std::string::npos,
             run.status().message().c_str());
  }

  void one_run_shows_cost_by_item_money_rows_and_waterfall() {
    auto run = load_run(kEc, "ec:2+1");
    QVERIFY(run.is_ok());
    ResultsView view;
    view.set_runs({*run});
    QVERIFY(view.chart("cost"));
    QString error = check_cost_chart(view.chart("cost"), kEc);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = check_money_rows(view.table(), {kEc});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = check_waterfall(view.waterfall_table(), {kEc});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // The fixture retired nodes for age, so the refresh figures are shown.
    bool refresh = false;
    for (int r = 0; r < view.table()->rowCount(); ++r)
      if (view.table()->verticalHeaderItem(r)->text() == "nodes retired at hardware refresh")
        refresh = view.table()->item(r, 0)->text() == "4.0";
    QVERIFY(refresh);
    // The horizon is the run's, in the total's name.
    bool named = false;
    for (int r = 0; r < view.table()->rowCount(); ++r)
      named |= view.table()->verticalHeaderItem(r)->text() == "total cost over 3 years (USD)";
    QVERIFY(named);
  }

  void comparison_shows_each_variants_money() {
    auto ec = load_run(kEc, "ec:2+1");
    auto replica = load_run(kReplica, "replica:2");
    QVERIFY(ec.is_ok() && replica.is_ok());
    ResultsView view;
    view.set_runs({*ec, *replica});
    QString error = check_money_rows(view.table(), {kEc, kReplica});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = check_cumulative_chart(view.chart("cost"), {kEc, kReplica});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = check_waterfall(view.waterfall_table(), {kEc, kReplica});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Replicates give an interval, shown beside the mean.
    int total = -1;
    for (int r = 0; r < view.table()->rowCount(); ++r)
      if (view.table()->verticalHeaderItem(r)->text().startsWith("total cost")) total = r;
    QVERIFY(total >= 0);
    QCOMPARE(view.table()->item(total, 1)->text(), QString("212,604 (95 % CI 201,974 – 223,234)"));
  }

  void money_is_grouped_by_thousands() {
    QCOMPARE(format_money({{"mean", 1234567.4}, {"low95", 1234567.4}, {"high95", 1234567.4}}, 0),
             std::string("1,234,567"));
    QCOMPARE(format_money({{"mean", 999.5}, {"low95", 990.0}, {"high95", 1000.0}}, 2),
             std::string("999.50 (95 % CI 990.00 – 1,000.00)"));
    QCOMPARE(format_money({{"mean", -12345.0}, {"low95", -12345.0}, {"high95", -12345.0}}, 0),
             std::string("-12,345"));
    QCOMPARE(money_unit(2.5e6, "EUR").label, QString("million EUR"));
    QCOMPARE(money_unit(9999, "EUR").divisor, 1.0);
  }

  void export_carries_the_cost_chart_and_file() {
    auto ec = load_run(kEc, "ec:2+1");
    auto replica = load_run(kReplica, "replica:2");
    QVERIFY(ec.is_ok() && replica.is_ok());
    QTemporaryDir dir;
    ReportInput input{"fixture", "tests/gui/data", "name: fixture\n", {*ec}, {*ec, *replica}};
    auto written = export_report(dir.path(), input);
    QVERIFY2(written.is_ok(), written.is_ok() ? "" : written.status().message().c_str());
    for (const char* png :
         {"cost.png", "compare-cost.png", "durability.png", "compare-durability.png"}) {
      QImage image(dir.filePath(png));
      QCOMPARE(image.size(), QSize(1600, 900));
      QVERIFY(written->contains(dir.filePath(png)));
    }
    QFile copied(dir.filePath("ec_2_1/cost.csv"));
    QVERIFY(copied.open(QIODevice::ReadOnly));
    QFile original(QString::fromStdString(kEc + "/cost.csv"));
    QVERIFY(original.open(QIODevice::ReadOnly));
    QCOMPARE(copied.readAll(), original.readAll());
  }

  void loads_durability_with_its_nulls() {
    QTemporaryDir tmp;
    const std::string dir = with_durability(kEc, tmp, durability_with_nulls());
    auto run = load_run(dir, "ec:2+1");
    QVERIFY2(run.is_ok(), run.is_ok() ? "" : run.status().message().c_str());
    QVERIFY(run->durability.has_value());
    const Durability& d = *run->durability;
    QCOMPARE(d.by_year.size(), size_t(3));
    QVERIFY(!d.by_year[0].nines.mean && !d.by_year[0].nines.low95 && !d.by_year[0].nines.high95);
    QCOMPARE(*d.by_year[1].nines.mean, 4.0);
    QCOMPARE(*d.by_year[1].nines.low95, 3.60206);
    QVERIFY(!d.by_year[1].nines.high95);
    QCOMPARE(d.by_year[1].probability_of_group_loss.high, 0.00025);
    QCOMPARE(*d.nines.high95, 4.0);
    QCOMPARE(d.expected_bytes_lost_per_year.low, -1.0e7);
    QCOMPARE(d.runs_with_hazard, 1u);
    QCOMPARE(d.effective_sample_size, 0.3);
    QCOMPARE(d.suppressed_failures_per_run, 0.25);
    QCOMPARE(d.warnings.size(), size_t(1));
    // A run made without --nines writes null, an older one nothing.
    rewrite_summary(dir, [](nlohmann::json& j) { j["durability"] = nullptr; });
    auto without = load_run(dir, "ec:2+1");
    QVERIFY(without.is_ok());
    QVERIFY(!without->durability);
  }

  void refuses_a_durability_it_cannot_read() {
    QTemporaryDir tmp;
    nlohmann::json gap = durability_with_nulls();
    gap["by_year"].erase(1);  // years 1 and 3: the curve would be misplaced
    auto run = load_run(with_durability(kEc, tmp, gap), "gap");
    QVERIFY(!run.is_ok());
    QVERIFY2(run.status().message().find("durability") != std::string::npos,
             run.status().message().c_str());
    QTemporaryDir tmp2;
    nlohmann::json partial = durability_with_nulls();
    partial.erase("effective_sample_size");
    run = load_run(with_durability(kEc, tmp2, partial), "partial");
    QVERIFY(!run.is_ok());
    QVERIFY2(run.status().message().find("effective_sample_size") != std::string::npos,
             run.status().message().c_str());
  }

  // Year 1's infinite nines sit on the dashed top line, one nine above the
  // largest finite value (year 2's 4.0), and the caption says what it means.
  void one_run_shows_the_nines_by_year_with_its_band() {
    QTemporaryDir tmp;
    const std::string dir = with_durability(kEc, tmp, durability_with_nulls());
    auto run = load_run(dir, "ec:2+1");
    QVERIFY(run.is_ok());
    ResultsView view;
    view.set_runs({*run});
    QWidget* chart = view.chart("durability");
    QVERIFY(chart && !chart->isHidden());
    QString error = check_durability_chart(chart, {dir});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const ChartSpec* spec = shown_chart(chart);
    QCOMPARE(spec->series.back().points.front().y(), 5.0);  // the dashed "unbounded" line
    QCOMPARE(spec->series[0].points[0].y(), 5.0);           // year 1's band's top
    QVERIFY2(spec->caption.contains("unbounded"), qPrintable(spec->caption));
    error = check_durability_rows(view.table(), {dir});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(
        view.table()->item(row_named(view.table(), "durability (nines) over 3 years"), 0)->text(),
        QString("3.40 (95 % CI 3.15 – 4.00)"));
    QCOMPARE(view.table()->item(row_named(view.table(), "P(group loss) over 3 years"), 0)->text(),
             QString("0.0004 (95 % CI 0.0001 – 0.0007)"));
    QCOMPARE(view.table()->item(row_named(view.table(), "expected bytes lost per year"), 0)->text(),
             QString("0.25 (95 % CI -0.01 – 0.51)"));
    // The method and the warning, under the tables.
    QVERIFY(!view.durability_notes_label()->isHidden());
    QVERIFY2(view.durability_notes_label()->text().contains("conditioning on no group loss"),
             qPrintable(view.durability_notes_label()->text()));
    QVERIFY(view.durability_notes_label()->text().contains("heavy-tailed"));
  }

  void nines_are_written_unbounded_or_at_least() {
    QCOMPARE(format_nines({std::nullopt, std::nullopt, std::nullopt}),
             std::string("unbounded (no loss hazard met)"));
    QCOMPARE(format_nines({4.0, 3.60206, std::nullopt}), std::string("4.00 (95 % CI ≥ 3.60)"));
    QCOMPARE(format_nines({2.15, 2.1, 2.22}), std::string("2.15 (95 % CI 2.10 – 2.22)"));
    QCOMPARE(format_nines({2.15, 2.15, 2.15}), std::string("2.15"));
    QCOMPARE(format_significant({1.2e-7, 1.2e-7, 1.2e-7}, 1), std::string("1.2e-07"));
  }

  // Without --nines: a chart that says so instead of an empty plot, no
  // durability rows, no method; in a comparison, "not estimated" in the
  // column of the variant that lacks it.
  void a_run_without_nines_says_not_estimated() {
    auto plain = load_run(kEc, "ec:2+1");
    QVERIFY(plain.is_ok());
    ResultsView view;
    view.set_runs({*plain});
    const ChartSpec* spec = shown_chart(view.chart("durability"));
    QVERIFY(spec && !view.chart("durability")->isHidden());
    QVERIFY(spec->series.empty());
    QVERIFY2(spec->title.contains("not estimated"), qPrintable(spec->title));
    QVERIFY2(spec->caption.contains("run with durability estimation"), qPrintable(spec->caption));
    QCOMPARE(row_named(view.table(), "durability"), -1);
    QVERIFY(view.durability_notes_label()->isHidden());

    QTemporaryDir tmp;
    const std::string dir = with_durability(kEc, tmp, durability_with_nulls());
    auto nines = load_run(dir, "ec:2+1");
    auto replica = load_run(kReplica, "replica:2");
    QVERIFY(nines.is_ok() && replica.is_ok());
    view.set_runs({*nines, *replica});
    QString error = check_durability_rows(view.table(), {dir, kReplica});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    spec = shown_chart(view.chart("durability"));
    QCOMPARE(spec->series.size(), size_t(2));  // ec:2+1's line and the unbounded line
    QVERIFY2(spec->caption.contains("Not estimated for replica:2"), qPrintable(spec->caption));
  }

  // Each variant's nines in its own column and its own line: the two
  // estimates differ in every figure, so a swap would not match.
  void comparison_shows_each_variants_nines() {
    QTemporaryDir tmp_ec, tmp_replica;
    const std::string ec_dir = with_durability(kEc, tmp_ec, durability_with_nulls());
    const std::string replica_dir = with_durability(kReplica, tmp_replica, durability_finite());
    auto ec = load_run(ec_dir, "ec:2+1");
    auto replica = load_run(replica_dir, "replica:2");
    QVERIFY(ec.is_ok() && replica.is_ok());
    ResultsView view;
    view.set_runs({*ec, *replica});
    QString error = check_durability_rows(view.table(), {ec_dir, replica_dir});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = check_durability_chart(view.chart("durability"), {ec_dir, replica_dir});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(view.durability_notes_label()->text().contains("Warning (ec:2+1)"));
  }
};

QTEST_MAIN(RunResultsTest)
#include "run_results_test.moc"
