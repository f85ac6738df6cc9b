// The Qt Charts implementation of charts.h: the only file that includes
// Qt Charts.
#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "gui/charts.h"

namespace cairn::gui {
namespace {

// Distinct colours that survive print and colour-blindness (Okabe-Ito),
// then black (kBlack).
QColor palette_color(int i) {
  static const QColor kColors[] = {QColor(0, 114, 178), QColor(230, 159, 0), QColor(0, 158, 115),
                                   QColor(204, 121, 167), QColor(213, 94, 0), QColor(86, 180, 233),
                                   QColor(120, 120, 120), QColor(240, 228, 66), QColor(0, 0, 0)};
  return kColors[static_cast<size_t>(i) % std::size(kColors)];
}

// The gap either side of a bar, in x units, so that neighbouring years read
// as separate amounts.
constexpr double kBarGap = 0.12;

// A chart view that remembers its spec (shown_chart()).
void fit_caption(QChart* chart, QSizeF size);

class SpecChartView : public QChartView {
 public:
  SpecChartView(QChart* chart, QWidget* parent) : QChartView(chart, parent) {}
  ChartSpec spec;

 protected:
  void resizeEvent(QResizeEvent* event) override {
    if (chart()) fit_caption(chart(), viewport()->size());
    QChartView::resizeEvent(event);
  }
};

// Bars as areas on the chart's value axes, so they share the years axis
// with the line charts: each bar is a block between the tops of the bars
// below it (`stack`, by x, updated) and its own top.
QAreaSeries* make_bars(const SeriesSpec& s, const QColor& color, std::map<double, double>& stack) {
  auto* upper = new QLineSeries;
  auto* lower = new QLineSeries;
  for (const QPointF& p : s.points) {
    double& top = stack[p.x()];
    const double left = p.x() - 1 + kBarGap, right = p.x() - kBarGap;
    // Down to the axis between bars, where both edges meet and nothing is filled.
    lower->append({QPointF(left, 0), QPointF(left, top), QPointF(right, top), QPointF(right, 0)});
    top += std::max(0.0, p.y());
    upper->append({QPointF(left, 0), QPointF(left, top), QPointF(right, top), QPointF(right, 0)});
  }
  auto* area = new QAreaSeries(upper, lower);
  upper->setParent(area);  // the area series does not own its edges
  lower->setParent(area);
  area->setName(s.name);
  area->setColor(color);
  area->setBorderColor(color);
  return area;
}

// The bar's own amount (not the stack's top) under the pointer.
double bar_value(const SeriesSpec& s, double x) {
  for (const QPointF& p : s.points)
    if (x > p.x() - 1 && x <= p.x()) return p.y();
  return 0;
}

// An interval as a translucent area, so the mean's line drawn over it and
// the other variants' bands stay visible.
QAreaSeries* make_band(const SeriesSpec& s, const QColor& color) {
  auto* upper = new QLineSeries;
  auto* lower = new QLineSeries;
  for (const QPointF& p : s.points) upper->append(p);
  for (const QPointF& p : s.lower) lower->append(p);
  auto* area = new QAreaSeries(upper, lower);
  upper->setParent(area);
  lower->setParent(area);
  area->setName(s.name);
  QColor fill = color;
  fill.setAlpha(70);
  area->setColor(fill);
  area->setPen(Qt::NoPen);
  return area;
}

// The band's interval at the year nearest `x`, for its tooltip.
QString band_text(const SeriesSpec& s, double x) {
  size_t best = 0;
  for (size_t i = 1; i < s.points.size(); ++i)
    if (std::abs(s.points[i].x() - x) < std::abs(s.points[best].x() - x)) best = i;
  if (s.points.empty() || best >= s.lower.size()) return s.name;
  return QStringLiteral("%1\n%2 years\n%3 – %4")
      .arg(s.name)
      .arg(s.points[best].x(), 0, 'g', 4)
      .arg(s.lower[best].y(), 0, 'g', 4)
      .arg(s.points[best].y(), 0, 'g', 4);
}

// The caption under the plot (ChartSpec::caption), a child item of the
// chart found again by this tag.
constexpr int kCaptionTag = 0x43415054;

QGraphicsTextItem* caption_of(QChart* chart) {
  for (QGraphicsItem* child : chart->childItems())
    if (child->data(0).toInt() == kCaptionTag) return static_cast<QGraphicsTextItem*>(child);
  return nullptr;
}

// Wraps the caption to a chart of `size` and makes the chart's bottom margin
// its height. Called before the chart takes that size, so that the layout of
// axes, plot and legend already leaves room for it.
void fit_caption(QChart* chart, QSizeF size) {
  QGraphicsTextItem* item = caption_of(chart);
  if (!item) return;
  item->setTextWidth(std::max(100.0, size.width() - 24));
  const double h = item->boundingRect().height();
  QMargins m = chart->margins();
  m.setBottom(static_cast<int>(h) + 6);
  chart->setMargins(m);
  item->setPos(12, size.height() - h - 2);
}

void add_caption(QChart* chart, const QString& text) {
  if (text.isEmpty()) return;
  auto* item = new QGraphicsTextItem(chart);
  item->setData(0, kCaptionTag);
  item->setPlainText(text);
  QFont font = chart->font();
  font.setPointSizeF(8.5);
  item->setFont(font);
  // Kept at the bottom however the chart is resized; fit_caption() has set
  // the margin for that size.
  QObject::connect(chart, &QGraphicsWidget::geometryChanged, chart, [chart, item] {
    item->setPos(12, chart->rect().height() - item->boundingRect().height() - 2);
  });
  fit_caption(chart, chart->size());
}

QXYSeries* make_series(const SeriesSpec& s, const QColor& color) {
  QXYSeries* series = nullptr;
  if (s.style == SeriesStyle::kMarkers) {
    auto* scatter = new QScatterSeries;
    scatter->setMarkerSize(9);
    series = scatter;
  } else {
    series = new QLineSeries;
  }
  series->setName(s.name);
  if (s.style == SeriesStyle::kMarkers) {
    series->setColor(color);
    static_cast<QScatterSeries*>(series)->setBorderColor(color.darker(130));
  } else {
    series->setPen(QPen(color, 2, s.dashed ? Qt::DashLine : Qt::SolidLine));
  }
  for (size_t i = 0; i < s.points.size(); ++i) {
    // A step series holds each value until the next point.
    if (s.style == SeriesStyle::kStep && i > 0) series->append(s.points[i].x(), s.points[i - 1].y());
    series->append(s.points[i]);
  }
  return series;
}

// A "nice" upper bound so axes read 0, 50, 100 rather than 0, 47.3.
double nice_max(double v) {
  if (v <= 0) return 1;
  double step = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * step >= v) return m * step;
  return 10 * step;
}

QString tooltip(const QString& name, double x, const QString& x_label, double y, const QString& y_label) {
  return QStringLiteral("%1\n%2 %3\n%4 %5").arg(name).arg(x, 0, 'f', 2).arg(x_label).arg(y, 0, 'g', 6).arg(y_label);
}

// Horizontal bars on named rows (ChartSpec::rows), row 0 on top, each
// from the chart's origin to its value; the origin as a vertical line.
void fill_rows_chart(QChart* chart, const ChartSpec& spec, QWidget* tooltip_owner) {
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) chart->removeAxis(axis), delete axis;
  chart->setTitle(spec.title);
  auto* x = new QValueAxis;
  x->setTitleText(spec.x_label);
  x->setLabelFormat("%g");
  auto* y = new QCategoryAxis;
  y->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
  y->setStartValue(-0.5);
  const int rows = static_cast<int>(spec.rows.size());
  for (int r = 0; r < rows; ++r) y->append(spec.rows[r].isEmpty() ? QString(" ") : spec.rows[r], r + 0.5);
  y->setRange(-0.5, rows - 0.5);
  y->setReverse(true);  // row 0 on top
  y->setGridLineVisible(false);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  double lo = spec.origin, hi = spec.origin;
  // Each series takes its own band of the row (the first above, the next
  // below), so that two ends on the same side of the origin both show.
  const double band = 0.7 / static_cast<double>(std::max<size_t>(1, spec.series.size()));
  int index = 0;
  for (const SeriesSpec& s : spec.series) {
    const double top = -0.35 + band * static_cast<double>(&s - spec.series.data());
    const QColor color = palette_color(s.color >= 0 ? s.color : index++);
    bool named = false;
    for (const QPointF& p : s.points) {
      const double a = std::min(spec.origin, p.y()), b = std::max(spec.origin, p.y());
      lo = std::min(lo, a), hi = std::max(hi, b);
      auto* upper = new QLineSeries;
      auto* lower = new QLineSeries;
      upper->append({QPointF(a, p.x() + top), QPointF(b, p.x() + top)});
      lower->append({QPointF(a, p.x() + top + band), QPointF(b, p.x() + top + band)});
      auto* bar = new QAreaSeries(upper, lower);
      upper->setParent(bar);
      lower->setParent(bar);
      bar->setName(s.name);
      bar->setColor(color);
      bar->setBorderColor(color.darker(120));
      chart->addSeries(bar);
      bar->attachAxis(x);
      bar->attachAxis(y);
      if (tooltip_owner) {
        QObject::connect(bar, &QAreaSeries::hovered, tooltip_owner,
                         [name = s.name, v = p.y(), xl = spec.x_label](const QPointF&, bool on) {
                           if (!on) return QToolTip::hideText();
                           QToolTip::showText(QCursor::pos(), QStringLiteral("%1\n%2 %3").arg(name).arg(v, 0, 'g', 6).arg(xl));
                         });
      }
      // One legend entry per series, not per bar.
      for (QLegendMarker* m : chart->legend()->markers(bar)) m->setVisible(!named);
      named = true;
    }
  }
  auto* origin = new QLineSeries;
  origin->setName("base case");
  origin->setPen(QPen(palette_color(kBlack), 2, Qt::DashLine));
  origin->append({QPointF(spec.origin, -0.5), QPointF(spec.origin, rows - 0.5)});
  chart->addSeries(origin);
  origin->attachAxis(x);
  origin->attachAxis(y);
  const double pad = std::max(hi - lo, std::abs(spec.origin) * 0.02 + 1e-9) * 0.08;
  x->setRange(lo - pad, hi + pad);
  x->applyNiceNumbers();
  chart->legend()->setVisible(true);
  chart->legend()->setAlignment(Qt::AlignBottom);
  add_caption(chart, spec.caption);
}

void fill_chart(QChart* chart, const ChartSpec& spec, QWidget* tooltip_owner) {
  if (!spec.rows.isEmpty()) return fill_rows_chart(chart, spec, tooltip_owner);
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) chart->removeAxis(axis), delete axis;
  chart->setTitle(spec.title);
  auto* x = new QValueAxis;
  auto* y = new QValueAxis;
  x->setTitleText(spec.x_label);
  y->setTitleText(spec.y_label);
  x->setLabelFormat("%g");
  y->setLabelFormat("%g");
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  QValueAxis* y2 = nullptr;
  if (std::any_of(spec.series.begin(), spec.series.end(), [](const SeriesSpec& s) { return s.right_axis; })) {
    y2 = new QValueAxis;
    y2->setTitleText(spec.y2_label);
    y2->setLabelFormat("%g");
    chart->addAxis(y2, Qt::AlignRight);
  }
  double x_max = 0, y_max = 0, y2_max = 0;
  std::map<double, double> stack;  // bars' tops by x
  int index = 0;
  for (const SeriesSpec& s : spec.series) {
    const QColor color = palette_color(s.color >= 0 ? s.color : index);
    QAbstractSeries* series = nullptr;
    if (s.style == SeriesStyle::kBars) {
      QAreaSeries* bars = make_bars(s, color, stack);
      for (const QPointF& p : s.points) x_max = std::max(x_max, p.x()), y_max = std::max(y_max, stack[p.x()]);
      if (tooltip_owner) {
        QObject::connect(bars, &QAreaSeries::hovered, tooltip_owner,
                         [s, xl = spec.x_label, yl = spec.y_label](const QPointF& p, bool on) {
                           if (!on) return QToolTip::hideText();
                           const double year_end = std::ceil(p.x());
                           QToolTip::showText(QCursor::pos(), tooltip(s.name, year_end, xl, bar_value(s, p.x()), yl));
                         });
      }
      series = bars;
    } else if (s.style == SeriesStyle::kBand) {
      QAreaSeries* band = make_band(s, color);
      for (const QPointF& p : s.points) x_max = std::max(x_max, p.x()), y_max = std::max(y_max, p.y());
      if (tooltip_owner) {
        QObject::connect(band, &QAreaSeries::hovered, tooltip_owner, [s](const QPointF& p, bool on) {
          if (!on) return QToolTip::hideText();
          QToolTip::showText(QCursor::pos(), band_text(s, p.x()));
        });
      }
      series = band;
    } else {
      double& top = s.right_axis ? y2_max : y_max;
      for (const QPointF& p : s.points) x_max = std::max(x_max, p.x()), top = std::max(top, p.y());
      QXYSeries* line = make_series(s, color);
      if (tooltip_owner) {
        QObject::connect(line, &QXYSeries::hovered, tooltip_owner,
                         [name = s.name, xl = spec.x_label, yl = s.right_axis ? spec.y2_label : spec.y_label](
                             const QPointF& p, bool on) {
                           if (!on) return QToolTip::hideText();
                           QToolTip::showText(QCursor::pos(), tooltip(name, p.x(), xl, p.y(), yl));
                         });
      }
      series = line;
    }
    ++index;
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(s.right_axis && y2 ? y2 : y);
  }
  // Years: a tick every 1, 2 or 5 years so that labels fit a small chart.
  const double x_end = x_max > 0 ? std::ceil(x_max) : 1;
  const double step = x_end <= 5 ? 1 : x_end <= 10 ? 2 : 5;
  x->setRange(0, std::ceil(x_end / step) * step);
  x->setTickType(QValueAxis::TicksDynamic);
  x->setTickAnchor(0);
  x->setTickInterval(step);
  x->setMinorTickCount(static_cast<int>(step) - 1);
  if (spec.y_max > 0) {
    y->setRange(0, spec.y_max);
    y->setTickType(QValueAxis::TicksDynamic);
    y->setTickAnchor(0);
    y->setTickInterval(spec.y_max <= 10 ? 1 : nice_max(spec.y_max / 10));
  } else {
    y->setRange(0, nice_max(y_max * 1.05));
    y->setTickCount(6);
  }
  if (y2) {
    y2->setRange(0, nice_max(y2_max * 1.05));
    y2->setTickCount(6);
  }
  // Many series: a column at the right, where each name has a line to itself.
  chart->legend()->setVisible(spec.series.size() > 1);
  chart->legend()->setAlignment(spec.series.size() > 4 ? Qt::AlignRight : Qt::AlignBottom);
  QFont legend_font = chart->legend()->font();
  legend_font.setPointSizeF(spec.series.size() > 4 ? 7.5 : 8.5);
  chart->legend()->setFont(legend_font);
  add_caption(chart, spec.caption);
}

}  // namespace

QWidget* create_chart_widget(const ChartSpec& spec, QWidget* parent) {
  auto* chart = new QChart;
  auto* view = new SpecChartView(chart, parent);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumSize(320, 240);
  fill_chart(chart, spec, view);
  view->spec = spec;
  return view;
}

void set_chart(QWidget* chart_widget, const ChartSpec& spec) {
  // A fresh chart each time: Qt Charts keeps stale layout (elided labels of
  // the old axes) when axes are swapped on a live chart.
  auto* view = dynamic_cast<SpecChartView*>(chart_widget);
  if (!view) return;
  auto* chart = new QChart;
  fill_chart(chart, spec, view);
  fit_caption(chart, view->viewport()->size());
  QChart* old = view->chart();
  view->setChart(chart);
  delete old;
  view->spec = spec;
}

const ChartSpec* shown_chart(const QWidget* chart_widget) {
  auto* view = dynamic_cast<const SpecChartView*>(chart_widget);
  return view ? &view->spec : nullptr;
}

namespace {

// Text sized for print: every font a share of the chart's width, so that a
// chart printed across an A4 page's text width (180 mm) shows its smallest
// text, the axes' numbers, at 9 pt (kPrintTextShare x 180 mm = 3.2 mm).
constexpr double kPrintTextShare = 0.0176;

void set_print_fonts(QChart* chart, double width_px) {
  auto font = [&](double share, bool bold) {
    QFont f("DejaVu Sans");
    f.setPixelSize(std::max(1, static_cast<int>(std::lround(width_px * share))));
    f.setBold(bold);
    searchable(f);
    return f;
  };
  chart->setTitleFont(font(kPrintTextShare * 1.3, true));
  for (QAbstractAxis* axis : chart->axes()) {
    axis->setLabelsFont(font(kPrintTextShare, false));
    axis->setTitleFont(font(kPrintTextShare * 1.1, false));
  }
  chart->legend()->setFont(font(kPrintTextShare, false));
  if (QGraphicsTextItem* caption = caption_of(chart)) caption->setFont(font(kPrintTextShare, false));
}

// The chart laid out offscreen at `size` scene pixels, fonts for print,
// drawn by `paint` onto its scene; for pictures and PDF pages alike.
void with_chart_scene(const ChartSpec& spec, QSizeF size, const std::function<void(QGraphicsScene&)>& paint) {
  QChart chart;
  fill_chart(&chart, spec, nullptr);
  chart.setAnimationOptions(QChart::NoAnimation);
  set_print_fonts(&chart, size.width());
  QGraphicsScene scene;
  scene.addItem(&chart);
  fit_caption(&chart, size);
  chart.resize(size);
  // Laid out now rather than on the next event loop turn, so a caption's
  // margin (set as the chart took its size) is in the picture.
  if (chart.layout()) chart.layout()->activate();
  paint(scene);
  scene.removeItem(&chart);
}

}  // namespace

QImage render_chart(const ChartSpec& spec, QSize size) {
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  with_chart_scene(spec, size, [&](QGraphicsScene& scene) {
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    scene.render(&painter, QRectF(QPointF(0, 0), size), QRectF(QPointF(0, 0), size));
  });
  return image;
}

void paint_chart(const ChartSpec& spec, QPainter& painter, const QRectF& target) {
  const QSizeF size(kPaintWidthPx, kPaintWidthPx * target.height() / target.width());
  with_chart_scene(spec, size, [&](QGraphicsScene& scene) {
    scene.render(&painter, target, QRectF(QPointF(0, 0), size));
  });
}

}  // namespace cairn::gui
