#include "gui/results_view.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "gui/chart_specs.h"
#include "gui/figures.h"

namespace cairn::gui {

ResultsView::ResultsView(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  auto* split = new QSplitter(Qt::Vertical, this);
  auto* grid_host = new QWidget(split);
  auto* grid = new QGridLayout(grid_host);
  grid->setContentsMargins(0, 0, 0, 0);
  std::vector<NamedChart> empty = all_charts({});
  for (size_t i = 0; i < empty.size(); ++i) {
    QWidget* chart = create_chart_widget(empty[i].spec, grid_host);
    chart->setObjectName(empty[i].stem);
    grid->addWidget(chart, static_cast<int>(i / 3), static_cast<int>(i % 3));
    charts_.push_back(chart);
  }
  table_ = new QTableWidget(split);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  split->addWidget(grid_host);
  split->addWidget(table_);
  table_->verticalHeader()->setDefaultSectionSize(22);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  split->setSizes({700, 250});
  v->addWidget(split);
}

void ResultsView::set_runs(const std::vector<RunData>& runs) {
  std::vector<const RunData*> ptrs;
  for (const RunData& r : runs) ptrs.push_back(&r);
  std::vector<NamedChart> specs = all_charts(ptrs);
  for (size_t i = 0; i < specs.size() && i < charts_.size(); ++i) set_chart(charts_[i], specs[i].spec);
  FiguresTable t = key_figures(ptrs);
  table_->clear();
  table_->setRowCount(static_cast<int>(t.rows.size()));
  table_->setColumnCount(static_cast<int>(t.columns.size()));
  QStringList columns, rows;
  for (const std::string& c : t.columns) columns << QString::fromStdString(c);
  for (const std::string& r : t.rows) rows << QString::fromStdString(r);
  table_->setHorizontalHeaderLabels(columns);
  table_->setVerticalHeaderLabels(rows);
  for (size_t r = 0; r < t.rows.size(); ++r)
    for (size_t c = 0; c < t.columns.size(); ++c)
      table_->setItem(static_cast<int>(r), static_cast<int>(c), new QTableWidgetItem(QString::fromStdString(t.cells[r][c])));
}

}  // namespace cairn::gui
