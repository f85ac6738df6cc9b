#include "gui/cluster_view.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace cairn::gui {
namespace {

constexpr double kMargin = 8, kRackGap = 14, kHeader = 18, kNodeLabel = 34;

}  // namespace

ClusterView::ClusterView(QWidget* parent) : QWidget(parent) {
  setMinimumSize(360, 240);
  setMouseTracking(true);
}

void ClusterView::set_state(ReplayState state) {
  state_ = std::move(state);
  update();
}

QColor ClusterView::color(SlotState state, double fill) {
  switch (state) {
    case SlotState::kHealthy: {
      double f = std::clamp(fill, 0.0, 1.0);  // pale green when empty, dark when full
      return QColor::fromHsvF(0.33f, static_cast<float>(0.15 + 0.8 * f), static_cast<float>(0.95 - 0.45 * f));
    }
    case SlotState::kNew: return QColor(70, 130, 230);
    case SlotState::kDown: return QColor(150, 90, 200);
    case SlotState::kFailed: return QColor(215, 40, 40);
    case SlotState::kHealing: return QColor(245, 160, 30);
    case SlotState::kRetired: return QColor(150, 150, 150);
  }
  return Qt::black;
}

std::vector<ClusterView::Cell> ClusterView::layout() const {
  std::vector<Cell> cells;
  if (state_.racks.empty()) return cells;
  size_t rows = 1, per_node = 1;
  for (const RackView& r : state_.racks) {
    rows = std::max(rows, r.nodes.size());
    for (const NodeView& n : r.nodes) per_node = std::max(per_node, n.cells.size());
  }
  const double racks = static_cast<double>(state_.racks.size());
  const double rack_w = (width() - 2 * kMargin - (racks - 1) * kRackGap) / racks;
  const double cell_w = std::max(2.0, (rack_w - kNodeLabel) / static_cast<double>(per_node));
  const double cell_h = std::max(2.0, std::min(cell_w, (height() - 2 * kMargin - kHeader) / static_cast<double>(rows)));
  for (size_t ri = 0; ri < state_.racks.size(); ++ri) {
    const RackView& rack = state_.racks[ri];
    const double x0 = kMargin + static_cast<double>(ri) * (rack_w + kRackGap) + kNodeLabel;
    for (size_t ni = 0; ni < rack.nodes.size(); ++ni) {
      const NodeView& node = rack.nodes[ni];
      const double y = kMargin + kHeader + static_cast<double>(ni) * cell_h;
      for (size_t si = 0; si < node.cells.size(); ++si) {
        if (node.cells[si].disk < 0) continue;
        cells.push_back({QRectF(x0 + static_cast<double>(si) * cell_w, y, cell_w, cell_h), &node.cells[si], node.node});
      }
    }
  }
  return cells;
}

void ClusterView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().base());
  if (state_.racks.empty()) {
    p.drawText(rect(), Qt::AlignCenter, "Run a scenario to replay its cluster");
    return;
  }
  const double racks = static_cast<double>(state_.racks.size());
  const double rack_w = (width() - 2 * kMargin - (racks - 1) * kRackGap) / racks;
  QFont small = font();
  small.setPointSizeF(std::max(6.0, small.pointSizeF() - 2));
  p.setFont(small);
  for (size_t ri = 0; ri < state_.racks.size(); ++ri)
    p.drawText(QRectF(kMargin + static_cast<double>(ri) * (rack_w + kRackGap), kMargin, rack_w, kHeader),
               Qt::AlignLeft | Qt::AlignVCenter, QString("rack %1").arg(state_.racks[ri].rack));
  std::vector<Cell> cells = layout();
  const bool outlines = !cells.empty() && cells.front().rect.width() >= 6;
  uint32_t last_node = UINT32_MAX;
  for (const Cell& c : cells) {
    if (c.node != last_node && c.rect.height() >= 9) {
      const QRectF label(c.rect.left() - kNodeLabel, c.rect.top(), kNodeLabel - 3, c.rect.height());
      p.setPen(palette().text().color());
      p.drawText(label, Qt::AlignRight | Qt::AlignVCenter, QString("n%1").arg(c.node));
    }
    last_node = c.node;
    QRectF r = c.rect.adjusted(1, 1, -1, -1);
    p.fillRect(r, color(c.slot->state, c.slot->fill));
    if (outlines) {
      p.setPen(QPen(palette().mid().color(), 1));
      p.drawRect(r);
    }
    if (c.slot->failed_in_month) {
      p.setPen(QPen(QColor(200, 0, 0), std::max(1.5, r.width() / 8)));
      p.drawRect(r.adjusted(1, 1, -1, -1));
    }
  }
}

bool ClusterView::event(QEvent* e) {
  if (e->type() != QEvent::ToolTip) return QWidget::event(e);
  auto* help = static_cast<QHelpEvent*>(e);
  for (const Cell& c : layout()) {
    if (!c.rect.contains(help->pos())) continue;
    QString text = QString("disk %1 on node %2\n%3, %4 % full")
                       .arg(c.slot->disk)
                       .arg(c.node)
                       .arg(to_string(c.slot->state))
                       .arg(c.slot->fill * 100, 0, 'f', 1);
    if (c.slot->failed_in_month) text += "\na disk of this slot failed this month";
    QToolTip::showText(help->globalPos(), text, this);
    return true;
  }
  QToolTip::hideText();
  e->ignore();
  return true;
}

}  // namespace cairn::gui
