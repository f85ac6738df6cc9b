#include "gui/report.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPageSize>
#include <QPdfWriter>

#include <map>

#include "gui/chart_specs.h"
#include "gui/figures.h"
#include "gui/purchase_plan.h"
#include "gui/report_pdf.h"
#include "gui/report_text.h"
#include "gui/scenario_text.h"
#include "sim/scenario_yaml.h"

namespace cairn::gui {
namespace {

const QSize kChartPixels(1600, 900);
// The scenario as run, beside the report; the Reproduce line names it.
constexpr const char* kScenarioName = "scenario.yaml";
constexpr const char* kChooseFolder = "choose";

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

// What to read from each chart, printed under it.
const std::map<std::string, QString> kReadCharts = {
    {"capacity", "Raw, usable and used capacity month by month (run 0); dots mark purchases arriving. Read the gap "
                 "between used and usable: it is the headroom, and each step up is a purchase."},
    {"nodes", "Nodes in service (run 0). Read when the cluster grows and by how much; a rise and fall together is "
              "a hardware refresh draining old nodes onto new ones."},
    {"failures", "Disk failures per month (run 0). Read the rise as disks age: it sets the heal work and the stock "
                 "of spare disks to keep."},
    {"heal", "Hours from a disk failure to full redundancy, each month's median and 99th percentile. Read the "
             "window in which a further failure in the same group could lose data; larger disks widen it."},
    {"risk", "Terabytes held with less than full redundancy (at risk) and terabytes lost (run 0). At-risk spikes "
             "follow failures and should fall back to zero; any lost terabyte is data gone."},
    {"durability", "Nines of the chance of losing a group's data within the first years: 3 nines is a 1-in-1,000 "
                   "chance. Read higher as safer; a falling line means risk accumulates with time."},
    {"rebalance", "Terabytes moved after each expansion. Read how much extra work disks and the storage network "
                  "carry after a purchase arrives."},
    {"network", "The busiest node's client network, as a share of the month it was busy. Far below 100 % means "
                "the network is not what limits the archive."},
    {"cost", "Cost each year by item (bars: hardware in the years it arrives, then power, space, support) and the "
             "running total (line, right axis). Read when money is needed and what the plan costs in all."},
};

QString safe_name(const std::string& label) {
  QString out;
  for (QChar c : QString::fromStdString(label)) out += c.isLetterOrNumber() || c == '-' || c == '.' ? c : QChar('_');
  return out.isEmpty() ? QStringLiteral("run") : out;
}

QString q(const std::string& s) { return QString::fromStdString(s); }

std::vector<const RunData*> pointers(const std::vector<RunData>& runs) {
  std::vector<const RunData*> out;
  for (const RunData& r : runs) out.push_back(&r);
  return out;
}

// The run page one speaks of: the plain run, else the first compared variant.
const RunData* primary_run(const ReportInput& in) {
  if (!in.runs.empty()) return &in.runs.front();
  if (!in.compare.empty()) return &in.compare.front();
  return nullptr;
}

Status write_file(const QString& path, const QByteArray& bytes, QStringList& written) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
    return invalid_argument("cannot write " + path.toStdString());
  written << path;
  return Status();
}

Status copy_outputs(const QString& dir, const RunData& run, QStringList& written) {
  QString target = QDir(dir).filePath(safe_name(run.label));
  if (!QDir().mkpath(target)) return invalid_argument("cannot create " + target.toStdString());
  for (const char* name : {"timeseries.csv", "events.csv", "disks.csv", "cost.csv", "purchases.csv", "summary.json",
                           "scenario.yaml"}) {
    QString from = QDir(q(run.dir)).filePath(name), to = QDir(target).filePath(name);
    if (!QFile::exists(from)) continue;
    QFile::remove(to);
    if (!QFile::copy(from, to)) return invalid_argument("cannot copy " + from.toStdString() + " to " + to.toStdString());
    written << to;
  }
  return Status();
}

// choose.json, the sweep file with its scenario named beside it, and that
// scenario, so that choose_reproduce_command() runs from the export folder.
Status copy_choice(const QString& dir, const ChooseResult& c, QStringList& written) {
  const QString target = QDir(dir).filePath(kChooseFolder);
  if (!QDir().mkpath(target)) return invalid_argument("cannot create " + target.toStdString());
  const QString json_to = QDir(target).filePath("choose.json");
  QFile::remove(json_to);
  if (!QFile::copy(QDir(q(c.dir)).filePath("choose.json"), json_to))
    return invalid_argument("cannot copy " + c.dir + "/choose.json");
  written << json_to;
  QFile sweep(q(c.choose_file));
  if (!sweep.open(QIODevice::ReadOnly)) return Status();  // choose.json alone still records the choice
  const std::string text = sweep.readAll().toStdString();
  const std::optional<std::string> scenario = get_value(text, "scenario");
  if (!scenario) return Status();
  QFile from(QFileInfo(q(c.choose_file)).dir().filePath(q(*scenario)));
  if (!from.open(QIODevice::ReadOnly)) return invalid_argument("cannot read " + from.fileName().toStdString());
  if (Status s = write_file(QDir(target).filePath(kScenarioName), from.readAll(), written); !s.is_ok()) return s;
  Result<std::string> renamed = set_value(text, "scenario", kScenarioName);
  if (!renamed) return renamed.status();
  return write_file(QDir(target).filePath("choose.yaml"), QByteArray::fromStdString(*renamed), written);
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

// The purchase table's columns: the row name, then arrives (the spread
// over runs, the widest), order by, nodes, disks, raw, usable, price, made in.
const std::vector<double> kPurchaseWeights = {1.3, 2.3, 1.7, 0.8, 0.8, 0.9, 0.9, 1.2, 1.1};

void purchase_plan_section(PdfPages& pdf, const RunData& run, const QString& heading) {
  Result<std::optional<PurchasePlan>> plan = purchase_plan_from(run.summary);
  if (!plan || !plan->has_value()) {
    pdf.text(heading, 11, true);
    pdf.text(plan ? kNoPurchasePlan : q("Purchase plan: " + plan.status().message()), 9);
    return;
  }
  pdf.table(heading, purchases_table(**plan, run.currency), kPurchaseWeights);
}

// Page one: what a non-engineer needs to take the decision.
void summary_page(PdfPages& pdf, const ReportInput& in, const RunData* run, const sim::Scenario* scenario) {
  pdf.text("Storage plan: " + in.scenario_name, 18, true);
  QString made = QString("Prepared by the Cairn planner (engine %1) on %2 from a simulation of the archive")
                     .arg(CAIRN_ENGINE_VERSION, QDateTime::currentDateTime().toString("d MMMM yyyy"));
  if (run) made += QString(": %1 runs of %2 years each.").arg(run->runs()).arg(run->summary.value("horizon_years", 0.0));
  else made += ".";
  pdf.text(made, 9);
  if (scenario) {
    pdf.text("The hospital", 12, true);
    // A chosen variant is not what the scenario's own description says it is.
    pdf.text(q(hospital_in_words(*scenario, !in.choose)), 10);
  }
  pdf.text("Recommendation", 12, true);
  if (in.choose) {
    pdf.text(q(recommendation_in_words(*in.choose)), 10);
  } else if (!in.compare.empty()) {
    QStringList names;
    for (const RunData& r : in.compare) names << q(r.label);
    pdf.text("No constraints were set, so no option is named: the variants " + names.join(", ") +
                 " were compared side by side (page 2). Set constraints and run a choice (cairn plan --choose) to "
                 "have the cheapest option that meets them named.",
             10);
  } else if (run) {
    pdf.text(q("This report covers one configuration (" + run->summary.value("scheme", std::string("?")) +
               "); no comparison of options was run, so nothing is recommended over anything else. What this "
               "configuration achieves is below."),
             10);
  }
  if (run) {
    purchase_plan_section(pdf, *run, q("Purchase plan for " + run->label + ": what to buy and when"));
    pdf.text("Cost and the chance of losing data", 12, true);
    pdf.text(q(cost_in_words(*run)), 10);
    if (in.choose && in.choose->chosen() && run->label.rfind(in.choose->chosen()->id, 0) == 0)
      pdf.text(q("The purchase plan and these figures are from " + std::to_string(run->runs()) + " runs of " +
                 in.choose->chosen()->id + " on its own (seed " + std::to_string(run->summary.value("seed", 0ull)) +
                 "); the choice's own runs put its cost at " + in.choose->currency + " " +
                 format_money(in.choose->chosen()->cost, 0) + "."),
               9);
    pdf.text(q(loss_in_words(*run)), 10);
    if (scenario) {
      pdf.text("Main risks", 12, true);
      for (const std::string& r : main_risks(*run, *scenario)) pdf.bullet(q(r), 9.5);
    }
  }
  const QString reproduce = in.choose && !run ? choose_reproduce_command(*in.choose) : reproduce_command(in);
  if (!reproduce.isEmpty()) {
    pdf.space(2);
    pdf.text("Reproduce, from this report's folder: " + reproduce, 8.5);
  }
}

void choice_section(PdfPages& pdf, const ChooseResult& c) {
  pdf.new_page();
  pdf.heading("Options compared under constraints");
  pdf.text(q(c.verdict), 10);
  const FiguresTable t = variants_table(c);
  // Money and intervals need the room; margins are short.
  std::vector<double> weights(t.columns.size() + 1, 1.0);
  for (size_t k = 5; k + 1 < weights.size(); ++k) weights[k] = 1.25;  // margins: "+1,289,114", "✓ unbounded"
  weights[0] = 1.4, weights[1] = 1.5, weights[2] = 1.1, weights[3] = 1.1, weights[4] = 1.1, weights.back() = 1.5;
  const int chosen = chosen_row(c);
  pdf.table("", t, weights, chosen >= 0 ? std::vector<int>{chosen} : std::vector<int>{});
  pdf.chart(tornado_chart(c), 0.55, "");
  pdf.text("Reproduce, from this report's folder: " + choose_reproduce_command(c), 8.5);
}

void details_section(PdfPages& pdf, const QString& title, const std::vector<RunData>& runs) {
  const std::vector<const RunData*> ptrs = pointers(runs);
  pdf.table(title, key_figures(ptrs));
  for (const std::string& note : durability_notes(ptrs)) pdf.text(q(note), kSmallestPt);
  for (const RunData& r : runs) {
    Result<std::optional<PurchasePlan>> plan = purchase_plan_from(r.summary);
    if (plan && plan->has_value())
      pdf.table(q("Purchase plan by year, means over runs" + (runs.size() > 1 ? ": " + r.label : std::string())),
                by_year_table(**plan, r.currency));
  }
  const FiguresTable waterfall = capacity_waterfall(ptrs);
  if (!waterfall.rows.empty()) pdf.table("From raw to safely usable capacity at the horizon (run 0)", waterfall);
}

void chart_section(PdfPages& pdf, const QString& title, const std::vector<NamedChart>& charts, bool overlaid) {
  pdf.new_page();
  pdf.heading(title);
  for (const NamedChart& c : charts) {
    QString read = kReadCharts.count(c.stem) ? kReadCharts.at(c.stem) : QString();
    if (overlaid) read = "Each variant in its own colour. " + read;
    pdf.chart(c.spec, 0.52, read);
  }
}

void assumptions_section(PdfPages& pdf, const ReportInput& in) {
  pdf.new_page();
  pdf.heading("Assumptions and their sources");
  const std::vector<Assumption> key = key_assumptions(in.scenario_yaml.toStdString());
  if (!key.empty()) {
    FiguresTable t;
    t.columns = {"value", "source (the scenario's own note)"};
    for (const Assumption& a : key) {
      t.rows.push_back(a.key);
      t.cells.push_back({a.value, a.source.empty() ? "—" : a.source});
    }
    pdf.table("Key inputs, as the scenario states them", t, {1.4, 1.0, 3.4});
  }
  pdf.text("What the model assumes", 11, true);
  for (const char* a : kAssumptions) pdf.bullet(a, 9);
  pdf.new_page();
  pdf.heading(QString("The scenario as run (%1 in this folder)").arg(kScenarioName));
  pdf.lines(in.scenario_yaml, 7.5);
}

}  // namespace

QString reproduce_command(const ReportInput& in) {
  if (!in.runs.empty()) return q(relative_reproduce(in.runs.front().summary, kScenarioName, "reproduced"));
  if (in.compare.empty()) return {};
  const RunData& v = in.compare.front();
  return q(relative_reproduce(v.summary, safe_name(v.label).toStdString() + "/scenario.yaml",
                              safe_name(v.label).toStdString() + "/reproduced"));
}

QString choose_reproduce_command(const ChooseResult& c) {
  const std::string file = std::string(kChooseFolder) + "/choose.yaml";
  std::string rest;
  const std::string head = "cairn plan --choose " + c.choose_file;
  if (!c.choose_file.empty() && c.reproduce.rfind(head, 0) == 0) {
    rest = c.reproduce.substr(head.size());
  } else if (const size_t at = c.reproduce.find("--choose "); at != std::string::npos) {
    // Written elsewhere (another folder): the words after the file, which has no spaces then.
    const size_t file_end = c.reproduce.find(' ', at + 9);
    rest = file_end == std::string::npos ? std::string() : c.reproduce.substr(file_end);
  }
  // Where it writes is the reader's: into the choose folder, beside the original.
  QStringList words = q(rest).split(' ', Qt::SkipEmptyParts);
  for (qsizetype i = 0; i < words.size(); ++i)
    if (words[i] == "--out" || words[i] == "--jobs") words.remove(i, std::min<qsizetype>(2, words.size() - i)), --i;
    else if (words[i] == "--progress-lines") words.remove(i), --i;
  return q("cairn plan --choose " + file) + (words.isEmpty() ? "" : " " + words.join(' ')) + " --out " +
         kChooseFolder + "/reproduced";
}

Result<QStringList> export_report(const QString& dir, const ReportInput& in) {
  if (in.runs.empty() && in.compare.empty() && !in.choose)
    return invalid_argument("nothing to export: run the scenario first");
  if (!QDir().mkpath(dir)) return invalid_argument("cannot create " + dir.toStdString());
  QStringList written;
  const std::vector<NamedChart> run_charts = all_charts(pointers(in.runs));
  const std::vector<NamedChart> compare_charts = all_charts(pointers(in.compare));
  if (!in.runs.empty() || !in.compare.empty())
    if (Status s = write_file(QDir(dir).filePath(kScenarioName), in.scenario_yaml.toUtf8(), written); !s.is_ok())
      return s;
  if (!in.runs.empty())
    if (Status s = write_pngs(dir, "", run_charts, written); !s.is_ok()) return s;
  if (!in.compare.empty())
    if (Status s = write_pngs(dir, "compare-", compare_charts, written); !s.is_ok()) return s;
  if (in.choose) {
    if (Status s = write_pngs(dir, "", {{"tornado", tornado_chart(*in.choose)}}, written); !s.is_ok()) return s;
    if (Status s = copy_choice(dir, *in.choose, written); !s.is_ok()) return s;
  }
  for (const RunData& r : in.runs)
    if (Status s = copy_outputs(dir, r, written); !s.is_ok()) return s;
  for (const RunData& r : in.compare)
    if (Status s = copy_outputs(dir, r, written); !s.is_ok()) return s;

  const QString pdf_path = QDir(dir).filePath("report.pdf");
  QPdfWriter writer(pdf_path);
  writer.setPageSize(QPageSize(QPageSize::A4));
  writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
  writer.setResolution(300);
  writer.setTitle("Cairn storage plan: " + in.scenario_name);
  writer.setCreator("cairn-planner");
  PdfPages pdf(writer);
  if (!pdf.ok()) return invalid_argument("cannot write " + pdf_path.toStdString());
  Result<sim::Scenario> scenario = sim::parse_scenario(in.scenario_yaml.toStdString(), kScenarioName);
  summary_page(pdf, in, primary_run(in), scenario ? &*scenario : nullptr);
  if (in.choose) choice_section(pdf, *in.choose);
  if (!in.runs.empty()) {
    pdf.new_page();
    details_section(pdf, "Key figures", in.runs);
  }
  if (!in.compare.empty()) {
    pdf.new_page();
    details_section(pdf, "Comparison", in.compare);
  }
  if (!in.runs.empty()) chart_section(pdf, "Charts", run_charts, false);
  if (!in.compare.empty()) chart_section(pdf, "Comparison charts", compare_charts, true);
  if (!in.scenario_yaml.isEmpty()) assumptions_section(pdf, in);
  pdf.finish();
  if (QFileInfo(pdf_path).size() == 0) return invalid_argument("wrote an empty " + pdf_path.toStdString());
  written << pdf_path;
  return written;
}

}  // namespace cairn::gui
