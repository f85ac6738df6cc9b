#include "gui/scenario_document.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include "sim/scenario_yaml.h"

namespace cairn::gui {

ScenarioDocument::ScenarioDocument(QObject* parent) : QObject(parent) { revalidate(); }

QString ScenarioDocument::display_name() const {
  return path_.isEmpty() ? QStringLiteral("untitled.yaml") : QFileInfo(path_).fileName();
}

bool ScenarioDocument::load(const QString& path, QString* error) {
  QFile file(path);
  if (file.size() > static_cast<qint64>(sim::kMaxScenarioBytes)) {
    *error = path + ": larger than a scenario can be";
    return false;
  }
  if (!file.open(QIODevice::ReadOnly)) {
    *error = path + ": " + file.errorString();
    return false;
  }
  path_ = path;
  text_ = QString::fromUtf8(file.readAll());
  modified_ = false;
  revalidate();
  emit changed();
  return true;
}

bool ScenarioDocument::save(const QString& path, QString* error) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(text_.toUtf8()) < 0 || !file.commit()) {
    *error = path + ": " + file.errorString();
    return false;
  }
  path_ = path;
  modified_ = false;
  emit changed();
  return true;
}

void ScenarioDocument::set_text(const QString& text) {
  if (text == text_) return;
  text_ = text;
  modified_ = true;
  revalidate();
  emit changed();
}

std::optional<QString> ScenarioDocument::set_value(const QString& key_path, const QString& value) {
  Result<std::string> edited = gui::set_value(text_.toStdString(), key_path.toStdString(), value.toStdString());
  if (!edited) return QString::fromStdString(edited.status().message());
  set_text(QString::fromStdString(*edited));
  return std::nullopt;
}

std::optional<QString> ScenarioDocument::value(const QString& key_path) const {
  std::optional<std::string> v = get_value(text_.toStdString(), key_path.toStdString());
  if (!v) return std::nullopt;
  return QString::fromStdString(*v);
}

void ScenarioDocument::revalidate() {
  const std::string name = display_name().toStdString();
  Result<sim::Scenario> parsed = sim::parse_scenario(text_.toStdString(), name);
  if (parsed) {
    scenario_ = std::move(parsed).value();
    error_.reset();
  } else {
    error_ = split_error(parsed.status().message(), name);
  }
}

}  // namespace cairn::gui
