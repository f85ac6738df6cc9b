// Charts: the planner's one seam to its chart toolkit. Callers describe a
// chart as plain data (ChartSpec) and ask for a widget or a picture; only
// charts_qt.cc knows Qt Charts, so moving to another toolkit changes that
// file alone. GUI thread only (Qt widgets and painting).
#pragma once

#include <QFont>
#include <QImage>
#include <QPainter>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

namespace cairn::gui {

// kBars: each point (x, v) is a bar of height v over the x unit ending at x
// (year 3's amount stands over years 2 to 3); bars series stack on one
// another in the order they are given, so their tops show the sum.
// kBand: the area between `lower` and `points` (an interval), lightly filled.
// kSpans (charts with `rows`): each point (r, v) is a horizontal bar on row r
// (rows[r], row 0 on top) from the chart's `origin` to v, on the x axis.
enum class SeriesStyle { kLine, kStep, kMarkers, kBars, kBand, kSpans };

// Palette index of black, for a total drawn over coloured parts.
inline constexpr int kBlack = 8;

struct SeriesSpec {
  QString name;
  std::vector<QPointF> points;  // x in the chart's x unit, sorted by x
  SeriesStyle style = SeriesStyle::kLine;
  int color = -1;       // index into the palette, so a variant keeps one colour; -1: next
  bool dashed = false;  // lines only
  bool right_axis = false;  // against the chart's y2 axis (y2_label)
  std::vector<QPointF> lower = {};  // kBand: the lower edge, at the same x as `points`
};

struct ChartSpec {
  QString title;
  QString x_label;  // with its unit: "years"
  QString y_label;  // with its unit: "TB"
  std::vector<SeriesSpec> series;
  QString y2_label = {};  // the right axis's title, for series with right_axis
  // Sentences under the plot (what was clipped, why nothing is drawn);
  // wrapped to the chart's width.
  QString caption = {};
  double y_max = 0;  // the y axis's top, with a tick every whole unit up to 10; 0: from the data
  // Not empty: a chart of horizontal bars (kSpans series) on these rows,
  // named on the y axis, the x axis in x_label's unit around `origin`,
  // which is drawn as a vertical line.
  QStringList rows = {};
  double origin = 0;
};

// An interactive chart: hovering a series shows its name and the value.
// `spec` is copied.
QWidget* create_chart_widget(const ChartSpec& spec, QWidget* parent);

// Replaces what a widget from create_chart_widget() shows.
void set_chart(QWidget* chart_widget, const ChartSpec& spec);

// What a widget from create_chart_widget() shows, or null for another
// widget; lets tests read the numbers on screen without the toolkit.
const ChartSpec* shown_chart(const QWidget* chart_widget);

// The chart drawn offscreen at `size` pixels (PNG export), its text sized
// for print: at 1600 pixels across an A4 page's text width, the smallest
// text is 9 pt.
QImage render_chart(const ChartSpec& spec, QSize size);

// The chart drawn onto `painter` within `target` (a PDF page), as vectors
// with its text as text: laid out at kPaintWidthPx across, text sized as
// render_chart's for that width.
inline constexpr double kPaintWidthPx = 1000;

// Text that a PDF reader finds as typed: without shaping, the font's
// ligatures are not applied, which would otherwise put the single glyph
// "ﬁ" for "fi" into the PDF's text ("ﬁle", "peak ﬁll").
inline void searchable(QFont& font) {
  font.setStyleStrategy(QFont::StyleStrategy(font.styleStrategy() | QFont::PreferNoShaping));
}
void paint_chart(const ChartSpec& spec, QPainter& painter, const QRectF& target);

}  // namespace cairn::gui
