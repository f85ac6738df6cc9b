// ScenarioForm: the parameters people change most, each bound to one key of
// the scenario's YAML, with its unit and the simulator's own error shown at
// the field as they type (ScenarioDocument validates). Everything else is
// edited as YAML in the next tab. GUI thread only.
#pragma once

#include <QLabel>
#include <QWidget>

#include <vector>

#include "gui/scenario_document.h"

class QComboBox;
class QFormLayout;
class QLineEdit;

namespace cairn::gui {

class ScenarioForm : public QWidget {
  Q_OBJECT

 public:
  ScenarioForm(ScenarioDocument* document, QWidget* parent = nullptr);

  // For tests and tools: the editor bound to `key_path` (a QLineEdit or an
  // editable QComboBox), and the error shown under it ("" when none).
  QWidget* field(const QString& key_path) const;
  QString field_error(const QString& key_path) const;
  // The error that belongs to no field (shown above the form), or "".
  QString general_error() const { return general_->isHidden() ? QString() : general_->text(); }

 private:
  struct Field {
    QString key;
    QLineEdit* line = nullptr;
    QComboBox* combo = nullptr;
    QLabel* error = nullptr;
    QWidget* row_label = nullptr;
    QString model;  // failures.disk.model this field belongs to; "" for all
  };

  void add_field(QFormLayout* form, const QString& key, const QString& label, const QString& unit,
                 const QStringList& choices = {}, bool editable_choice = false, const QString& model = {});
  void edited(Field& field, const QString& text);
  void refresh();

  ScenarioDocument* document_;
  std::vector<Field> fields_;
  QLabel* general_ = nullptr;
  QLabel* disk_model_ = nullptr;
};

}  // namespace cairn::gui
