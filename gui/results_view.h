// ResultsView: the charts of one run, or of a comparison's runs overlaid,
// and beneath them the key-figures table, the capacity waterfall and how the
// durability was estimated, with its warnings. A chart
// the runs have no data for (cost, for runs made before costs were
// modelled) is hidden, as is an empty waterfall. GUI thread only.
#pragma once

#include <QString>
#include <QWidget>

#include <vector>

#include "gui/run_results.h"

class QGridLayout;
class QLabel;
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
  // Charts shown for the current runs.
  int chart_count() const;
  // The chart with file stem `stem` ("cost"), or null if it was never shown.
  QWidget* chart(const QString& stem) const;

 private:
  QGridLayout* grid_;
  std::vector<QWidget*> charts_;  // in grid order, named by stem; hidden when the runs lack its data
  QTableWidget* table_;
  QTableWidget* waterfall_;
  QLabel* notes_;
};

}  // namespace cairn::gui
