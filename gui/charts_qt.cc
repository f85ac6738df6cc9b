// The Qt Charts implementation of charts.h: the only file that includes
// Qt Charts.
#include <QChart>
#include <QChartView>
#include <QGraphicsScene>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "gui/charts.h"

namespace cairn::gui {
namespace {

QXYSeries* make_series(const SeriesSpec& s) {
  QXYSeries* series = nullptr;
  if (s.style == SeriesStyle::kMarkers) {
    auto* scatter = new QScatterSeries;
    scatter->setMarkerSize(9);
    series = scatter;
  } else {
    series = new QLineSeries;
  }
  series->setName(s.name);
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

void fill_chart(QChart* chart, const ChartSpec& spec, QWidget* tooltip_owner) {
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
  double x_max = 0, y_max = 0;
  for (const SeriesSpec& s : spec.series) {
    for (const QPointF& p : s.points) x_max = std::max(x_max, p.x()), y_max = std::max(y_max, p.y());
    QXYSeries* series = make_series(s);
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    if (tooltip_owner) {
      QObject::connect(series, &QXYSeries::hovered, tooltip_owner,
                       [name = s.name, xl = spec.x_label, yl = spec.y_label](const QPointF& p, bool on) {
                         if (!on) return QToolTip::hideText();
                         QToolTip::showText(QCursor::pos(), QStringLiteral("%1\n%2 %3\n%4 %5")
                                                                .arg(name)
                                                                .arg(p.x(), 0, 'f', 2)
                                                                .arg(xl)
                                                                .arg(p.y(), 0, 'g', 4)
                                                                .arg(yl));
                       });
    }
  }
  x->setRange(0, x_max > 0 ? std::ceil(x_max) : 1);
  x->setTickCount(std::min(16, static_cast<int>(std::ceil(x_max > 0 ? x_max : 1)) + 1));
  y->setRange(0, nice_max(y_max * 1.05));
  y->setTickCount(6);
  chart->legend()->setVisible(spec.series.size() > 1);
  chart->legend()->setAlignment(Qt::AlignBottom);
}

}  // namespace

QWidget* create_chart_widget(const ChartSpec& spec, QWidget* parent) {
  auto* chart = new QChart;
  auto* view = new QChartView(chart, parent);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumSize(320, 240);
  fill_chart(chart, spec, view);
  return view;
}

void set_chart(QWidget* chart_widget, const ChartSpec& spec) {
  auto* view = qobject_cast<QChartView*>(chart_widget);
  if (view) fill_chart(view->chart(), spec, view);
}

QImage render_chart(const ChartSpec& spec, QSize size) {
  QChart chart;
  fill_chart(&chart, spec, nullptr);
  chart.setAnimationOptions(QChart::NoAnimation);
  QGraphicsScene scene;
  scene.addItem(&chart);
  chart.resize(size);
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing);
  scene.render(&painter, QRectF(QPointF(0, 0), size), QRectF(QPointF(0, 0), size));
  painter.end();
  scene.removeItem(&chart);
  return image;
}

}  // namespace cairn::gui
