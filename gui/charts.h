// Charts: the planner's one seam to its chart toolkit. Callers describe a
// chart as plain data (ChartSpec) and ask for a widget or a picture; only
// charts_qt.cc knows Qt Charts, so moving to another toolkit changes that
// file alone. GUI thread only (Qt widgets and painting).
#pragma once

#include <QImage>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <vector>

namespace cairn::gui {

enum class SeriesStyle { kLine, kStep, kMarkers };

struct SeriesSpec {
  QString name;
  std::vector<QPointF> points;  // x in the chart's x unit, sorted by x
  SeriesStyle style = SeriesStyle::kLine;
  int color = -1;       // index into the palette, so a variant keeps one colour; -1: next
  bool dashed = false;  // lines only
};

struct ChartSpec {
  QString title;
  QString x_label;  // with its unit: "years"
  QString y_label;  // with its unit: "TB"
  std::vector<SeriesSpec> series;
};

// An interactive chart: hovering a series shows its name and the value.
// `spec` is copied.
QWidget* create_chart_widget(const ChartSpec& spec, QWidget* parent);

// Replaces what a widget from create_chart_widget() shows.
void set_chart(QWidget* chart_widget, const ChartSpec& spec);

// The chart drawn offscreen at `size` pixels (PNG export, PDF report).
QImage render_chart(const ChartSpec& spec, QSize size);

}  // namespace cairn::gui
