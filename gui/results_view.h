// ResultsView: the charts of one run, or of a comparison's runs overlaid,
// and the key-figures table beneath them. GUI thread only.
#pragma once

#include <QWidget>

#include <vector>

#include "gui/run_results.h"

class QTableWidget;

namespace cairn::gui {

class ResultsView : public QWidget {
  Q_OBJECT

 public:
  explicit ResultsView(QWidget* parent = nullptr);

  void set_runs(const std::vector<RunData>& runs);
  QTableWidget* table() const { return table_; }
  int chart_count() const { return static_cast<int>(charts_.size()); }

 private:
  std::vector<QWidget*> charts_;
  QTableWidget* table_;
};

}  // namespace cairn::gui
