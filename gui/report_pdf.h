// PdfPages: the report's pen on A4 pages — paragraphs, headings, tables that
// break between rows (repeating their header), charts drawn as vectors with
// their text as text, and monospace lines — each laid below the last, a
// new page started when the next item does not fit. Every word is drawn
// with QPainter::drawText, so the PDF's text can be searched and extracted.
// GUI thread only (Qt painting).
#pragma once

#include <QPdfWriter>
#include <QPainter>
#include <QString>

#include <vector>

#include "gui/charts.h"
#include "gui/figures.h"

namespace cairn::gui {

// Smallest text anywhere in the report, in points: table cells, notes.
inline constexpr double kSmallestPt = 8.5;

class PdfPages {
 public:
  explicit PdfPages(QPdfWriter& writer);
  bool ok() const { return painter_.isActive(); }
  void finish() { painter_.end(); }

  void text(const QString& s, double point_size, bool bold = false);
  void heading(const QString& s) { text(s, 13, true); }
  // A paragraph with a bold lead-in ("Recommendation." ...).
  void bullet(const QString& s, double point_size);
  // Monospace lines, paged; for the scenario's text.
  void lines(const QString& s, double point_size);
  // A table under its heading (kept with at least its first row). `weights`:
  // the row-name column's share of the width, then each column's; equal
  // shares when empty. A row marked in `bold_rows` is set in bold on a tint.
  void table(const QString& heading, const FiguresTable& t, const std::vector<double>& weights = {},
             const std::vector<int>& bold_rows = {});
  // A chart across the text width, `height_fraction` of the width tall, then
  // its caption: what to read from it.
  void chart(const ChartSpec& spec, double height_fraction, const QString& caption);
  void space(double mm);
  void new_page();
  double remaining_fraction() const { return (height_ - y_) / height_; }

 private:
  double spacing(double point_size) const;
  double mm(double v) const;
  QFont font(double point_size, bool bold) const;
  double text_height(const QString& s, double point_size, bool bold, double width);
  void room(double h);

  QPdfWriter& writer_;
  QPainter painter_;
  double width_ = 0, height_ = 0, y_ = 0;
};

}  // namespace cairn::gui
