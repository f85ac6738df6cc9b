#include "gui/choose_view.h"

#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "gui/charts.h"
#include "gui/run_controller.h"

namespace cairn::gui {
namespace {

constexpr int kProgressSteps = 1000;

QLineEdit* constraint_field(const QString& name, const QString& placeholder, const QString& tip, QWidget* parent) {
  auto* f = new QLineEdit(parent);
  f->setObjectName(name);
  f->setPlaceholderText(placeholder);
  f->setToolTip(tip);
  return f;
}

// A field's number, or nullopt when empty; `ok` false when it is not a number.
std::optional<double> number_in(const QLineEdit* f, bool& ok) {
  QString text = f->text().trimmed();
  text.remove(',');
  text.remove('%');
  if (text.trimmed().isEmpty()) return std::nullopt;
  bool parsed = false;
  const double v = text.trimmed().toDouble(&parsed);
  ok = ok && parsed;
  return v;
}

}  // namespace

ChooseView::ChooseView(QWidget* parent) : QWidget(parent) {
  runner_ = new ChooseRunner(RunController::default_binary(), this);
  auto* v = new QVBoxLayout(this);
  auto* file_row = new QHBoxLayout;
  file_ = new QLineEdit(this);
  file_->setPlaceholderText("a choose or sweep file: scenario, replicates, set, grid, constraints, sensitivity");
  auto* browse = new QPushButton("Browse…", this);
  file_row->addWidget(new QLabel("Options to choose from:", this));
  file_row->addWidget(file_, 1);
  file_row->addWidget(browse);
  v->addLayout(file_row);

  auto* constraints = new QHBoxLayout;
  min_nines_ = constraint_field("min_nines", "from the file", "Durability: at least this many nines of P(data loss) over the horizon", this);
  max_fill_ = constraint_field("max_fill", "from the file", "Fill ceiling: the peak fill may not pass this (%)", this);
  max_heal_ = constraint_field("max_heal_h", "from the file", "Longest heal: no heal may take longer (hours)", this);
  budget_ = constraint_field("budget", "from the file", "Budget: total cost over the horizon may not pass this", this);
  for (auto [label, field] : {std::pair{"Nines ≥", min_nines_}, std::pair{"Fill ≤ (%)", max_fill_},
                              std::pair{"Heal ≤ (h)", max_heal_}, std::pair{"Budget ≤", budget_}}) {
    constraints->addWidget(new QLabel(label, this));
    constraints->addWidget(field);
  }
  sensitivity_ = new QCheckBox("Sensitivity (tornado)", this);
  sensitivity_->setChecked(true);
  sensitivity_->setToolTip("Run the file's sensitivity: each assumption (growth, AFR, price trend, heal budget) "
                           "at the low and high end of its range, to see how the recommendation and its cost move; "
                           "unticked, cairn plan --choose --no-sensitivity");
  constraints->addWidget(sensitivity_);
  run_ = new QPushButton("Choose", this);
  cancel_ = new QPushButton("Cancel", this);
  cancel_->setEnabled(false);
  plan_ = new QPushButton("Plan the recommendation", this);
  plan_->setToolTip("Run the recommended variant (else the nearest miss) as the plan: its purchase plan, charts "
                    "and figures in the Charts tab and the report");
  plan_->setEnabled(false);
  constraints->addWidget(run_);
  constraints->addWidget(cancel_);
  constraints->addWidget(plan_);
  v->addLayout(constraints);

  auto* status_row = new QHBoxLayout;
  status_ = new QLabel("Pick a file of options, set the constraints, and press Choose.", this);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, kProgressSteps);
  progress_->setMaximumWidth(320);
  status_row->addWidget(status_, 1);
  status_row->addWidget(progress_);
  v->addLayout(status_row);

  verdict_ = new QLabel(this);
  verdict_->setWordWrap(true);
  verdict_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont bold = verdict_->font();
  bold.setBold(true);
  bold.setPointSizeF(bold.pointSizeF() * 1.15);
  verdict_->setFont(bold);
  v->addWidget(verdict_);

  auto* split = new QSplitter(Qt::Vertical, this);
  table_ = new QTableWidget(split);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setWordWrap(true);
  tornado_ = create_chart_widget(ChartSpec{"Sensitivity: not run", "", "", {}, {}, {}, 0, {""}, 0}, split);
  split->addWidget(table_);
  split->addWidget(tornado_);
  split->setSizes({400, 400});
  v->addWidget(split, 1);

  connect(browse, &QPushButton::clicked, this, [this] {
    QString path = QFileDialog::getOpenFileName(this, "Options to choose from", QString(), "Choose files (*.yaml *.yml)");
    if (!path.isEmpty()) set_file(path);
  });
  connect(run_, &QPushButton::clicked, this, [this] { run(); });
  connect(cancel_, &QPushButton::clicked, this, &ChooseView::cancel);
  connect(plan_, &QPushButton::clicked, this, &ChooseView::plan_requested);
  connect(runner_, &ChooseRunner::progress, this, [this](int done, int total, const QString& what) {
    progress_->setValue(kProgressSteps * done / std::max(1, total));
    status_->setText(QString("runs finished %1/%2 (%3)").arg(done).arg(total).arg(what));
  });
  connect(runner_, &ChooseRunner::finished, this, &ChooseView::on_finished);
  connect(runner_, &ChooseRunner::failed, this, [this](const QString& m) { on_ended(false, m); });
  connect(runner_, &ChooseRunner::cancelled, this, [this] { on_ended(false, "cancelled"); });
}

void ChooseView::set_file(const QString& choose_file) { file_->setText(choose_file); }

QString ChooseView::file() const { return file_->text().trimmed(); }

QLineEdit* ChooseView::field(const QString& name) const {
  for (QLineEdit* f : {min_nines_, max_fill_, max_heal_, budget_})
    if (f->objectName() == name) return f;
  return nullptr;
}

std::optional<ChooseOptions> ChooseView::options(QString* error) const {
  ChooseOptions o;
  for (QLineEdit* f : {min_nines_, max_fill_, max_heal_, budget_}) {
    bool ok = true;
    std::optional<double> v = number_in(f, ok);
    if (!ok || (v && *v < 0)) {
      if (error) *error = f->toolTip().section(':', 0, 0) + ": expected a number, got \"" + f->text() + "\"";
      return std::nullopt;
    }
    if (f == min_nines_) o.min_nines = v;
    else if (f == max_fill_) o.max_fill = v ? std::optional<double>(*v / 100) : std::nullopt;
    else if (f == max_heal_) o.max_heal_h = v;
    else o.budget = v;
  }
  o.sensitivity = sensitivity_->isChecked();
  return o;
}

bool ChooseView::run() {
  QString error;
  const std::optional<ChooseOptions> o = options(&error);
  if (file().isEmpty()) error = "Pick a file of options first";
  if (!o || !error.isEmpty() || !work_.isValid()) {
    status_->setText(error.isEmpty() ? "Cannot create a working directory" : error);
    return false;
  }
  if (!runner_->start(QFileInfo(file()).absoluteFilePath(), QDir(work_.path()).filePath("choose"), *o)) {
    status_->setText("A choice is running");
    return false;
  }
  run_->setEnabled(false);
  cancel_->setEnabled(true);
  progress_->setValue(0);
  status_->setText("Choosing…");
  return true;
}

void ChooseView::cancel() { runner_->cancel(); }

void ChooseView::show_result(const ChooseResult& r) {
  result_ = r;
  const FiguresTable t = gui::variants_table(r);
  table_->clear();
  table_->setRowCount(static_cast<int>(t.rows.size()));
  table_->setColumnCount(static_cast<int>(t.columns.size()));
  QStringList columns, rows;
  for (const std::string& c : t.columns) columns << QString::fromStdString(c);
  for (const std::string& row : t.rows) rows << QString::fromStdString(row);
  table_->setHorizontalHeaderLabels(columns);
  table_->setVerticalHeaderLabels(rows);
  const int chosen = chosen_row(r);
  for (size_t row = 0; row < t.rows.size(); ++row)
    for (size_t c = 0; c < t.columns.size(); ++c) {
      auto* item = new QTableWidgetItem(QString::fromStdString(t.cells[row][c]));
      if (static_cast<int>(row) == chosen) {
        item->setBackground(r.recommended ? QColor(200, 235, 200) : QColor(255, 236, 200));
        QFont f = item->font();
        f.setBold(true);
        item->setFont(f);
      }
      table_->setItem(static_cast<int>(row), static_cast<int>(c), item);
    }
  table_->resizeRowsToContents();
  verdict_->setText(QString::fromStdString(r.verdict));
  plan_->setEnabled(r.chosen() != nullptr);
  set_chart(tornado_, tornado_chart(r));
}

void ChooseView::on_finished(const ChooseResult& result) {
  show_result(result);
  progress_->setValue(kProgressSteps);
  on_ended(true, "Choice finished");
}

void ChooseView::on_ended(bool ok, const QString& message) {
  run_->setEnabled(true);
  cancel_->setEnabled(false);
  if (!ok) progress_->setValue(0);
  status_->setText(message);
  emit ended(ok, message);
}

}  // namespace cairn::gui
