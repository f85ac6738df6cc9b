// ReplayPanel: the cluster view with a time slider and a play button that
// step through the horizon month by month, a legend, and the month's events.
// GUI thread only.
#pragma once

#include <QWidget>

#include "gui/run_results.h"

class QLabel;
class QListWidget;
class QPushButton;
class QSlider;
class QTimer;

namespace cairn::gui {

class ClusterView;

class ReplayPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ReplayPanel(QWidget* parent = nullptr);

  // Shows `run` (copied) from month 0.
  void set_run(const RunData& run);
  QSlider* slider() const { return slider_; }
  QPushButton* play_button() const { return play_; }
  ClusterView* view() const { return view_; }
  bool playing() const;

 private:
  void show_month(int month);
  void toggle_play();

  RunData run_;
  ClusterView* view_;
  QSlider* slider_;
  QPushButton* play_;
  QLabel* caption_;
  QListWidget* events_;
  QTimer* timer_;
};

}  // namespace cairn::gui
