#include "gui/results_view.h"

#include <algorithm>

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "gui/chart_specs.h"
#include "gui/figures.h"
#include "gui/purchase_plan.h"

namespace cairn::gui {
namespace {

constexpr int kGridColumns = 3;

QTableWidget* make_table(QWidget* parent) {
  auto* table = new QTableWidget(parent);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table->verticalHeader()->setDefaultSectionSize(22);
  return table;
}

void fill_table(QTableWidget* table, const FiguresTable& t) {
  table->clear();
  table->setRowCount(static_cast<int>(t.rows.size()));
  table->setColumnCount(static_cast<int>(t.columns.size()));
  QStringList columns, rows;
  for (const std::string& c : t.columns) columns << QString::fromStdString(c);
  for (const std::string& r : t.rows) rows << QString::fromStdString(r);
  table->setHorizontalHeaderLabels(columns);
  table->setVerticalHeaderLabels(rows);
  for (size_t r = 0; r < t.rows.size(); ++r)
    for (size_t c = 0; c < t.columns.size(); ++c)
      table->setItem(static_cast<int>(r), static_cast<int>(c),
                     new QTableWidgetItem(QString::fromStdString(t.cells[r][c])));
}

}  // namespace

ResultsView::ResultsView(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  auto* split = new QSplitter(Qt::Vertical, this);
  auto* grid_host = new QWidget(split);
  grid_ = new QGridLayout(grid_host);
  grid_->setContentsMargins(0, 0, 0, 0);
  for (const NamedChart& c : all_charts({})) {
    QWidget* chart = create_chart_widget(c.spec, grid_host);
    chart->setObjectName(c.stem);
    charts_.push_back(chart);
  }
  details_ = new QTabWidget(split);
  auto* below = new QWidget(details_);
  auto* below_v = new QVBoxLayout(below);
  below_v->setContentsMargins(0, 0, 0, 0);
  auto* tables = new QWidget(below);
  auto* h = new QHBoxLayout(tables);
  h->setContentsMargins(0, 0, 0, 0);
  table_ = make_table(tables);
  waterfall_ = make_table(tables);
  waterfall_->setToolTip("From raw capacity at the horizon's end down to what can safely be filled");
  h->addWidget(table_, 3);
  h->addWidget(waterfall_, 2);
  notes_ = new QLabel(below);
  notes_->setWordWrap(true);
  notes_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  below_v->addWidget(tables, 1);
  below_v->addWidget(notes_);
  auto* plan = new QWidget(details_);
  auto* plan_v = new QVBoxLayout(plan);
  purchase_note_ = new QLabel(plan);
  purchase_note_->setWordWrap(true);
  purchases_ = make_table(plan);
  purchases_->setToolTip("Each purchase: the year it arrives over the runs, when to order it (the lead time "
                         "before), what it holds and costs");
  by_year_ = make_table(plan);
  by_year_->setToolTip("What arrives each year, means over the runs");
  plan_v->addWidget(purchase_note_);
  plan_v->addWidget(purchases_, 1);
  plan_v->addWidget(by_year_, 2);
  details_->addTab(below, "Key figures");
  details_->addTab(plan, "Purchase plan");
  split->addWidget(grid_host);
  split->addWidget(details_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  split->setSizes({700, 250});
  v->addWidget(split);
  set_runs({});
}

int ResultsView::chart_count() const {
  return static_cast<int>(std::count_if(charts_.begin(), charts_.end(), [](QWidget* c) { return !c->isHidden(); }));
}

QWidget* ResultsView::chart(const QString& stem) const {
  for (QWidget* c : charts_)
    if (c->objectName() == stem) return c;
  return nullptr;
}

void ResultsView::set_runs(const std::vector<RunData>& runs) {
  std::vector<const RunData*> ptrs;
  for (const RunData& r : runs) ptrs.push_back(&r);
  const std::vector<NamedChart> specs = all_charts(ptrs);
  for (QWidget* c : charts_) c->hide();
  for (const NamedChart& s : specs) {
    QWidget* c = chart(s.stem);
    if (!c) {  // first runs with this chart's data (cost)
      c = create_chart_widget(s.spec, grid_->parentWidget());
      c->setObjectName(s.stem);
      charts_.push_back(c);
    } else {
      set_chart(c, s.spec);
    }
  }
  // Shown charts fill the grid in order, so a hidden one leaves no hole.
  for (QWidget* c : charts_) grid_->removeWidget(c);
  int shown = 0;
  for (const NamedChart& s : specs) {
    QWidget* c = chart(s.stem);
    grid_->addWidget(c, shown / kGridColumns, shown % kGridColumns);
    c->show();
    ++shown;
  }
  fill_table(table_, key_figures(ptrs));
  const FiguresTable waterfall = capacity_waterfall(ptrs);
  fill_table(waterfall_, waterfall);
  waterfall_->setVisible(!waterfall.rows.empty());
  QStringList notes;
  for (const std::string& n : durability_notes(ptrs)) notes << QString::fromStdString(n);
  notes_->setText(notes.join('\n'));
  notes_->setVisible(!notes.isEmpty());
  show_purchase_plan(runs);
}

void ResultsView::show_purchase_plan(const std::vector<RunData>& runs) {
  QStringList missing, broken;
  // One per run, in order; a run without a plan has an empty one ("—" in a comparison).
  std::vector<std::pair<std::string, PurchasePlan>> plans;
  bool any = false;
  for (const RunData& r : runs) {
    Result<std::optional<PurchasePlan>> plan = purchase_plan_from(r.summary);
    if (!plan) broken << QString::fromStdString(r.label + ": " + plan.status().message());
    else if (!plan->has_value()) missing << QString::fromStdString(r.label);
    any |= plan && plan->has_value();
    plans.emplace_back(r.label, plan && plan->has_value() ? std::move(**plan) : PurchasePlan{});
  }
  const std::string currency = runs.empty() ? std::string() : runs.front().currency;
  if (runs.size() == 1 && any) {
    fill_table(purchases_, purchases_table(plans.front().second, currency));
    fill_table(by_year_, gui::by_year_table(plans.front().second, currency));
  } else {
    fill_table(purchases_, compare_purchases_table(plans, currency));
    fill_table(by_year_, {});
  }
  purchases_->setVisible(any);
  by_year_->setVisible(runs.size() == 1 && any);
  QStringList note;
  if (!missing.isEmpty())
    note << (runs.size() == 1 ? QString(kNoPurchasePlan) : "Purchase plan: not in the summary of " + missing.join(", ") +
                                                               " (made before cairn plan wrote one).");
  note << broken;
  purchase_note_->setText(note.join('\n'));
  purchase_note_->setVisible(!note.isEmpty());
}

}  // namespace cairn::gui
