// ChooseView: the planner's "Choose" tab — which option to buy. The user
// picks a choose (sweep) file, may set the four constraints (durability in
// nines, fill ceiling, longest heal, budget; empty fields keep the file's)
// and ask for the sensitivity, runs `cairn plan --choose` (ChooseRunner)
// with progress and Cancel, and reads the variants table (each variant's
// cost, nines, fill and heal, each constraint's margin and the verdict, the
// recommendation highlighted), the verdict, and the tornado chart. GUI
// thread only.
#pragma once

#include <QTemporaryDir>
#include <QWidget>

#include <optional>

#include "gui/choose.h"
#include "gui/choose_runner.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace cairn::gui {

class ChooseView : public QWidget {
  Q_OBJECT

 public:
  explicit ChooseView(QWidget* parent = nullptr);

  void set_file(const QString& choose_file);
  QString file() const;
  // The constraints and sensitivity as the fields hold them; a field that
  // is not a number leaves `error` set (naming it) and returns nullopt.
  std::optional<ChooseOptions> options(QString* error) const;
  // Runs the choice; false (the reason in the status line) when no file is
  // set, a field is wrong, or a choice is running.
  bool run();
  void cancel();
  // Shows a finished choice (also one read from disk).
  void show_result(const ChooseResult& result);

  const std::optional<ChooseResult>& result() const { return result_; }
  ChooseRunner* runner() const { return runner_; }
  QTableWidget* variants_table() const { return table_; }
  QWidget* tornado() const { return tornado_; }
  QLabel* verdict_label() const { return verdict_; }
  QLabel* status_label() const { return status_; }
  QLineEdit* field(const QString& name) const;  // "min_nines", "max_fill", "max_heal_h", "budget"
  QCheckBox* sensitivity_box() const { return sensitivity_; }
  QPushButton* plan_button() const { return plan_; }

 signals:
  // A choice ended: finished (true), or failed or cancelled (false).
  void ended(bool ok, const QString& message);
  // "Plan the recommendation" was pressed (MainWindow::plan_recommendation).
  void plan_requested();

 private:
  void on_finished(const ChooseResult& result);
  void on_ended(bool ok, const QString& message);

  ChooseRunner* runner_;
  QLineEdit* file_;
  QLineEdit *min_nines_, *max_fill_, *max_heal_, *budget_;
  QCheckBox* sensitivity_;
  QPushButton *run_, *cancel_, *plan_;
  QProgressBar* progress_;
  QLabel* status_;
  QLabel* verdict_;
  QTableWidget* table_;
  QWidget* tornado_;
  QTemporaryDir work_;
  std::optional<ChooseResult> result_;
};

}  // namespace cairn::gui
