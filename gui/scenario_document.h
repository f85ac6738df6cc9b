// ScenarioDocument: the scenario being edited — its YAML text, where it is
// saved, and whether the simulator accepts it. Every change re-validates
// with the simulator's own parser (sim::parse_scenario), so the message the
// planner shows is the one `cairn plan` would print. GUI thread only.
#pragma once

#include <QObject>
#include <QString>

#include <optional>

#include "gui/scenario_text.h"
#include "sim/scenario.h"

namespace cairn::gui {

class ScenarioDocument : public QObject {
  Q_OBJECT

 public:
  explicit ScenarioDocument(QObject* parent = nullptr);

  bool load(const QString& path, QString* error);
  bool save(const QString& path, QString* error);  // and remembers `path`
  void set_text(const QString& text);
  // Sets one key (see scenario_text.h); on failure the text is unchanged
  // and the reason returned.
  std::optional<QString> set_value(const QString& key_path, const QString& value);
  std::optional<QString> value(const QString& key_path) const;

  const QString& text() const { return text_; }
  const QString& path() const { return path_; }
  QString display_name() const;  // the file's name, or "untitled.yaml"
  bool modified() const { return modified_; }
  bool valid() const { return !error_.has_value(); }
  const std::optional<ScenarioError>& error() const { return error_; }
  const sim::Scenario& scenario() const { return scenario_; }  // the last valid one

 signals:
  void changed();

 private:
  void revalidate();

  QString text_, path_;
  bool modified_ = false;
  std::optional<ScenarioError> error_;
  sim::Scenario scenario_;
};

}  // namespace cairn::gui
