// MainWindow: the planner — the scenario (form and YAML), Run and Compare
// with progress and Cancel, the charts (with the purchase plan), the
// replay, the comparison, the choice of an option under constraints
// (ChooseView), and Export. It wires the parts together and owns no model of its own: runs are
// `cairn plan` subprocesses (RunController), results are their files.
// GUI thread only.
#pragma once

#include <QMainWindow>
#include <QTemporaryDir>

#include <vector>

#include "gui/run_results.h"

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QSpinBox;
class QTabWidget;

namespace cairn::gui {

class ChooseView;
class ReplayPanel;
class ResultsView;
class RunController;
class ScenarioDocument;
class ScenarioForm;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  bool open_scenario(const QString& path, QString* error);
  // Runs the scenario as it stands (`runs` replicates), the results named
  // `label` (default: the scenario's name); false when it is invalid or a
  // run is going (the reason is in the status bar).
  bool run(const QString& label = {});
  // Runs each variant ("replica:3", "ec:8+3/declustered", ...) of the scenario.
  bool compare(const QStringList& variants);
  void cancel();
  Result<QStringList> export_to(const QString& dir);
  // Sets the Choose tab's file; with no scenario opened yet, opens the
  // scenario it names, so the report has the hospital to describe.
  bool open_choice(const QString& choose_file, QString* error);
  // Runs the Choose tab's choice (see ChooseView::run); choice_ended follows.
  bool run_choice();
  // Runs the recommended variant (else the nearest miss) of the last
  // choice as the plain run, with the choice's replicates, so that its
  // purchase plan, charts and figures are the report's; false when there
  // is no choice or its scenario cannot be made.
  bool plan_recommendation();

  ScenarioDocument* document() const { return document_; }
  ScenarioForm* form() const { return form_; }
  RunController* controller() const { return controller_; }
  ReplayPanel* replay() const { return replay_; }
  ResultsView* charts_view() const { return charts_; }
  ResultsView* compare_view() const { return compare_view_; }
  ChooseView* choose_view() const { return choose_view_; }
  QTabWidget* tabs() const { return tabs_; }
  QProgressBar* progress_bar() const { return progress_; }
  QAction* run_action() const { return run_action_; }
  const std::vector<RunData>& results() const { return results_; }
  const std::vector<RunData>& compare_results() const { return compare_results_; }
  void set_runs(int runs);
  // Whether runs estimate durability (cairn plan --nines) and with what
  // failure bias (--bias; 1 is none).
  void set_durability(bool nines, double bias);
  QCheckBox* nines_box() const { return nines_; }
  QDoubleSpinBox* bias_box() const { return bias_; }

 signals:
  // A run or comparison ended: finished (true), or failed or cancelled (false).
  void run_ended(bool ok, const QString& message);
  // A choice ended: finished (true), or failed or cancelled (false).
  void choice_ended(bool ok, const QString& message);

 private:
  void build_actions();
  void on_document_changed();
  void on_progress(int job, int jobs, int month, int months, int runs_done, int runs);
  void on_finished(const std::vector<RunData>& results);
  void on_ended(bool ok, const QString& message);
  void open_dialog();
  void save(bool as);
  void export_dialog();
  bool start(std::vector<struct RunJob> jobs, bool comparison);

  ScenarioDocument* document_;
  ScenarioForm* form_;
  RunController* controller_;
  QTabWidget* tabs_;
  QPlainTextEdit* yaml_;
  ResultsView* charts_;
  ResultsView* compare_view_;
  ChooseView* choose_view_;
  ReplayPanel* replay_;
  QProgressBar* progress_;
  QLabel* status_;
  QSpinBox* runs_;
  QCheckBox* nines_;
  QDoubleSpinBox* bias_;
  QLineEdit* variants_;
  QAction *run_action_ = nullptr, *compare_action_ = nullptr, *cancel_action_ = nullptr, *export_action_ = nullptr;
  QTemporaryDir work_;
  bool comparison_running_ = false;
  QString last_run_yaml_;
  std::vector<RunData> results_, compare_results_;
};

}  // namespace cairn::gui
