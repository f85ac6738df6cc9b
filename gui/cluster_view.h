// ClusterView: draws one ReplayState — racks side by side, a row per node,
// a cell per disk slot coloured by state (healthy cells shade darker as they
// fill), a red ring on a slot whose disk failed during the month. Hovering a
// cell shows its disk, node, state and fill. Paints only; GUI thread only.
#pragma once

#include <QColor>
#include <QWidget>

#include "gui/replay.h"

namespace cairn::gui {

class ClusterView : public QWidget {
  Q_OBJECT

 public:
  explicit ClusterView(QWidget* parent = nullptr);

  void set_state(ReplayState state);
  const ReplayState& state() const { return state_; }
  static QColor color(SlotState state, double fill);

 protected:
  void paintEvent(class QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  struct Cell {
    QRectF rect;
    const SlotView* slot;
    uint32_t node;
  };
  std::vector<Cell> layout() const;

  ReplayState state_;
};

}  // namespace cairn::gui
