#include "gui/report.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

#include "gui/chart_specs.h"
#include "gui/figures.h"

namespace cairn::gui {
namespace {

const QSize kChartPixels(1600, 900);

// What the model assumes, from the README's "What the model is", so the
// report can be read without the repository at hand.
const char* const kAssumptions[] = {
    "Every placement, heal and rebalance decision is the engine's (engine/); the simulator makes time pass for the "
    "bytes those plans move (SimGrid 3.32).",
    "Bytes per disk come from the engine's layout and fragment geometry for the scenario's file-size distribution.",
    "Disks fail by the scenario's model from their own seeded streams; node outages make members stale; node losses "
    "fail every disk of the node. Heals start after the detection delay; failed disks are replaced after the "
    "replacement delay.",
    "A group with more than m members failed at once loses its data (counted as lost with the time). The model "
    "heals a group's failed members together (serial repair), which is pessimistic for schemes tolerating two or "
    "more losses.",
    "Purchases: when the fill projected to the end of the lead time reaches the threshold, the scenario's increment "
    "is ordered; on arrival the engine's next map and rebalance plan are applied under the rebalance budget.",
    "Client and management networks: each month, every node's ingest (at its groups' primaries), its reads (by the "
    "read fraction) and its status replies cross its own NIC as SimGrid communications; a NIC busy more than the "
    "whole month means the month's traffic did not fit.",
    "Cost, in the scenario's currency and not discounted: hardware is paid for in the year it arrives, at that "
    "year's price (disks per TB, following the scenario's price trend and shocks; nodes, switches and racks at a "
    "flat price; a rack and its switches when its first node arrives). Running cost accrues while hardware is in "
    "service: power (watts x PUE x the year's price per kWh), floor space per rack in use, and support as a share "
    "of the purchase price of what is in service. When the scenario sets a refresh age, a node that reaches it "
    "is replaced by one of the generation current then and drained onto it.",
    "Capacity waterfall (run 0, end of the horizon): raw TB of live disks, less redundancy (the scheme's parity or "
    "extra replicas), spare disks, the room kept free above the purchase threshold, and the room kept free to "
    "re-protect the data of the largest failure domain, leaves what can safely be filled.",
    "Not modelled: reads' load on disks and the storage network (reads cross only the client network), rack "
    "uplinks, correlated failures beyond node loss. Curves show run 0; key figures are means over replicates "
    "with 95 % intervals.",
};

QString safe_name(const std::string& label) {
  QString out;
  for (QChar c : QString::fromStdString(label)) out += c.isLetterOrNumber() || c == '-' || c == '.' ? c : QChar('_');
  return out.isEmpty() ? QStringLiteral("run") : out;
}

// Paints the report page by page; `y` is the pen's position on the page.
class PdfPages {
 public:
  explicit PdfPages(QPdfWriter& writer) : writer_(writer), painter_(&writer) {
    width_ = writer.width();
    height_ = writer.height();
  }
  bool ok() const { return painter_.isActive(); }
  void finish() { painter_.end(); }

  void text(const QString& s, double point_size, bool bold = false) {
    const double h = text_height(s, point_size, bold);  // leaves the font set
    room(h);
    painter_.drawText(QRectF(0, y_, width_, h), Qt::TextWordWrap, s);
    y_ += h + spacing(point_size);
  }

  // Monospace lines, paged; for the scenario's text.
  void lines(const QString& s, double point_size) {
    QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    f.setPointSizeF(point_size);
    painter_.setFont(f);
    const double h = painter_.fontMetrics().height();
    for (const QString& line : s.split('\n')) {
      room(h);
      painter_.drawText(QRectF(0, y_, width_, h), Qt::TextSingleLine, line);
      y_ += h;
    }
  }

  void image(const QImage& img, double width_fraction) {
    double w = width_ * width_fraction, h = w * img.height() / img.width();
    room(h);
    painter_.drawImage(QRectF(0, y_, w, h), img);
    y_ += h + 10;
  }

  // A table under its heading, which starts a new page with it rather than
  // stay behind alone at the bottom of one.
  void table(const QString& heading, double heading_point_size, const FiguresTable& t) {
    const double heading_h = text_height(heading, heading_point_size, true) + spacing(heading_point_size);
    QFont f("DejaVu Sans");
    f.setPointSizeF(8);
    f.setBold(true);  // bold is the wider: measure with it
    painter_.setFont(f);
    const double line_h = painter_.fontMetrics().height();
    const double first = width_ * 0.28;
    const double col = (width_ - first) / static_cast<double>(std::max<size_t>(1, t.columns.size()));
    // Each row as tall as its most wrapped cell, so long figure names are not cut.
    auto height = [&](double w, const std::string& s) {
      QRectF r = painter_.boundingRect(QRectF(0, 0, w - 8, height_), Qt::TextWordWrap, QString::fromStdString(s));
      return std::max(line_h * 1.5, r.height() + line_h * 0.5);
    };
    double header_h = line_h * 1.5;
    for (const std::string& c : t.columns) header_h = std::max(header_h, height(col, c));
    std::vector<double> row_h;
    double total_h = header_h;
    for (size_t r = 0; r < t.rows.size(); ++r) {
      double h = height(first, t.rows[r]);
      for (const std::string& c : t.cells[r]) h = std::max(h, height(col, c));
      row_h.push_back(h);
      total_h += h;
    }
    room(heading_h + total_h);
    text(heading, heading_point_size, true);
    painter_.setFont(f);
    auto cell = [&](double x, double w, double h, const std::string& s, bool bold) {
      f.setBold(bold);
      painter_.setFont(f);
      painter_.drawRect(QRectF(x, y_, w, h));
      painter_.drawText(QRectF(x + 4, y_, w - 8, h), Qt::AlignVCenter | Qt::TextWordWrap, QString::fromStdString(s));
    };
    cell(0, first, header_h, "", true);
    for (size_t c = 0; c < t.columns.size(); ++c)
      cell(first + static_cast<double>(c) * col, col, header_h, t.columns[c], true);
    y_ += header_h;
    for (size_t r = 0; r < t.rows.size(); ++r) {
      cell(0, first, row_h[r], t.rows[r], true);
      for (size_t c = 0; c < t.columns.size(); ++c)
        cell(first + static_cast<double>(c) * col, col, row_h[r], t.cells[r][c], false);
      y_ += row_h[r];
    }
    y_ += line_h * 1.5;
  }

  void new_page() {
    writer_.newPage();
    y_ = 0;
  }

 private:
  // Space after a paragraph: 0.4 of its font's size, in device pixels.
  double spacing(double point_size) const { return point_size * 0.4 * writer_.resolution() / 72.0; }

  double text_height(const QString& s, double point_size, bool bold) {
    QFont f("DejaVu Sans");
    f.setPointSizeF(point_size);
    f.setBold(bold);
    painter_.setFont(f);
    return painter_.boundingRect(QRectF(0, 0, width_, height_), Qt::TextWordWrap, s).height();
  }

  void room(double h) {
    if (y_ > 0 && y_ + h > height_) new_page();
  }

  QPdfWriter& writer_;
  QPainter painter_;
  double width_ = 0, height_ = 0, y_ = 0;
};

void chart_pages(PdfPages& pdf, const std::vector<NamedChart>& charts) {
  for (const NamedChart& c : charts) pdf.image(render_chart(c.spec, kChartPixels), 1.0);
}

// The capacity waterfall under its own heading; nothing for runs made
// before the simulator reported it.
void waterfall_table(PdfPages& pdf, const std::vector<const RunData*>& runs) {
  FiguresTable t = capacity_waterfall(runs);
  if (t.rows.empty()) return;
  pdf.table("From raw to safely usable capacity at the horizon (run 0)", 11, t);
}

// How the durability figures above were estimated, and their warnings, in
// cairn plan's words; nothing for runs made without --nines.
void durability_notes_text(PdfPages& pdf, const std::vector<const RunData*>& runs) {
  for (const std::string& note : durability_notes(runs)) pdf.text(QString::fromStdString(note), 8);
}

Status copy_outputs(const QString& dir, const RunData& run, QStringList& written) {
  QString target = QDir(dir).filePath(safe_name(run.label));
  if (!QDir().mkpath(target)) return invalid_argument("cannot create " + target.toStdString());
  for (const char* name : {"timeseries.csv", "events.csv", "disks.csv", "cost.csv", "summary.json", "scenario.yaml"}) {
    QString from = QDir(QString::fromStdString(run.dir)).filePath(name), to = QDir(target).filePath(name);
    if (!QFile::exists(from)) continue;
    QFile::remove(to);
    if (!QFile::copy(from, to)) return invalid_argument("cannot copy " + from.toStdString() + " to " + to.toStdString());
    written << to;
  }
  return Status();
}

Status write_pngs(const QString& dir, const QString& prefix, const std::vector<NamedChart>& charts,
                  QStringList& written) {
  for (const NamedChart& c : charts) {
    QString path = QDir(dir).filePath(prefix + c.stem + ".png");
    if (!render_chart(c.spec, kChartPixels).save(path)) return invalid_argument("cannot write " + path.toStdString());
    written << path;
  }
  return Status();
}

std::vector<const RunData*> pointers(const std::vector<RunData>& runs) {
  std::vector<const RunData*> out;
  for (const RunData& r : runs) out.push_back(&r);
  return out;
}

}  // namespace

Result<QStringList> export_report(const QString& dir, const ReportInput& in) {
  if (in.runs.empty() && in.compare.empty()) return invalid_argument("nothing to export: run the scenario first");
  if (!QDir().mkpath(dir)) return invalid_argument("cannot create " + dir.toStdString());
  QStringList written;
  const std::vector<NamedChart> run_charts = all_charts(pointers(in.runs));
  const std::vector<NamedChart> compare_charts = all_charts(pointers(in.compare));
  if (!in.runs.empty()) {
    if (Status s = write_pngs(dir, "", run_charts, written); !s.is_ok()) return s;
  }
  if (!in.compare.empty()) {
    if (Status s = write_pngs(dir, "compare-", compare_charts, written); !s.is_ok()) return s;
  }
  for (const RunData& r : in.runs)
    if (Status s = copy_outputs(dir, r, written); !s.is_ok()) return s;
  for (const RunData& r : in.compare)
    if (Status s = copy_outputs(dir, r, written); !s.is_ok()) return s;

  const QString pdf_path = QDir(dir).filePath("report.pdf");
  QPdfWriter writer(pdf_path);
  writer.setPageSize(QPageSize(QPageSize::A4));
  writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
  writer.setResolution(150);
  writer.setTitle("Cairn plan: " + in.scenario_name);
  writer.setCreator("cairn-planner");
  PdfPages pdf(writer);
  if (!pdf.ok()) return invalid_argument("cannot write " + pdf_path.toStdString());
  pdf.text("Cairn plan: " + in.scenario_name, 18, true);
  pdf.text(QString("Scenario %1, simulated with cairn plan (engine %2) on %3.")
               .arg(in.scenario_file, CAIRN_ENGINE_VERSION, QDateTime::currentDateTime().toString(Qt::ISODate)),
           9);
  const RunData& first = in.runs.empty() ? in.compare.front() : in.runs.front();
  pdf.text("Reproduce: " + QString::fromStdString(first.summary.value("reproduce", std::string())), 8);
  if (!in.runs.empty()) {
    pdf.table("Key figures", 13, key_figures(pointers(in.runs)));
    durability_notes_text(pdf, pointers(in.runs));
    waterfall_table(pdf, pointers(in.runs));
  }
  if (!in.compare.empty()) {
    pdf.table("Comparison", 13, key_figures(pointers(in.compare)));
    durability_notes_text(pdf, pointers(in.compare));
    waterfall_table(pdf, pointers(in.compare));
  }
  if (!in.runs.empty()) {
    pdf.new_page();
    pdf.text("Charts", 13, true);
    chart_pages(pdf, run_charts);
  }
  if (!in.compare.empty()) {
    pdf.new_page();
    pdf.text("Comparison charts", 13, true);
    chart_pages(pdf, compare_charts);
  }
  pdf.new_page();
  pdf.text("Assumptions", 13, true);
  for (const char* a : kAssumptions) pdf.text(QString("• ") + a, 9);
  pdf.text("The scenario as run", 13, true);
  pdf.lines(in.scenario_yaml, 7);
  pdf.finish();
  if (QFileInfo(pdf_path).size() == 0) return invalid_argument("wrote an empty " + pdf_path.toStdString());
  written << pdf_path;
  return written;
}

}  // namespace cairn::gui
