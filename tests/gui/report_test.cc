// The purchase plan, the choice and the report on hand-made files
// (data/planned-ec: a run whose summary.json holds a purchase plan;
// data/choice: a choose.json with a recommendation, margins and a
// sensitivity, and its sweep file): the plan's tables show summary.json's
// numbers, an older run says it has none; the variants table marks the
// recommendation and the tornado's bars are the sensitivity's costs; the
// report's first page, read back with pdftotext, names the recommendation
// and the purchase-plan years, says the chance of loss in words and the
// command that reproduces the run from the export folder, whose files are
// there; no word in the PDF is smaller than 8 pt. No simulation; the real
// runs are planner_test's.
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>

#include "gui/choose.h"
#include "gui/choose_runner.h"
#include "gui/choose_view.h"
#include "gui/purchase_plan.h"
#include "gui/report.h"
#include "gui/report_text.h"
#include "gui/results_view.h"
#include "sim/scenario_yaml.h"
#include "tests/gui/money_checks.h"
#include "tests/gui/report_checks.h"

using namespace cairn;
using namespace cairn::gui;
using namespace cairn::gui::testing;

namespace {

const std::string kSource = CAIRN_SOURCE_DIR;
const std::string kData = kSource + "/tests/gui/data";
const std::string kPlanned = kData + "/planned-ec";
const std::string kChoice = kData + "/choice";

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in, nullptr, false);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The fixture choice with its sweep file found from anywhere (choose.json
// names it relative to the source tree, as cairn plan was run there).
ChooseResult load_fixture_choice() {
  Result<ChooseResult> c = load_choose(kChoice);
  if (!c) qFatal("%s", c.status().message().c_str());
  c->choose_file = kChoice + "/choose.yaml";
  return *c;
}

QString cell(const QTableWidget* t, int row, int column) { return t->item(row, column)->text(); }

}  // namespace

class ReportTest : public QObject {
  Q_OBJECT

 private slots:
  void purchase_plan_tables_show_the_summarys_plan() {
    auto run = load_run(kPlanned, "ec:2+1");
    QVERIFY2(run.is_ok(), run.is_ok() ? "" : run.status().message().c_str());
    ResultsView view;
    view.set_runs({*run});
    QVERIFY(!view.by_year_table()->isHidden());
    QVERIFY(view.purchase_note_label()->isHidden());
    QString error = check_by_year_table(view.by_year_table(), kPlanned);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Each purchase: the spread of its year over runs, its order month, its price.
    const QTableWidget* p = view.purchase_table();
    const nlohmann::json purchases = read_summary(kPlanned)["purchase_plan"]["purchases"];
    QCOMPARE(p->rowCount(), static_cast<int>(purchases.size()));
    QCOMPARE(p->verticalHeaderItem(0)->text(), QString("initial cluster"));
    QCOMPARE(p->verticalHeaderItem(2)->text(), QString("purchase 2"));
    QCOMPARE(cell(p, 2, 0), QString("year 3 in 75 % of runs, year 2 in 25 %"));
    QCOMPARE(cell(p, 1, 0), QString("year 2 in every run"));
    QCOMPARE(cell(p, 2, 1), QString("year 3, month 1 (lead 30 d)"));
    QCOMPARE(cell(p, 0, 1), QString("1 month before the start (lead 30 d)"));
    QCOMPARE(cell(p, 1, 1), QString("year 2, month 3 (lead 30 d)"));
    QCOMPARE(money_cell(cell(p, 2, 6)), purchases[2]["price"].get<double>());
    QCOMPARE(cell(p, 3, 7), QString("75 % of runs"));
    QCOMPARE(p->verticalHeaderItem(4)->text(), QString("refresh 1"));
  }

  void an_older_run_says_it_has_no_plan() {
    auto old = load_run(kData + "/priced-ec", "ec:2+1");  // written before purchase_plan
    auto planned = load_run(kPlanned, "planned");
    QVERIFY(old.is_ok() && planned.is_ok());
    ResultsView view;
    view.set_runs({*old});
    QVERIFY(!view.purchase_note_label()->isHidden());
    QVERIFY2(view.purchase_note_label()->text().contains("not in this run's summary"),
             qPrintable(view.purchase_note_label()->text()));
    QVERIFY(view.purchase_table()->isHidden());
    // A comparison names the variant without one and shows the other's years.
    view.set_runs({*planned, *old});
    QVERIFY(view.purchase_note_label()->text().contains("ec:2+1"));
    QCOMPARE(view.purchase_table()->columnCount(), 2);
    QCOMPARE(view.purchase_table()->rowCount(), 3);
    QVERIFY(cell(view.purchase_table(), 1, 0).startsWith("3.8 nodes, 8 TB raw, USD 32,100"));
    QCOMPARE(cell(view.purchase_table(), 1, 1), QString("—"));
  }

  void a_plan_with_a_gap_is_refused() {
    nlohmann::json summary = read_summary(kPlanned);
    summary["purchase_plan"]["by_year"].erase(1);
    auto plan = purchase_plan_from(summary);
    QVERIFY(!plan.is_ok());
    QVERIFY2(plan.status().message().find("by_year") != std::string::npos, plan.status().message().c_str());
    summary = read_summary(kPlanned);
    summary["purchase_plan"]["purchases"][0].erase("order_month");
    plan = purchase_plan_from(summary);
    QVERIFY(!plan.is_ok());
    QVERIFY2(plan.status().message().find("order_month") != std::string::npos, plan.status().message().c_str());
  }

  void choose_view_marks_the_recommendation_and_margins() {
    ChooseView view;
    QVERIFY(!view.plan_button()->isEnabled());
    view.show_result(load_fixture_choice());
    QVERIFY(view.plan_button()->isEnabled());
    const QTableWidget* t = view.variants_table();
    QCOMPARE(t->rowCount(), 3);
    QVERIFY(t->verticalHeaderItem(1)->text().contains("★ recommended"));
    QVERIFY(!t->verticalHeaderItem(0)->text().contains("recommended"));
    QVERIFY(t->item(1, 0)->font().bold());
    QVERIFY(!t->item(0, 0)->font().bold());
    // Columns: cost, nines, fill, heal, one margin per constraint, verdict.
    QCOMPARE(t->columnCount(), 4 + 3 + 1);
    QCOMPARE(cell(t, 1, 0), QString("150,000 (95 % CI 140,000 – 160,000)"));
    QCOMPARE(cell(t, 1, 1), QString("1.60 (95 % CI ≥ 1.30)"));
    QCOMPARE(cell(t, 2, 1), QString("unbounded"));
    QCOMPARE(cell(t, 2, 4), QString("✓ unbounded"));
    QCOMPARE(cell(t, 0, 4), QString("✗ -0.20"));
    QCOMPARE(cell(t, 1, 5), QString("✓ +10.0 pts"));
    QCOMPARE(cell(t, 2, 6), QString("✗ -40,000"));
    QVERIFY(cell(t, 0, 7).startsWith("fails durability"));
    QVERIFY(view.verdict_label()->text().startsWith("Choose v001"));
  }

  void tornado_bars_are_the_sensitivity_costs() {
    ChooseView view;
    view.show_result(load_fixture_choice());
    const ChartSpec* spec = shown_chart(view.tornado());
    QVERIFY(spec);
    QString error = check_tornado(*spec, read_json(kChoice + "/choose.json"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Growth moves the cost most: on top, and at its high end v000 is chosen instead.
    QVERIFY2(spec->rows[0].startsWith("annual growth 30 % – 70 %"), qPrintable(spec->rows[0]));
    QVERIFY2(spec->rows[0].contains("at 70 %: v000"), qPrintable(spec->rows[0]));
    QVERIFY2(spec->rows[3].contains("at 25 MB/s: none feasible"), qPrintable(spec->rows[3]));
    QCOMPARE(spec->rows[1], QString("disk AFR 10 % – 30 %"));  // the recommendation holds
    QImage picture = render_chart(*spec, QSize(1600, 900));
    QVERIFY(!picture.isNull());
  }

  void choose_runner_passes_the_constraints() {
    ChooseView view;
    view.field("min_nines")->setText("3");
    view.field("max_fill")->setText("85 %");
    view.field("budget")->setText("2,500,000");
    QVERIFY(view.sensitivity_box()->isChecked());  // the file's sensitivity runs unless unticked
    view.sensitivity_box()->setChecked(false);
    QString error;
    auto o = view.options(&error);
    QVERIFY2(o, qPrintable(error));
    QCOMPARE(ChooseRunner::arguments("c.yaml", "out", *o),
             QStringList({"plan", "--choose", "c.yaml", "--out", "out", "--min-nines", "3", "--max-fill", "0.85",
                          "--budget", "2500000", "--no-sensitivity"}));
    view.field("budget")->clear();
    view.field("max_heal_h")->setText("200");
    view.sensitivity_box()->setChecked(true);
    QCOMPARE(ChooseRunner::arguments("c.yaml", "out", *view.options(&error)).mid(5),
             QStringList({"--min-nines", "3", "--max-fill", "0.85", "--max-heal", "200 h"}));
    view.field("max_heal_h")->setText("a week");
    QVERIFY(!view.options(&error));
    QVERIFY2(error.contains("Longest heal"), qPrintable(error));
    QVERIFY(!view.run());  // no file, and a bad field: nothing starts
    QVERIFY(!view.runner()->running());
  }

  void a_variants_scenario_is_the_sweeps_set_and_values() {
    const ChooseResult c = load_fixture_choice();
    Result<std::string> text = variant_scenario(read_text(kChoice + "/choose.yaml"),
                                                read_text(kSource + "/scenarios/smoke.yaml"), c.variants[2]);
    QVERIFY2(text.is_ok(), text.is_ok() ? "" : text.status().message().c_str());
    auto scenario = sim::parse_scenario(*text, "variant");
    QVERIFY2(scenario.is_ok(), scenario.is_ok() ? "" : scenario.status().message().c_str());
    QCOMPARE(scenario->pool.scheme.to_string(), std::string("replica:3"));
    QCOMPARE(scenario->procurement.max_nodes, 16u);
    QVERIFY(text->find("# Smoke scenario") != std::string::npos);  // the comments stay
  }

  void words_for_a_non_engineer() {
    RunData run;
    run.summary = {{"runs", 20}, {"probability_of_loss", {{"mean", 0.0}, {"low95", 0.0}, {"high95", 0.161}}}};
    QCOMPARE(loss_in_words(run),
             std::string("No simulated run lost data (0 of 20); with 20 runs that bounds the chance of losing some "
                         "data over the plan below 16 % (95 % confidence)."));
    run.summary["runs"] = 1;
    run.summary["probability_of_loss"]["high95"] = 0.793;
    QVERIFY(loss_in_words(run).find("too few runs") != std::string::npos);
    run.summary["runs"] = 4;
    run.summary["probability_of_loss"] = {{"mean", 0.25}, {"low95", 0.05}, {"high95", 0.7}};
    QVERIFY2(loss_in_words(run).rfind("Data was lost in 1 of 4 runs (25 %", 0) == 0, loss_in_words(run).c_str());

    const nlohmann::json summary = {{"scenario_file", "/tmp/x y/scenario.yaml"},
                                    {"reproduce", "cairn plan /tmp/x y/scenario.yaml --seed 1 --runs 20 --nines"}};
    QCOMPARE(relative_reproduce(summary, "scenario.yaml", "reproduced"),
             std::string("cairn plan scenario.yaml --seed 1 --runs 20 --nines --out reproduced"));

    auto tertiary = sim::load_scenario(kSource + "/scenarios/tertiary-hospital.yaml");
    QVERIFY(tertiary.is_ok());
    const std::string words = hospital_in_words(*tertiary);
    for (const char* part : {"54 TB of images in year 1", "growing 10 % a year", "ec:8+3", "12 nodes of 4 × 20 TB"})
      QVERIFY2(words.find(part) != std::string::npos, (words + " lacks " + part).c_str());

    const auto assumptions = key_assumptions(read_text(kSource + "/scenarios/tertiary-hospital.yaml"));
    auto growth = std::find_if(assumptions.begin(), assumptions.end(),
                               [](const Assumption& a) { return a.key == "workload.annual_growth"; });
    QVERIFY(growth != assumptions.end());
    QCOMPARE(growth->value, std::string("10 %"));
    QVERIFY2(growth->source.find("REFERENCE estimate") != std::string::npos, growth->source.c_str());
    auto size = std::find_if(assumptions.begin(), assumptions.end(),
                             [](const Assumption& a) { return a.key == "cluster.node.disk.size"; });
    QVERIFY(size != assumptions.end() && size->value == "20 TB");
  }

  // The report as a reader gets it: page one's text names the
  // recommendation, the purchase plan's years and the reproduce command;
  // every word is text of at least 8 pt; the folder holds what the
  // command and the choice's command need.
  void the_report_reads_as_a_summary_first() {
    auto run = load_run(kPlanned, "ec:2+1");
    QVERIFY(run.is_ok());
    QTemporaryDir dir;
    // CAIRN_TEST_KEEP=1 keeps the export, to look at its pages.
    dir.setAutoRemove(qEnvironmentVariableIsEmpty("CAIRN_TEST_KEEP"));
    if (!dir.autoRemove()) qInfo("export kept in %s", qPrintable(dir.path()));
    const QString yaml = QString::fromStdString(read_text(kSource + "/scenarios/smoke.yaml"));
    ReportInput input{"smoke", "scenarios/smoke.yaml", yaml, {*run}, {}, load_fixture_choice()};
    auto written = export_report(dir.path(), input);
    QVERIFY2(written.is_ok(), written.is_ok() ? "" : written.status().message().c_str());
    const QString pdf = dir.filePath("report.pdf");
    const QString page_one = squeeze(pdf_text(pdf, 1, 1));
    QVERIFY2(!page_one.startsWith("ERROR"), qPrintable(page_one));
    for (const QString& part :
         {QString("Storage plan: smoke"), QString("Recommended: v001 (ec:2+1)"), QString("Purchase plan"),
          QString("year 3 in 75 % of runs, year 2 in 25 %"), QString("year 2 in every run"),
          QString("initial cluster"), QString("Data was lost in 4 of 4 runs"), QString("Main risks"),
          QString("Longest heal"), QString("Reproduce, from this report's folder:"),
          QString("cairn plan scenario.yaml --seed 42 --runs 4 --out reproduced")})
      QVERIFY2(page_one.contains(part), qPrintable("page one lacks '" + part + "':\n" + page_one));
    QVERIFY2(!page_one.contains("0.000 (95 % CI"), qPrintable(page_one));
    QCOMPARE(reproduce_command(input), QString("cairn plan scenario.yaml --seed 42 --runs 4 --out reproduced"));
    const QString all = squeeze(pdf_text(pdf));
    for (const QString& part :
         {QString("Options compared under constraints"), QString("fails durability"),
          QString("What moves the recommendation's cost"), QString("annual growth"),  // the tornado's own text
          QString("Purchase plan by year"), QString("Assumptions and their sources"),
          QString("cairn plan --choose choose/choose.yaml --budget 200000 --out choose/reproduced"),
          QString("Read the gap between used and usable")})
      QVERIFY2(all.contains(part), qPrintable("the report lacks '" + part + "'"));
    // Words are found as typed: no ligature glyphs ("ﬁ" for "fi") in the text.
    QVERIFY2(!all.contains(QChar(0xFB01)) && !all.contains(QChar(0xFB02)), "ligatures in the PDF's text");
    QVERIFY(page_one.contains("peak fill at most 70.0 %"));
    const double smallest = smallest_word_pt(pdf);
    QVERIFY2(smallest >= 8.0, qPrintable(QString("a word %1 pt high").arg(smallest)));
    // The folder: the scenario as run, the run's files, the choice with its sweep file renamed.
    QCOMPARE(QString::fromStdString(read_text(dir.filePath("scenario.yaml").toStdString())), yaml);
    QVERIFY(QFile::exists(dir.filePath("ec_2_1/purchases.csv")));
    QVERIFY(QFile::exists(dir.filePath("tornado.png")));
    const std::string sweep = read_text(dir.filePath("choose/choose.yaml").toStdString());
    QVERIFY2(sweep.find("scenario: scenario.yaml") != std::string::npos, sweep.c_str());
    QCOMPARE(read_text(dir.filePath("choose/scenario.yaml").toStdString()), read_text(kSource + "/scenarios/smoke.yaml"));
    QVERIFY(read_json(dir.filePath("choose/choose.json").toStdString()) == read_json(kChoice + "/choose.json"));
  }

  // With one configuration and no choice, page one says so instead of
  // recommending; an older run without a plan says it has none.
  void one_configuration_is_not_a_recommendation() {
    auto run = load_run(kData + "/priced-ec", "ec:2+1");
    QVERIFY(run.is_ok());
    QTemporaryDir dir;
    ReportInput input{"smoke", "scenarios/smoke.yaml", QString::fromStdString(read_text(kSource + "/scenarios/smoke.yaml")),
                      {*run}, {}};
    auto written = export_report(dir.path(), input);
    QVERIFY(written.is_ok());
    const QString page_one = squeeze(pdf_text(dir.filePath("report.pdf"), 1, 1));
    QVERIFY2(page_one.contains("no comparison of options was run"), qPrintable(page_one));
    QVERIFY2(page_one.contains("not in this run's summary"), qPrintable(page_one));
  }
};

QTEST_MAIN(ReportTest)
#include "report_test.moc"
