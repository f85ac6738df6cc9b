// ResultsView: the charts of one run, or of a comparison's runs overlaid,
// and beneath them, in tabs, the key-figures table, the capacity waterfall
// and how the durability was estimated, with its warnings; and the purchase
// plan (one run: each purchase with its spread over runs, and the plan by
// year; a comparison: each variant's purchases by year). A chart
// the runs have no data for (cost, for runs made before costs were
// modelled) is hidden, as is an empty waterfall. GUI thread only.
#pragma once

#include <QString>
#include <QWidget>

#include <vector>

#include "gui/run_results.h"

class QGridLayout;
class QLabel;
class QTabWidget;
class QTableWidget;

namespace cairn::gui {

class ResultsView : public QWidget {
  Q_OBJECT

 public:
  explicit ResultsView(QWidget* parent = nullptr);

  void set_runs(const std::vector<RunData>& runs);
  QTableWidget* table() const { return table_; }
  QTableWidget* waterfall_table() const { return waterfall_; }
  // The durability method and warnings; hidden when no run has an estimate.
  QLabel* durability_notes_label() const { return notes_; }
  // One run: each purchase (purchases_table()); a comparison: each
  // variant's purchases by year (compare_purchases_table()).
  QTableWidget* purchase_table() const { return purchases_; }
  // One run: the plan by year (by_year_table()); hidden for a comparison.
  QTableWidget* by_year_table() const { return by_year_; }
  // Says when a run's summary has no purchase plan; hidden otherwise.
  QLabel* purchase_note_label() const { return purchase_note_; }
  QTabWidget* detail_tabs() const { return details_; }
  // Charts shown for the current runs.
  int chart_count() const;
  // The chart with file stem `stem` ("cost"), or null if it was never shown.
  QWidget* chart(const QString& stem) const;

 private:
  void show_purchase_plan(const std::vector<RunData>& runs);

  QGridLayout* grid_;
  std::vector<QWidget*> charts_;  // in grid order, named by stem; hidden when the runs lack its data
  QTableWidget* table_;
  QTableWidget* waterfall_;
  QLabel* notes_;
  QTabWidget* details_;
  QTableWidget* purchases_;
  QTableWidget* by_year_;
  QLabel* purchase_note_;
};

}  // namespace cairn::gui
