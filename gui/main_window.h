// MainWindow: the planner — the scenario (form and YAML), Run and Compare
// with progress and Cancel, the charts, the replay and the comparison, and
// Export. It wires the parts together and owns no model of its own: runs are
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
  // Runs the scenario as it stands (`runs` replicates); false when it is
  // invalid or a run is going (the reason is in the status bar).
  bool run();
  // Runs each variant ("replica:3", "ec:8+3/declustered", ...) of the scenario.
  bool compare(const QStringList& variants);
  void cancel();
  Result<QStringList> export_to(const QString& dir);

  ScenarioDocument* document() const { return document_; }
  ScenarioForm* form() const { return form_; }
  RunController* controller() const { return controller_; }
  ReplayPanel* replay() const { return replay_; }
  ResultsView* charts_view() const { return charts_; }
  ResultsView* compare_view() const { return compare_view_; }
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
