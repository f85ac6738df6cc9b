// The planner driven as a person would, on the offscreen platform, running
// the real `cairn plan`: the form rejects an invalid field with the
// simulator's message and nothing runs; the smoke scenario runs with
// progress; its cost chart, money figures and capacity waterfall show the
// run's own cost.csv and summary.json; the replay's cluster view agrees with
// the run's events; a long run is cancelled with its whole process group; a
// comparison runs and shows each variant's cost; the report exports; with
// "Estimate durability" ticked, the run's durability chart and rows show its
// summary.json's nines by year, a comparison's each variant's in its own
// column, and the export carries the chart.
#include <dirent.h>
#include <signal.h>

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>
#include <map>
#include <memory>

#include "gui/choose_view.h"
#include "gui/cluster_view.h"
#include "gui/main_window.h"
#include "gui/replay_panel.h"
#include "gui/results_view.h"
#include "gui/run_controller.h"
#include "gui/scenario_document.h"
#include "gui/scenario_form.h"
#include "tests/gui/durability_checks.h"
#include "tests/gui/money_checks.h"
#include "tests/gui/report_checks.h"

using namespace cairn;
using namespace cairn::gui;
using namespace cairn::gui::testing;

namespace {

const QString kSource = CAIRN_SOURCE_DIR;
constexpr int kRunTimeoutMs = 120'000;

// Processes of process group `pgid` that are still running (not zombies).
int live_in_group(pid_t pgid) {
  int live = 0;
  DIR* proc = opendir("/proc");
  if (!proc) return -1;
  while (dirent* e = readdir(proc)) {
    std::ifstream stat(std::string("/proc/") + e->d_name + "/stat");
    std::string line;
    if (!stat || !std::getline(stat, line)) continue;
    size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    long ppid = 0, pgrp = 0;
    if (std::sscanf(line.c_str() + close + 2, "%c %ld %ld", &state, &ppid, &pgrp) != 3) continue;
    live += pgrp == pgid && state != 'Z';
  }
  closedir(proc);
  return live;
}

bool wait_run(MainWindow& w, QSignalSpy& spy) {
  if (spy.isEmpty() && !spy.wait(kRunTimeoutMs)) return false;
  (void)w;
  return spy.takeFirst().at(0).toBool();
}

}  // namespace

class PlannerTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    window_ = std::make_unique<MainWindow>();
    QString error;
    QVERIFY2(window_->open_scenario(kSource + "/scenarios/smoke.yaml", &error), qPrintable(error));
    QVERIFY(window_->document()->valid());
    window_->show();
  }

  // The disk's operation rate (absent from smoke.yaml: the HDD default) is a
  // field of its own; typing it writes the key, a bad rate is refused there.
  void form_sets_the_disks_operation_rate() {
    MainWindow& w = *window_;
    auto* ops = qobject_cast<QLineEdit*>(w.form()->field("cluster.node.disk.ops"));
    QVERIFY(ops);
    ops->setFocus();
    ops->selectAll();
    QTest::keyClicks(ops, "fast");
    QVERIFY(!w.document()->valid());
    QVERIFY2(w.form()->field_error("cluster.node.disk.ops").contains("operation rate"),
             qPrintable(w.form()->field_error("cluster.node.disk.ops")));
    ops->selectAll();
    QTest::keyClicks(ops, "500 ops/s");
    QVERIFY(w.document()->valid());
    QVERIFY(w.document()->text().contains("ops: 500 ops/s"));
    ops->selectAll();
    QTest::keyClicks(ops, "150 ops/s");
    QVERIFY(w.document()->valid());
  }

  void form_rejects_an_invalid_field_and_nothing_runs() {
    MainWindow& w = *window_;
    auto* size = qobject_cast<QLineEdit*>(w.form()->field("cluster.node.disk.size"));
    QVERIFY(size);
    QCOMPARE(size->text(), QString("1 TB"));
    size->setFocus();
    size->selectAll();
    QTest::keyClicks(size, "1 TX");
    QVERIFY(!w.document()->valid());
    QVERIFY2(w.form()->field_error("cluster.node.disk.size").contains("expected a size"),
             qPrintable(w.form()->field_error("cluster.node.disk.size")));
    QVERIFY(!w.run_action()->isEnabled());
    QVERIFY(!w.run());
    QVERIFY(!w.controller()->running());

    size->selectAll();
    QTest::keyClicks(size, "2 TB");
    QVERIFY(w.document()->valid());
    QVERIFY(w.form()->field_error("cluster.node.disk.size").isEmpty());
    QCOMPARE(w.document()->value("cluster.node.disk.size").value(), QString("2 TB"));
    QVERIFY(w.document()->text().contains("size: 2 TB"));
    QVERIFY(w.run_action()->isEnabled());
    // A range problem found by validate() lands at its field too.
    auto* threshold = qobject_cast<QLineEdit*>(w.form()->field("procurement.fill_threshold"));
    threshold->setFocus();
    threshold->selectAll();
    QTest::keyClicks(threshold, "100 %");
    QVERIFY(!w.document()->valid());
    QVERIFY(!w.form()->field_error("procurement.fill_threshold").isEmpty());
    threshold->selectAll();
    QTest::keyClicks(threshold, "60 %");
    size->selectAll();
    QTest::keyClicks(size, "1 TB");
    QVERIFY(w.document()->valid());
  }

  void runs_the_smoke_scenario() {
    MainWindow& w = *window_;
    QSignalSpy ended(&w, &MainWindow::run_ended);
    QSignalSpy progress(w.controller(), &RunController::progress);
    QVERIFY(w.run());
    QVERIFY(w.controller()->running());
    QVERIFY(!w.run_action()->isEnabled());
    QVERIFY(wait_run(w, ended));
    QVERIFY(progress.count() > 1);
    QCOMPARE(w.progress_bar()->value(), w.progress_bar()->maximum());
    QCOMPARE(w.results().size(), size_t(1));
    const RunData& run = w.results().front();
    QCOMPARE(run.months.size(), size_t(36));
    QVERIFY(!run.disks.empty());
    QVERIFY(!run.events.empty());
  }

  // cost.csv and summary.json come from the simulator here: the checks read
  // them on their own and compare with what the Charts tab shows.
  void charts_show_the_runs_cost() {
    MainWindow& w = *window_;
    const RunData& run = w.results().front();
    QCOMPARE(read_cost_csv(run.dir).size(), size_t(3));  // smoke.yaml: three years
    QVERIFY(read_cost_csv(run.dir).back()[11] > 0);
    QWidget* chart = w.charts_view()->chart("cost");
    QVERIFY(chart);
    QVERIFY(!chart->isHidden());
    QString error = check_cost_chart(chart, run.dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = check_money_rows(w.charts_view()->table(), {run.dir});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = check_waterfall(w.charts_view()->waterfall_table(), {run.dir});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // The purchase plan tab shows cairn plan's own purchase_plan by year.
    QVERIFY(read_summary(run.dir)["purchase_plan"].is_object());
    error = check_by_year_table(w.charts_view()->by_year_table(), run.dir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(w.charts_view()->purchase_note_label()->isHidden());
    // smoke.yaml sets no refresh age: no rows of zeros about it.
    for (int r = 0; r < w.charts_view()->table()->rowCount(); ++r)
      QVERIFY(!w.charts_view()->table()->verticalHeaderItem(r)->text().contains("refresh"));
  }

  // Run without "Estimate durability": the chart says how to get it.
  void durability_is_not_estimated_unless_asked() {
    MainWindow& w = *window_;
    QVERIFY(!w.nines_box()->isChecked());
    QVERIFY(read_summary(w.results().front().dir)["durability"].is_null());
    const ChartSpec* spec = shown_chart(w.charts_view()->chart("durability"));
    QVERIFY(spec);
    QVERIFY(spec->series.empty());
    QVERIFY2(spec->caption.contains("run with durability estimation"), qPrintable(spec->caption));
  }

  void replay_slider_agrees_with_the_events() {
    MainWindow& w = *window_;
    const RunData& run = w.results().front();
    ReplayPanel* replay = w.replay();
    QVERIFY(replay->isEnabled());
    QCOMPARE(replay->slider()->maximum(), 35);
    int failures = 0, purchases = 0;
    for (const sim::Event& e : run.events) {
      const int month = static_cast<int>(month_of(e.time_s));
      if (month > replay->slider()->maximum()) continue;
      replay->slider()->setValue(month);
      const ReplayState& state = replay->view()->state();
      QCOMPARE(state.month, static_cast<uint32_t>(month));
      if (e.kind == "disk_failure") {
        const SlotView* slot = state.find_disk(static_cast<uint32_t>(e.disk));
        QVERIFY2(slot, qPrintable(QString("disk %1 not drawn in month %2").arg(e.disk).arg(month)));
        QVERIFY(slot->failed_in_month);
        ++failures;
      } else if (e.kind == "purchase_arrival" && month > 0) {
        const uint32_t bought = static_cast<uint32_t>(std::stoul(e.detail));  // "3 nodes"
        replay->slider()->setValue(month - 1);
        const uint32_t before = replay->view()->state().nodes();
        replay->slider()->setValue(month);
        QCOMPARE(replay->view()->state().nodes(), before + bought);
        uint32_t fresh = 0;
        for (const RackView& r : replay->view()->state().racks)
          for (const NodeView& n : r.nodes)
            if (n.node >= e.node)
              for (const SlotView& s : n.cells) fresh += s.state == SlotState::kNew;
        QVERIFY(fresh > 0);
        ++purchases;
      }
    }
    QVERIFY(failures > 0);
    QVERIFY(purchases > 0);
    // Play steps forward on its own.
    replay->slider()->setValue(0);
    QTest::mouseClick(replay->play_button(), Qt::LeftButton);
    QVERIFY(replay->playing());
    QTRY_VERIFY_WITH_TIMEOUT(replay->slider()->value() >= 2, 5000);
    QTest::mouseClick(replay->play_button(), Qt::LeftButton);
    QVERIFY(!replay->playing());
    QImage shot = replay->view()->grab().toImage();
    QVERIFY(!shot.isNull());
  }

  void compares_variants() {
    MainWindow& w = *window_;
    QSignalSpy ended(&w, &MainWindow::run_ended);
    QVERIFY(!w.compare({"ec:2+1"}));  // one variant is not a comparison
    QVERIFY(w.compare({"ec:2+1, replica:2"}));
    QVERIFY(wait_run(w, ended));
    QCOMPARE(w.compare_results().size(), size_t(2));
    QCOMPARE(w.compare_results()[1].summary.value("scheme", std::string()), std::string("replica:2"));
    // Each variant's money in its own column: the two schemes buy different
    // hardware, so a column shown under the wrong variant would not match.
    std::vector<std::string> dirs;
    for (const RunData& r : w.compare_results()) dirs.push_back(r.dir);
    QVERIFY(read_summary(dirs[0])["cost"]["total"]["mean"] != read_summary(dirs[1])["cost"]["total"]["mean"]);
    QString error = check_money_rows(w.compare_view()->table(), dirs);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = check_waterfall(w.compare_view()->waterfall_table(), dirs);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(w.compare_view()->chart("cost") && !w.compare_view()->chart("cost")->isHidden());
    error = check_cumulative_chart(w.compare_view()->chart("cost"), dirs);
    QVERIFY2(error.isEmpty(), qPrintable(error));
  }

  void exports_pdf_pngs_and_csvs() {
    MainWindow& w = *window_;
    QTemporaryDir dir;
    auto written = w.export_to(dir.path());
    QVERIFY2(written.is_ok(), written.is_ok() ? "" : written.status().message().c_str());
    QFile pdf(dir.filePath("report.pdf"));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
    QVERIFY2(pdf.size() > 50'000, qPrintable(QString::number(pdf.size())));
    for (const char* stem :
         {"capacity", "nodes", "failures", "heal", "risk", "durability", "rebalance", "cost"}) {
      for (const QString prefix : {"", "compare-"}) {
        QFileInfo png(dir.filePath(prefix + stem + ".png"));
        QVERIFY2(png.size() > 10'000, qPrintable(png.filePath()));
        QImage image(png.filePath());
        QCOMPARE(image.size(), QSize(1600, 900));
      }
    }
    QVERIFY(QFileInfo(dir.filePath("smoke/timeseries.csv")).size() > 1000);
    QVERIFY(QFileInfo(dir.filePath("smoke/disks.csv")).size() > 1000);
    QVERIFY(!read_cost_csv(dir.filePath("smoke").toStdString()).empty());
    QVERIFY(QFileInfo(dir.filePath("replica_2/summary.json")).size() > 100);
  }

  // The export's page one names a command that, run from the export folder
  // with the built cairn, gives the same summary.json (but for the wall
  // clock and where the scenario file was): the scenario as run is there.
  void the_reproduce_line_works_from_the_export_folder() {
    MainWindow& w = *window_;
    QTemporaryDir dir;
    auto written = w.export_to(dir.path());
    QVERIFY2(written.is_ok(), written.is_ok() ? "" : written.status().message().c_str());
    const QString page_one = squeeze(pdf_text(dir.filePath("report.pdf"), 1, 1));
    const QString marker = "Reproduce, from this report's folder: ", tail = "--out reproduced";
    const qsizetype at = page_one.indexOf(marker), end = page_one.indexOf(tail, at);
    QVERIFY2(at >= 0 && end > at, qPrintable(page_one));
    const QStringList words = page_one.mid(at + marker.size(), end + tail.size() - at - marker.size()).split(' ');
    QCOMPARE(words.mid(0, 3), QStringList({"cairn", "plan", "scenario.yaml"}));
    const QString out = run_tool(RunController::default_binary(), words.mid(1), dir.path());
    QVERIFY2(!out.startsWith("ERROR"), qPrintable(out));
    const QString error = check_same_summary(read_summary(dir.filePath("reproduced").toStdString()),
                                             read_summary(dir.filePath("smoke").toStdString()));
    QVERIFY2(error.isEmpty(), qPrintable(error));
  }

  // Ticked, cairn plan runs with --nines (smoke.yaml's ec:2+1 meets a loss
  // hazard in every run within seconds); the chart's points are
  // summary.json's by_year nines.
  void estimates_durability_when_asked() {
    MainWindow& w = *window_;
    QVERIFY(!w.bias_box()->isEnabled());
    QTest::mouseClick(w.nines_box(), Qt::LeftButton);
    QVERIFY(w.nines_box()->isChecked());
    QVERIFY(w.bias_box()->isEnabled());
    QCOMPARE(w.bias_box()->value(), 1.0);
    w.set_runs(4);
    QSignalSpy ended(&w, &MainWindow::run_ended);
    QVERIFY(w.run());
    QVERIFY(wait_run(w, ended));
    const RunData& run = w.results().front();
    const nlohmann::json d = read_summary(run.dir)["durability"];
    QVERIFY2(d.is_object(), "cairn plan was not asked for --nines");
    QCOMPARE(d["by_year"].size(), size_t(3));
    QVERIFY(d["runs_with_hazard"].get<int>() > 0);
    QVERIFY(QString::fromStdString(read_summary(run.dir).value("reproduce", std::string()))
                .contains("--nines"));
    QString error = check_durability_chart(w.charts_view()->chart("durability"), {run.dir});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = check_durability_rows(w.charts_view()->table(), {run.dir});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(w.charts_view()->durability_notes_label()->text().contains(
        QString::fromStdString(d["method"].get<std::string>())));
  }

  void compares_the_variants_durability() {
    MainWindow& w = *window_;
    QSignalSpy ended(&w, &MainWindow::run_ended);
    QVERIFY(w.compare({"ec:2+1, replica:2"}));
    QVERIFY(wait_run(w, ended));
    std::vector<std::string> dirs;
    for (const RunData& r : w.compare_results()) dirs.push_back(r.dir);
    QCOMPARE(dirs.size(), size_t(2));
    const nlohmann::json ec = read_summary(dirs[0])["durability"],
                         replica = read_summary(dirs[1])["durability"];
    QVERIFY(ec.is_object() && replica.is_object());
    // Different schemes, different nines: a column under the wrong variant would not match.
    QVERIFY(ec["nines"]["mean"] != replica["nines"]["mean"]);
    QString error = check_durability_rows(w.compare_view()->table(), dirs);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = check_durability_chart(w.compare_view()->chart("durability"), dirs);
    QVERIFY2(error.isEmpty(), qPrintable(error));
  }

  void exports_the_durability_chart() {
    MainWindow& w = *window_;
    QTemporaryDir dir;
    auto written = w.export_to(dir.path());
    QVERIFY2(written.is_ok(), written.is_ok() ? "" : written.status().message().c_str());
    for (const QString name : {"durability.png", "compare-durability.png"}) {
      QImage image(dir.filePath(name));
      QCOMPARE(image.size(), QSize(1600, 900));
      QVERIFY(written->contains(dir.filePath(name)));
    }
    QVERIFY(read_summary(dir.filePath("smoke").toStdString())["durability"].is_object());
    QTest::mouseClick(w.nines_box(), Qt::LeftButton);
    QVERIFY(!w.nines_box()->isChecked());
    w.set_runs(1);
  }

  // The purchase meeting's path with the real cairn plan --choose on the
  // test choice (tests/cli/sweeps/choose-smoke.yaml): the Choose tab shows
  // choose.json's variants with the recommendation marked and its tornado;
  // the recommended variant then runs as the plain run; the exported PDF's
  // first page names the recommendation and the years of its purchase plan;
  // the choice's Reproduce command, run from the export folder, makes the
  // same choice.
  void chooses_plans_the_recommendation_and_reports_it() {
    MainWindow& w = *window_;
    QString error;
    QVERIFY2(w.open_choice(kSource + "/tests/cli/sweeps/choose-smoke.yaml", &error), qPrintable(error));
    QSignalSpy chosen(&w, &MainWindow::choice_ended);
    QVERIFY(w.run_choice());
    QVERIFY(chosen.wait(kRunTimeoutMs));
    QVERIFY2(chosen.takeFirst().at(0).toBool(), qPrintable(w.choose_view()->status_label()->text()));
    const std::optional<ChooseResult>& choice = w.choose_view()->result();
    QVERIFY(choice && choice->recommended);
    std::ifstream in(choice->dir + "/choose.json");
    const nlohmann::json written = nlohmann::json::parse(in);
    const std::string recommended = written["recommended"].get<std::string>();
    const QTableWidget* table = w.choose_view()->variants_table();
    QCOMPARE(table->rowCount(), static_cast<int>(written["variants"].size()));
    for (int r = 0; r < table->rowCount(); ++r) {
      const bool marked = table->verticalHeaderItem(r)->text().contains("recommended");
      QCOMPARE(marked, written["variants"][static_cast<size_t>(r)]["id"] == recommended);
    }
    QVERIFY(written["sensitivity"].is_object());
    error = check_tornado(*shown_chart(w.choose_view()->tornado()), written);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    QSignalSpy ended(&w, &MainWindow::run_ended);
    QVERIFY(w.choose_view()->plan_button()->isEnabled());
    QTest::mouseClick(w.choose_view()->plan_button(), Qt::LeftButton);
    QVERIFY(wait_run(w, ended));
    const RunData& run = w.results().front();
    QVERIFY(QString::fromStdString(run.label).startsWith(QString::fromStdString(recommended)));
    for (const nlohmann::json& v : written["variants"])
      if (v["id"] == recommended) QVERIFY(read_summary(run.dir)["scheme"] == v["values"]["pool.scheme"]);
    QTemporaryDir dir;
    auto exported = w.export_to(dir.path());
    QVERIFY2(exported.is_ok(), exported.is_ok() ? "" : exported.status().message().c_str());
    const QString page_one = squeeze(pdf_text(dir.filePath("report.pdf"), 1, 1));
    QVERIFY2(page_one.contains(QString::fromStdString("Recommended: " + recommended)), qPrintable(page_one));
    for (const nlohmann::json& p : read_summary(run.dir)["purchase_plan"]["purchases"])
      for (const nlohmann::json& y : p["arrival_years"])
        QVERIFY2(page_one.contains(QString("year %1").arg(y["year"].get<int>())), qPrintable(page_one));
    // The choice again, from the export folder, as its Reproduce line says.
    const QString all = squeeze(pdf_text(dir.filePath("report.pdf")));
    const QString head = "cairn plan --choose choose/choose.yaml", tail = "--out choose/reproduced";
    const qsizetype at = all.indexOf("Reproduce, from this report's folder: " + head), end = all.indexOf(tail, at);
    QVERIFY2(at >= 0 && end > at, qPrintable(all));
    const qsizetype from = all.indexOf(head, at);
    const QStringList words = all.mid(from, end + tail.size() - from).split(' ');
    QCOMPARE(words.mid(0, 4), QStringList({"cairn", "plan", "--choose", "choose/choose.yaml"}));
    const QString out = run_tool(RunController::default_binary(), words.mid(1), dir.path());
    QVERIFY2(!out.startsWith("ERROR"), qPrintable(out));
    std::ifstream again_in(dir.filePath("choose/reproduced/choose.json").toStdString());
    nlohmann::json again = nlohmann::json::parse(again_in);
    nlohmann::json first = written;
    for (nlohmann::json* j : {&again, &first})
      for (const char* key : {"choose_file", "scenario_file", "reproduce"}) j->erase(key);
    QVERIFY2(again == first, (again.dump().substr(0, 300) + "\nvs\n" + first.dump().substr(0, 300)).c_str());
  }

  // Cancel in the Choose tab kills cairn plan --choose and every run it forked.
  void cancel_stops_the_choice_and_its_runs() {
    MainWindow& w = *window_;
    QString error;
    QVERIFY2(w.open_choice(kSource + "/sweeps/choose-tertiary.yaml", &error), qPrintable(error));
    QSignalSpy ended(&w, &MainWindow::choice_ended);
    QSignalSpy progress(w.choose_view()->runner(), &ChooseRunner::progress);
    QVERIFY(w.run_choice());
    const pid_t pgid = static_cast<pid_t>(w.choose_view()->runner()->process_id());
    QVERIFY(pgid > 0);
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2, 60'000);  // the plan line, then a finished run
    QVERIFY(w.choose_view()->runner()->running());
    w.choose_view()->cancel();
    QVERIFY(ended.wait(10'000));
    QVERIFY(!ended.takeFirst().at(0).toBool());
    QTRY_COMPARE_WITH_TIMEOUT(live_in_group(pgid), 0, 5000);
    QCOMPARE(w.choose_view()->status_label()->text(), QString("cancelled"));
  }

  void cancel_stops_the_run_and_its_replicates() {
    MainWindow& w = *window_;
    QString error;
    QVERIFY(w.open_scenario(kSource + "/scenarios/tertiary-hospital.yaml", &error));
    QVERIFY(!w.document()->set_value("pool.strategy", "declustered"));  // ~1 s a run
    w.set_runs(40);
    QSignalSpy ended(&w, &MainWindow::run_ended);
    QSignalSpy progress(w.controller(), &RunController::progress);
    QVERIFY(w.run());
    const pid_t pgid = static_cast<pid_t>(w.controller()->process_id());
    QVERIFY(pgid > 0);
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 2, 30'000);  // the window keeps processing events
    QVERIFY(w.controller()->running());
    QVERIFY(live_in_group(pgid) >= 2);  // cairn plan and a replicate it forked
    w.cancel();
    QVERIFY(!wait_run(w, ended));
    QVERIFY(!w.controller()->running());
    QTRY_COMPARE_WITH_TIMEOUT(live_in_group(pgid), 0, 5000);
    QVERIFY(w.run_action()->isEnabled());
    QCOMPARE(w.progress_bar()->value(), 0);
    w.set_runs(1);
  }

  void cleanupTestCase() { window_.reset(); }

 private:
  std::unique_ptr<MainWindow> window_;
};

QTEST_MAIN(PlannerTest)
#include "planner_test.moc"
