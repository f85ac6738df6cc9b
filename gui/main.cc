// cairn-planner: the desktop planner over the simulator. With --export it
// runs headless on the offscreen platform: opens the scenario, runs it (and
// the comparison, if asked), writes the report and exits. With --choose and
// --run it runs the choice first, then plans the recommended variant as
// the run (its purchase plan, charts and figures are the report's).
//
//   cairn-planner [--scenario FILE] [--runs R] [--nines [--bias B]]
//                 [--choose FILE] [--compare "replica:3, ec:8+3"] [--run]
//                 [--export DIR] [--screenshot PNG [--tab NAME] [--month M]]
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>

#include <cstdio>
#include <cstring>

#include <QSlider>
#include <QTabWidget>

#include "gui/choose_view.h"
#include "gui/main_window.h"
#include "gui/replay_panel.h"
#include "gui/scenario_document.h"

namespace {

using cairn::gui::MainWindow;

bool wants_headless(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--export") == 0 || std::strncmp(argv[i], "--export=", 9) == 0) return true;
  return false;
}

int fail(const QString& message) {
  std::fprintf(stderr, "cairn-planner: %s\n", qPrintable(message));
  return 2;
}

// Runs the scenario, then the comparison, then exports and takes the
// screenshot, each step after the previous ended; quits with the result.
class Script : public QObject {
 public:
  Script(MainWindow* w, bool choose, bool run, QStringList variants, QString export_dir, QString screenshot,
         QString tab, int month)
      : w_(w), choose_(choose), run_(run), variants_(std::move(variants)), export_dir_(std::move(export_dir)),
        screenshot_(std::move(screenshot)), tab_(std::move(tab)), month_(month) {
    connect(w_, &MainWindow::run_ended, this, [this](bool ok, const QString& m) {
      if (!ok) return finish(fail(m));
      next();
    });
    // Headless, a choice takes minutes: say how far it is, at most once per finished run.
    connect(w_->choose_view()->runner(), &cairn::gui::ChooseRunner::progress, this,
            [](int done, int total, const QString&) {
              std::fprintf(stderr, "cairn-planner: choice: runs finished %d/%d\n", done, total);
            });
    connect(w_, &MainWindow::choice_ended, this, [this](bool ok, const QString& m) {
      if (!ok) return finish(fail(m));
      std::fprintf(stderr, "cairn-planner: planning the recommendation\n");
      if (!w_->plan_recommendation()) finish(fail("cannot plan the recommended variant"));
    });
  }
  void next() {
    if (choose_) {
      choose_ = false;
      run_ = false;  // the recommendation is the run
      std::fprintf(stderr, "cairn-planner: choosing from %s\n", qPrintable(w_->choose_view()->file()));
      if (!w_->run_choice()) finish(fail("cannot run the choice"));
      return;
    }
    if (run_) {
      run_ = false;
      std::fprintf(stderr, "cairn-planner: running %s\n", qPrintable(w_->document()->display_name()));
      if (!w_->run()) finish(fail("cannot run the scenario"));
      return;
    }
    if (!variants_.isEmpty()) {
      QStringList v = std::exchange(variants_, {});
      std::fprintf(stderr, "cairn-planner: comparing %s\n", qPrintable(v.join(", ")));
      if (!w_->compare(v)) finish(fail("cannot run the comparison"));
      return;
    }
    if (!screenshot_.isEmpty()) {
      for (int i = 0; i < w_->tabs()->count(); ++i)
        if (w_->tabs()->tabText(i).compare(tab_, Qt::CaseInsensitive) == 0) w_->tabs()->setCurrentIndex(i);
      if (month_ >= 0) w_->replay()->slider()->setValue(month_);
      if (!w_->grab().save(screenshot_)) return finish(fail("cannot write " + screenshot_));
      std::printf("wrote %s\n", qPrintable(screenshot_));
    }
    if (!export_dir_.isEmpty()) {
      auto written = w_->export_to(export_dir_);
      if (!written) return finish(fail(QString::fromStdString(written.status().message())));
      for (const QString& f : *written) std::printf("wrote %s\n", qPrintable(f));
    }
    finish(0);
  }

 private:
  void finish(int code) { QCoreApplication::exit(code); }

  MainWindow* w_;
  bool choose_, run_;
  QStringList variants_;
  QString export_dir_, screenshot_, tab_;
  int month_;
};

}  // namespace

int main(int argc, char** argv) {
  if (wants_headless(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setApplicationName("cairn-planner");
  QCommandLineParser parser;
  parser.setApplicationDescription("Cairn planner: edit a scenario, run it, compare variants, export a report.");
  parser.addHelpOption();
  QCommandLineOption scenario("scenario", "Scenario YAML to open.", "FILE");
  QCommandLineOption run("run", "Run the scenario at start.");
  QCommandLineOption runs("runs", "Replicates per run (default 1).", "R", "1");
  QCommandLineOption nines("nines", "Estimate durability (cairn plan --nines): the durability chart and figures.");
  QCommandLineOption bias("bias", "With --nines: cairn plan's failure bias (default 1, none).", "B", "1");
  QCommandLineOption choose("choose", "Choose among a sweep file's variants under its constraints (cairn plan "
                            "--choose); with --run, run it, then plan the recommended variant.", "FILE");
  QCommandLineOption compare("compare", "Compare these variants, e.g. \"replica:3, ec:4+2, ec:8+3\".", "LIST");
  QCommandLineOption export_dir("export", "Headless: run, export the report into DIR, exit.", "DIR");
  QCommandLineOption screenshot("screenshot", "Save the main window as a PNG after the runs.", "PNG");
  QCommandLineOption tab("tab", "With --screenshot: the tab to show (Scenario, Charts, Replay, Compare).", "NAME");
  QCommandLineOption month("month", "With --screenshot: the replay's month (0-based).", "M", "-1");
  parser.addOptions({scenario, run, runs, nines, bias, choose, compare, export_dir, screenshot, tab, month});
  parser.process(app);

  MainWindow window;
  bool ok = false;
  int replicates = parser.value(runs).toInt(&ok);
  if (!ok || replicates < 1) return fail("--runs must be a whole number of at least 1");
  window.set_runs(replicates);
  const double failure_bias = parser.value(bias).toDouble(&ok);
  if (!ok || failure_bias < 1 || failure_bias > 1e6) return fail("--bias must be a number from 1 to 1e6");
  if (parser.isSet(bias) && !parser.isSet(nines)) return fail("--bias needs --nines");
  window.set_durability(parser.isSet(nines), failure_bias);
  if (parser.isSet(scenario)) {
    QString error;
    if (!window.open_scenario(parser.value(scenario), &error)) return fail(error);
    if (!window.document()->valid()) return fail(QString::fromStdString(window.document()->error()->full));
  }
  if (parser.isSet(choose)) {
    QString error;
    if (!window.open_choice(parser.value(choose), &error)) return fail(error);
    if (!window.document()->valid()) return fail(QString::fromStdString(window.document()->error()->full));
  }
  const bool headless = parser.isSet(export_dir);
  const bool scripted = parser.isSet(run) || parser.isSet(compare) || headless || parser.isSet(screenshot);
  if (scripted && !parser.isSet(scenario) && !parser.isSet(choose))
    return fail("--run, --compare, --export and --screenshot need --scenario or --choose");
  const bool choosing = parser.isSet(choose) && (parser.isSet(run) || headless);
  if (!headless) window.show();
  if (!scripted) return QApplication::exec();
  QStringList variants;
  if (parser.isSet(compare)) variants << parser.value(compare);
  Script script(&window, choosing, parser.isSet(run) || (headless && variants.isEmpty()), variants,
                parser.value(export_dir), parser.value(screenshot), parser.value(tab), parser.value(month).toInt());
  QTimer::singleShot(0, &script, &Script::next);
  return QApplication::exec();
}
