#include "gui/scenario_form.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QVBoxLayout>

namespace cairn::gui {
namespace {

const char* const kErrorStyle = "color: #b00020;";
const char* const kBadField = "border: 2px solid #b00020;";

// An error belongs to the field of its key, or of the key it is inside
// ("failures.disk.afr_by_age[2]" to "failures.disk.afr_by_age").
bool belongs(const QString& error_key, const QString& field_key) {
  return error_key == field_key || error_key.startsWith(field_key + "[") || error_key.startsWith(field_key + ".");
}

}  // namespace

ScenarioForm::ScenarioForm(ScenarioDocument* document, QWidget* parent) : QWidget(parent), document_(document) {
  auto* top = new QVBoxLayout(this);
  general_ = new QLabel(this);
  general_->setStyleSheet(kErrorStyle);
  general_->setWordWrap(true);
  general_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  top->addWidget(general_);

  auto group = [&](const QString& title) {
    auto* box = new QGroupBox(title, this);
    auto* form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    top->addWidget(box);
    return form;
  };
  QFormLayout* hospital = group("Hospital");
  add_field(hospital, "workload.first_year_ingest", "Ingest in year 1", "size, e.g. 54 TB");
  add_field(hospital, "workload.annual_growth", "Growth per year", "fraction, e.g. 10 %");
  add_field(hospital, "horizon", "Horizon", "duration, e.g. 15 years");
  QFormLayout* hardware = group("Hardware");
  add_field(hardware, "cluster.initial_nodes", "Nodes at start", "count");
  add_field(hardware, "cluster.node.disks", "Disks per node", "count (node model)");
  add_field(hardware, "cluster.node.disk.size", "Disk size", "size, e.g. 20 TB");
  add_field(hardware, "cluster.node.disk.class", "Disk class", "", {"hdd", "ssd"});
  add_field(hardware, "cluster.node.disk.ops", "Disk operations", "operation rate, e.g. 150 ops/s (HDD default)");
  QFormLayout* pool = group("Redundancy");
  add_field(pool, "pool.scheme", "Scheme", "replica:N or ec:K+M",
            {"replica:2", "replica:3", "ec:4+2", "ec:8+3", "ec:10+4"}, true);
  add_field(pool, "pool.failure_domain", "Failure domain", "", {"disk", "node", "rack"});
  add_field(pool, "pool.strategy", "Group strategy", "", {"fixed", "declustered"});
  QFormLayout* failures = group("Failures");
  disk_model_ = new QLabel(this);
  failures->addRow("Disk failure model", disk_model_);
  add_field(failures, "failures.disk.afr", "Disk AFR", "fraction per year, e.g. 1.5 %", {}, false, "constant");
  add_field(failures, "failures.disk.afr_by_age", "Disk AFR by age", "list per year of age, e.g. [1 %, 2 %, 5 %]",
            {}, false, "by_age");
  add_field(failures, "failures.disk.weibull_shape", "Weibull shape", "number", {}, false, "weibull");
  add_field(failures, "failures.disk.weibull_scale", "Weibull scale", "duration, e.g. 40 years", {}, false,
            "weibull");
  add_field(failures, "failures.node_outages.per_node_year", "Node outages", "per node per year");
  add_field(failures, "failures.node_losses.per_node_year", "Node losses", "per node per year");
  QFormLayout* heal = group("Heal budget");
  add_field(heal, "heal.bandwidth_per_disk", "Per disk", "rate, e.g. 100 MB/s");
  add_field(heal, "heal.bandwidth_per_node", "Per node", "rate, e.g. 500 MB/s");
  QFormLayout* buy = group("Procurement");
  add_field(buy, "procurement.fill_threshold", "Purchase threshold", "fill fraction, e.g. 80 %");
  add_field(buy, "procurement.lead_time", "Lead time", "duration, e.g. 90 days");
  add_field(buy, "procurement.max_nodes", "Max nodes", "count");
  top->addStretch(1);
  connect(document_, &ScenarioDocument::changed, this, &ScenarioForm::refresh);
  refresh();
}

void ScenarioForm::add_field(QFormLayout* form, const QString& key, const QString& label, const QString& unit,
                             const QStringList& choices, bool editable_choice, const QString& model) {
  Field f;
  f.key = key;
  f.model = model;
  auto* cell = new QWidget(this);
  auto* v = new QVBoxLayout(cell);
  v->setContentsMargins(0, 0, 0, 0);
  if (choices.isEmpty()) {
    f.line = new QLineEdit(cell);
    f.line->setObjectName(key);
    f.line->setToolTip(key + (unit.isEmpty() ? QString() : " — " + unit));
    v->addWidget(f.line);
  } else {
    f.combo = new QComboBox(cell);
    f.combo->setObjectName(key);
    f.combo->setEditable(editable_choice);
    f.combo->addItems(choices);
    f.combo->setToolTip(key);
    v->addWidget(f.combo);
  }
  f.error = new QLabel(cell);
  f.error->setStyleSheet(kErrorStyle);
  f.error->setWordWrap(true);
  f.error->hide();
  v->addWidget(f.error);
  QString text = label + (unit.isEmpty() ? QString() : " (" + unit + ")");
  form->addRow(text, cell);
  f.row_label = form->labelForField(cell);
  fields_.push_back(f);
  const size_t index = fields_.size() - 1;
  if (f.line) connect(f.line, &QLineEdit::textEdited, this, [this, index](const QString& t) { edited(fields_[index], t); });
  if (f.combo && editable_choice)
    connect(f.combo, &QComboBox::editTextChanged, this, [this, index](const QString& t) {
      if (fields_[index].combo->hasFocus()) edited(fields_[index], t);
    });
  if (f.combo)
    connect(f.combo, &QComboBox::activated, this,
            [this, index](int i) { edited(fields_[index], fields_[index].combo->itemText(i)); });
}

void ScenarioForm::edited(Field& field, const QString& text) {
  // A list is written as YAML ("[1 %, 2 %]"); everything else as one scalar.
  const bool list = field.key.endsWith("afr_by_age") && text.trimmed().startsWith('[');
  QString value = list ? text.trimmed() : QString::fromStdString(yaml_scalar(text.trimmed().toStdString()));
  if (std::optional<QString> why = document_->set_value(field.key, value)) {
    field.error->setText(*why);
    field.error->show();
  }
}

QWidget* ScenarioForm::field(const QString& key_path) const {
  for (const Field& f : fields_)
    if (f.key == key_path) return f.line ? static_cast<QWidget*>(f.line) : f.combo;
  return nullptr;
}

QString ScenarioForm::field_error(const QString& key_path) const {
  for (const Field& f : fields_)
    if (f.key == key_path) return f.error->isHidden() ? QString() : f.error->text();
  return {};
}

void ScenarioForm::refresh() {
  const std::optional<ScenarioError>& error = document_->error();
  const QString error_key = error ? QString::fromStdString(error->key) : QString();
  QString model = document_->value("failures.disk.model").value_or("constant");
  disk_model_->setText(model + "  (change it in the YAML tab)");
  bool shown_at_field = false;
  for (Field& f : fields_) {
    const bool visible = f.model.isEmpty() || f.model == model;
    f.row_label->setVisible(visible);
    f.error->parentWidget()->setVisible(visible);
    std::optional<QString> v = document_->value(f.key);
    QWidget* editor = f.line ? static_cast<QWidget*>(f.line) : f.combo;
    if (!editor->hasFocus()) {  // never overwrite what the person is typing
      if (f.line) {
        f.line->setText(v.value_or(QString()));
        f.line->setPlaceholderText(v ? QString() : "default");
      } else if (v) {
        if (f.combo->isEditable()) f.combo->setEditText(*v);
        else f.combo->setCurrentText(*v);
      } else {
        f.combo->setCurrentIndex(-1);
        if (f.combo->isEditable()) f.combo->setEditText({});
      }
    }
    const bool bad = error && !error_key.isEmpty() && belongs(error_key, f.key);
    shown_at_field = shown_at_field || (bad && visible);
    f.error->setText(bad ? QString::fromStdString(error->message) : QString());
    f.error->setVisible(bad);
    editor->setStyleSheet(bad ? kBadField : "");
  }
  general_->setVisible(error.has_value());
  if (error)
    general_->setText((shown_at_field ? "Not runnable: " : "Not runnable (see the YAML tab): ") +
                      QString::fromStdString(error->full));
}

}  // namespace cairn::gui
