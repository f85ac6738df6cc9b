#include "gui/report_pdf.h"

#include <QFontDatabase>

#include <algorithm>
#include <numeric>

namespace cairn::gui {

PdfPages::PdfPages(QPdfWriter& writer) : writer_(writer), painter_(&writer) {
  width_ = writer.width();
  height_ = writer.height();
}

double PdfPages::spacing(double point_size) const { return point_size * 0.45 * writer_.resolution() / 72.0; }

double PdfPages::mm(double v) const { return v * writer_.resolution() / 25.4; }

QFont PdfPages::font(double point_size, bool bold) const {
  QFont f("DejaVu Sans");
  f.setPointSizeF(point_size);
  f.setBold(bold);
  searchable(f);
  return f;
}

double PdfPages::text_height(const QString& s, double point_size, bool bold, double width) {
  painter_.setFont(font(point_size, bold));
  return painter_.boundingRect(QRectF(0, 0, width, height_), Qt::TextWordWrap, s).height();
}

void PdfPages::room(double h) {
  if (y_ > 0 && y_ + h > height_) new_page();
}

void PdfPages::new_page() {
  writer_.newPage();
  y_ = 0;
}

void PdfPages::space(double v) { y_ += mm(v); }

void PdfPages::text(const QString& s, double point_size, bool bold) {
  const double h = text_height(s, point_size, bold, width_);  // leaves the font set
  // A heading is kept with a few lines of what follows it.
  room(bold && point_size >= 11 ? h + mm(25) : h);
  painter_.drawText(QRectF(0, y_, width_, h), Qt::TextWordWrap, s);
  y_ += h + spacing(point_size);
}

void PdfPages::bullet(const QString& s, double point_size) {
  const double indent = mm(4);
  const double h = text_height(s, point_size, false, width_ - indent);
  room(h);
  painter_.drawText(QRectF(0, y_, indent, h), Qt::AlignLeft | Qt::AlignTop, "•");
  painter_.drawText(QRectF(indent, y_, width_ - indent, h), Qt::TextWordWrap, s);
  y_ += h + spacing(point_size) * 0.6;
}

void PdfPages::lines(const QString& s, double point_size) {
  QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  f.setFamily("DejaVu Sans Mono");
  f.setPointSizeF(point_size);
  searchable(f);
  painter_.setFont(f);
  const double h = painter_.fontMetrics().height();
  for (const QString& line : s.split('\n')) {
    room(h);
    painter_.setFont(f);
    painter_.drawText(QRectF(0, y_, width_, h), Qt::TextSingleLine, line);
    y_ += h;
  }
}

void PdfPages::table(const QString& heading, const FiguresTable& t, const std::vector<double>& weights,
                     const std::vector<int>& bold_rows) {
  const size_t n = t.columns.size() + 1;
  std::vector<double> w = weights.size() == n ? weights : std::vector<double>();
  if (w.empty()) {  // the row names a little wider than the columns
    w.assign(n, 1.0);
    w[0] = std::max(1.0, 0.28 * static_cast<double>(n - 1) / 0.72);
  }
  const double total_w = std::accumulate(w.begin(), w.end(), 0.0);
  std::vector<double> x(n + 1, 0.0);
  for (size_t c = 0; c < n; ++c) x[c + 1] = x[c] + width_ * w[c] / total_w;
  const double pt = kSmallestPt;
  painter_.setFont(font(pt, true));
  const double line_h = painter_.fontMetrics().height();
  auto cell_text = [&](size_t r, size_t c) -> QString {
    if (c == 0) return r == SIZE_MAX ? QString() : QString::fromStdString(t.rows[r]);
    return QString::fromStdString(r == SIZE_MAX ? t.columns[c - 1] : t.cells[r][c - 1]);
  };
  // Each row as tall as its most wrapped cell (bold is the wider: measured with it).
  auto row_height = [&](size_t r) {
    double h = line_h * 1.4;
    for (size_t c = 0; c < n; ++c) {
      QRectF b = painter_.boundingRect(QRectF(0, 0, x[c + 1] - x[c] - 8, height_), Qt::TextWordWrap, cell_text(r, c));
      h = std::max(h, b.height() + line_h * 0.45);
    }
    return h;
  };
  painter_.setFont(font(pt, true));
  const double header_h = row_height(SIZE_MAX);
  std::vector<double> row_h;
  for (size_t r = 0; r < t.rows.size(); ++r) row_h.push_back(row_height(r));
  const double heading_h = heading.isEmpty() ? 0 : text_height(heading, 11, true, width_) + spacing(11);
  room(heading_h + header_h + (row_h.empty() ? 0 : row_h.front()));
  if (!heading.isEmpty()) text(heading, 11, true);
  auto draw_row = [&](size_t r, double h, bool bold, bool tint) {
    for (size_t c = 0; c < n; ++c) {
      const QRectF box(x[c], y_, x[c + 1] - x[c], h);
      if (tint) painter_.fillRect(box, QColor(255, 243, 205));
      else if (r == SIZE_MAX) painter_.fillRect(box, QColor(235, 235, 235));
      painter_.setFont(font(pt, bold || c == 0 || r == SIZE_MAX));
      painter_.setPen(QPen(QColor(150, 150, 150), 0));
      painter_.drawRect(box);
      painter_.setPen(Qt::black);
      painter_.drawText(box.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::TextWordWrap, cell_text(r, c));
    }
    y_ += h;
  };
  draw_row(SIZE_MAX, header_h, true, false);
  for (size_t r = 0; r < t.rows.size(); ++r) {
    if (y_ + row_h[r] > height_) {  // the table goes on over the page, under its header again
      new_page();
      draw_row(SIZE_MAX, header_h, true, false);
    }
    const bool marked = std::find(bold_rows.begin(), bold_rows.end(), static_cast<int>(r)) != bold_rows.end();
    draw_row(r, row_h[r], marked, marked);
  }
  y_ += line_h * 1.2;
}

void PdfPages::chart(const ChartSpec& spec, double height_fraction, const QString& caption) {
  const double h = width_ * height_fraction;
  const double caption_h = caption.isEmpty() ? 0 : text_height(caption, 9, false, width_) + spacing(9);
  room(h + caption_h);
  paint_chart(spec, painter_, QRectF(0, y_, width_, h));
  y_ += h + mm(1);
  if (!caption.isEmpty()) {
    painter_.setFont(font(9, false));
    painter_.setPen(Qt::black);
    painter_.drawText(QRectF(0, y_, width_, caption_h), Qt::TextWordWrap, caption);
    y_ += caption_h;
  }
  y_ += mm(3);
}

}  // namespace cairn::gui
