#include "gui/main_window.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>

#include "gui/choose_view.h"
#include "gui/replay_panel.h"
#include "gui/report.h"
#include "gui/results_view.h"
#include "gui/run_controller.h"
#include "gui/scenario_document.h"
#include "gui/scenario_form.h"
#include "gui/scenario_text.h"
#include "gui/variants.h"

namespace cairn::gui {
namespace {

constexpr int kProgressSteps = 1000;
constexpr int kMaxReplicates = 1000;
constexpr double kMaxBias = 1e6;  // cairn plan's own bound on --bias

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  document_ = new ScenarioDocument(this);
  controller_ = new RunController(RunController::default_binary(), this);
  tabs_ = new QTabWidget(this);

  auto* scenario_tabs = new QTabWidget(tabs_);
  auto* scroll = new QScrollArea(scenario_tabs);
  form_ = new ScenarioForm(document_, scroll);
  scroll->setWidget(form_);
  scroll->setWidgetResizable(true);
  yaml_ = new QPlainTextEdit(scenario_tabs);
  yaml_->setFont(QFont("DejaVu Sans Mono"));
  yaml_->setLineWrapMode(QPlainTextEdit::NoWrap);
  scenario_tabs->addTab(scroll, "Form");
  scenario_tabs->addTab(yaml_, "YAML");
  charts_ = new ResultsView(tabs_);
  replay_ = new ReplayPanel(tabs_);
  compare_view_ = new ResultsView(tabs_);
  choose_view_ = new ChooseView(tabs_);
  tabs_->addTab(scenario_tabs, "Scenario");
  tabs_->addTab(charts_, "Charts");
  tabs_->addTab(replay_, "Replay");
  tabs_->addTab(compare_view_, "Compare");
  tabs_->addTab(choose_view_, "Choose");
  setCentralWidget(tabs_);

  progress_ = new QProgressBar(this);
  progress_->setRange(0, kProgressSteps);
  progress_->setValue(0);
  progress_->setMaximumWidth(320);
  status_ = new QLabel(this);
  statusBar()->addWidget(status_, 1);
  statusBar()->addPermanentWidget(progress_);
  build_actions();

  connect(document_, &ScenarioDocument::changed, this, &MainWindow::on_document_changed);
  connect(yaml_, &QPlainTextEdit::textChanged, this, [this] { document_->set_text(yaml_->toPlainText()); });
  connect(controller_, &RunController::progress, this, &MainWindow::on_progress);
  connect(controller_, &RunController::finished, this, &MainWindow::on_finished);
  connect(controller_, &RunController::failed, this, [this](const QString& m) { on_ended(false, m); });
  connect(controller_, &RunController::cancelled, this, [this] { on_ended(false, "cancelled"); });
  connect(choose_view_, &ChooseView::plan_requested, this, [this] { plan_recommendation(); });
  connect(choose_view_, &ChooseView::ended, this, [this](bool ok, const QString& m) {
    if (ok) tabs_->setCurrentWidget(choose_view_);
    export_action_->setEnabled(!results_.empty() || !compare_results_.empty() || choose_view_->result());
    status_->setText(m);
    emit choice_ended(ok, m);
  });
  resize(1600, 1050);
  on_document_changed();
}

MainWindow::~MainWindow() = default;

void MainWindow::build_actions() {
  QToolBar* bar = addToolBar("Planner");
  bar->setMovable(false);
  bar->addAction("Open…", this, &MainWindow::open_dialog);
  bar->addAction("Save", this, [this] { save(false); });
  bar->addAction("Save as…", this, [this] { save(true); });
  bar->addSeparator();
  bar->addWidget(new QLabel(" Replicates ", bar));
  runs_ = new QSpinBox(bar);
  runs_->setRange(1, kMaxReplicates);
  runs_->setToolTip("Independent runs with derived seeds; key figures show 95 % intervals");
  bar->addWidget(runs_);
  nines_ = new QCheckBox("Estimate durability (nines)", bar);
  nines_->setToolTip("cairn plan --nines: failures that would lose a group are suppressed and their hazard "
                     "integrated, so P(group loss) and its nines are estimated even when no run loses data; "
                     "the other figures are then of runs without group loss");
  bar->addWidget(nines_);
  bar->addWidget(new QLabel(" bias ", bar));
  bias_ = new QDoubleSpinBox(bar);
  bias_->setRange(1, kMaxBias);
  bias_->setDecimals(1);
  bias_->setValue(1);
  bias_->setEnabled(false);
  bias_->setToolTip("cairn plan --bias: disks of degraded groups fail this many times as often, each run "
                    "weighted by its likelihood ratio; 1 is none. For schemes tolerating two or more losses at "
                    "high nines");
  bar->addWidget(bias_);
  connect(nines_, &QCheckBox::toggled, bias_, &QWidget::setEnabled);
  run_action_ = bar->addAction("Run", this, [this] { run(); });
  bar->addSeparator();
  variants_ = new QLineEdit("replica:3, ec:4+2, ec:8+3", bar);
  variants_->setToolTip("Two to four variants: replica:N, ec:K+M, fixed, declustered, disk, node, rack; "
                        "combine with '/', e.g. ec:8+3/declustered");
  variants_->setMinimumWidth(240);
  bar->addWidget(variants_);
  compare_action_ = bar->addAction("Compare", this, [this] { compare(variants_->text().split(',')); });
  bar->addSeparator();
  cancel_action_ = bar->addAction("Cancel", this, &MainWindow::cancel);
  export_action_ = bar->addAction("Export…", this, &MainWindow::export_dialog);
  cancel_action_->setEnabled(false);
  export_action_->setEnabled(false);
}

void MainWindow::set_runs(int runs) { runs_->setValue(runs); }

void MainWindow::set_durability(bool nines, double bias) {
  nines_->setChecked(nines);
  bias_->setValue(bias);
}

bool MainWindow::open_scenario(const QString& path, QString* error) {
  if (!document_->load(path, error)) return false;
  QSignalBlocker block(yaml_);
  yaml_->setPlainText(document_->text());
  return true;
}

void MainWindow::on_document_changed() {
  if (yaml_->toPlainText() != document_->text()) {  // a form edit: show it in the YAML
    QSignalBlocker block(yaml_);
    int position = yaml_->textCursor().position();
    yaml_->setPlainText(document_->text());
    QTextCursor cursor = yaml_->textCursor();
    cursor.setPosition(std::min(position, static_cast<int>(document_->text().size())));
    yaml_->setTextCursor(cursor);
  }
  const bool idle = !controller_->running();
  run_action_->setEnabled(idle && document_->valid());
  compare_action_->setEnabled(idle && document_->valid());
  setWindowTitle(document_->display_name() + (document_->modified() ? " *" : "") + " — Cairn planner");
  if (idle) status_->setText(document_->valid() ? "Ready" : QString::fromStdString(document_->error()->full));
}

bool MainWindow::run(const QString& label) {
  RunJob job{label.isEmpty() ? QString::fromStdString(document_->scenario().name) : label, document_->text(),
             QDir(work_.path()).filePath("run")};
  return start({job}, false);
}

bool MainWindow::compare(const QStringList& variants) {
  std::vector<RunJob> jobs;
  QStringList names;
  for (const QString& v : variants)
    for (const std::string& name : parse_variants(v.toStdString())) names << QString::fromStdString(name);
  if (names.size() < 2 || names.size() > static_cast<qsizetype>(kMaxVariants)) {
    status_->setText(QString("Compare takes 2 to %1 variants, got %2").arg(kMaxVariants).arg(names.size()));
    return false;
  }
  for (qsizetype i = 0; i < names.size(); ++i) {
    Result<std::string> text = apply_variant(document_->text().toStdString(), names[i].toStdString());
    if (!text) return status_->setText(QString::fromStdString(text.status().message())), false;
    ScenarioDocument check;
    check.set_text(QString::fromStdString(*text));
    if (!check.valid())
      return status_->setText(names[i] + ": " + QString::fromStdString(check.error()->full)), false;
    jobs.push_back({names[i], QString::fromStdString(*text),
                    QDir(work_.path()).filePath(QString("compare-%1").arg(i))});
  }
  return start(std::move(jobs), true);
}

bool MainWindow::start(std::vector<RunJob> jobs, bool comparison) {
  if (!document_->valid()) {
    status_->setText("Not runnable: " + QString::fromStdString(document_->error()->full));
    return false;
  }
  const RunOptions options{static_cast<uint32_t>(runs_->value()), nines_->isChecked(), bias_->value()};
  if (!work_.isValid() || !controller_->start(std::move(jobs), options)) {
    status_->setText(controller_->running() ? "A run is going" : "Cannot create a working directory");
    return false;
  }
  comparison_running_ = comparison;
  last_run_yaml_ = document_->text();
  progress_->setValue(0);
  cancel_action_->setEnabled(true);
  run_action_->setEnabled(false);
  compare_action_->setEnabled(false);
  status_->setText(comparison ? "Comparing…" : "Running…");
  return true;
}

void MainWindow::cancel() { controller_->cancel(); }

void MainWindow::on_progress(int job, int jobs, int month, int months, int runs_done, int runs) {
  // Run 0's months carry the bar; with replicates, finished runs fill the rest.
  double within = runs > 1 ? 0.5 * month / months + 0.5 * runs_done / runs : double(month) / months;
  progress_->setValue(static_cast<int>(kProgressSteps * (job + within) / jobs));
  QString text = QString("simulated month %1/%2").arg(month).arg(months);
  if (runs > 1) text += QString(", replicates done %1/%2").arg(runs_done).arg(runs);
  if (jobs > 1) text = QString("variant %1/%2: ").arg(job + 1).arg(jobs) + text;
  status_->setText(text);
}

void MainWindow::on_finished(const std::vector<RunData>& results) {
  if (comparison_running_) {
    compare_results_ = results;
    compare_view_->set_runs(compare_results_);
    tabs_->setCurrentWidget(compare_view_);
  } else {
    results_ = results;
    charts_->set_runs(results_);
    replay_->set_run(results_.front());
    tabs_->setCurrentWidget(charts_);
  }
  progress_->setValue(kProgressSteps);
  on_ended(true, comparison_running_ ? "Comparison finished" : "Run finished");
}

void MainWindow::on_ended(bool ok, const QString& message) {
  cancel_action_->setEnabled(false);
  export_action_->setEnabled(!results_.empty() || !compare_results_.empty() || choose_view_->result());
  if (!ok) progress_->setValue(0);
  on_document_changed();
  status_->setText(message);
  emit run_ended(ok, message);
}

Result<QStringList> MainWindow::export_to(const QString& dir) {
  // Without a run the scenario is the one the document holds (a choice's).
  const QString yaml = results_.empty() && compare_results_.empty() ? document_->text() : last_run_yaml_;
  ReportInput input{QString::fromStdString(document_->scenario().name), document_->path(), yaml,
                    results_, compare_results_, choose_view_->result()};
  return export_report(dir, input);
}

bool MainWindow::open_choice(const QString& choose_file, QString* error) {
  QFile file(choose_file);
  if (!file.open(QIODevice::ReadOnly)) {
    if (error) *error = "cannot read " + choose_file;
    return false;
  }
  choose_view_->set_file(choose_file);
  if (!document_->path().isEmpty()) return true;
  const std::optional<std::string> scenario = get_value(file.readAll().toStdString(), "scenario");
  if (!scenario) {
    if (error) *error = choose_file + ": names no scenario";
    return false;
  }
  return open_scenario(QFileInfo(choose_file).dir().filePath(QString::fromStdString(*scenario)), error);
}

bool MainWindow::run_choice() {
  if (!choose_view_->run()) return false;
  status_->setText("Choosing…");
  return true;
}

bool MainWindow::plan_recommendation() {
  const std::optional<ChooseResult>& choice = choose_view_->result();
  const ChooseVariant* v = choice ? choice->chosen() : nullptr;
  if (!v) return status_->setText("No choice to plan"), false;
  QFile sweep(QString::fromStdString(choice->choose_file));
  const std::optional<std::string> scenario =
      sweep.open(QIODevice::ReadOnly) ? get_value(sweep.readAll().toStdString(), "scenario") : std::nullopt;
  if (!scenario) return status_->setText("Cannot read the choice's file"), false;
  sweep.seek(0);
  QFile base(QFileInfo(sweep.fileName()).dir().filePath(QString::fromStdString(*scenario)));
  if (!base.open(QIODevice::ReadOnly)) return status_->setText("Cannot read " + base.fileName()), false;
  Result<std::string> text = variant_scenario(sweep.readAll().toStdString(), base.readAll().toStdString(), *v);
  if (!text) return status_->setText(QString::fromStdString(text.status().message())), false;
  document_->set_text(QString::fromStdString(*text));
  if (!document_->valid()) return status_->setText(QString::fromStdString(document_->error()->full)), false;
  set_runs(static_cast<int>(std::max(1u, choice->replicates)));
  return run(QString::fromStdString(v->id + " " + v->label));
}

void MainWindow::open_dialog() {
  QString path = QFileDialog::getOpenFileName(this, "Open scenario", QString(), "Scenarios (*.yaml *.yml)");
  QString error;
  if (!path.isEmpty() && !open_scenario(path, &error)) QMessageBox::warning(this, "Open", error);
}

void MainWindow::save(bool as) {
  QString path = document_->path();
  if (as || path.isEmpty()) path = QFileDialog::getSaveFileName(this, "Save scenario", path, "Scenarios (*.yaml)");
  QString error;
  if (!path.isEmpty() && !document_->save(path, &error)) QMessageBox::warning(this, "Save", error);
}

void MainWindow::export_dialog() {
  QString dir = QFileDialog::getExistingDirectory(this, "Export report into");
  if (dir.isEmpty()) return;
  Result<QStringList> written = export_to(dir);
  status_->setText(written ? QString("Exported %1 files to %2").arg(written->size()).arg(dir)
                           : QString::fromStdString(written.status().message()));
}

}  // namespace cairn::gui
