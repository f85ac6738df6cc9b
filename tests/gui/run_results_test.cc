// The planner's money views on hand-made run directories (data/priced-*,
// written to the cost.csv and summary.json format): loading cost.csv, the
// waterfall and the currency; old runs without them loading with no money
// shown; the cost chart, money rows and waterfall showing the files' numbers;
// the export carrying them. No processes; the real runs are planner_test's.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <functional>

#include "gui/chart_specs.h"
#include "gui/figures.h"
#include "gui/report.h"
#include "gui/results_view.h"
#include "gui/run_results.h"
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
    QCOMPARE(view.chart_count(), 7);
    QVERIFY(!view.chart("cost") || view.chart("cost")->isHidden());
    QVERIFY(view.waterfall_table()->isHidden());
    view.set_runs({*priced});
    QCOMPARE(view.chart_count(), 8);
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
    for (const char* png : {"cost.png", "compare-cost.png"}) {
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
};

QTEST_MAIN(RunResultsTest)
#include "run_results_test.moc"
