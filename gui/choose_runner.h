// ChooseRunner: runs `cairn plan --choose FILE --out DIR --progress-lines`
// with the constraints the user set, as a subprocess in its own process
// group (as RunController runs `cairn plan`), reports its progress lines
// and reads DIR/choose.json when it ends. Cancel kills the whole group.
// Lives on the GUI thread; not thread-safe.
#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

#include "gui/choose.h"

namespace cairn::gui {

// Constraints set in the planner; unset ones are the file's.
struct ChooseOptions {
  std::optional<double> min_nines;
  std::optional<double> max_fill;  // a fraction: 0.85
  std::optional<double> max_heal_h;
  std::optional<double> budget;
  bool sensitivity = true;  // false: --no-sensitivity (skip the file's sensitivity runs)
};

class ChooseRunner : public QObject {
  Q_OBJECT

 public:
  explicit ChooseRunner(QString cairn_binary, QObject* parent = nullptr);
  ~ChooseRunner() override;

  // The arguments after `cairn`.
  static QStringList arguments(const QString& choose_file, const QString& out_dir, const ChooseOptions& options);
  // False (nothing started) while a choice runs.
  bool start(const QString& choose_file, const QString& out_dir, const ChooseOptions& options);
  void cancel();
  bool running() const { return process_ != nullptr; }
  qint64 process_id() const { return process_ ? process_->processId() : 0; }

 signals:
  // `done` of `total` runs finished, over the base sweep and each
  // sensitivity end; `what` names the last ("v001-r0").
  void progress(int done, int total, const QString& what);
  void finished(const cairn::gui::ChooseResult& result);
  void failed(const QString& message);
  void cancelled();

 private:
  void on_stderr();
  void on_finished(int exit_code, QProcess::ExitStatus status);

  QString binary_, out_dir_;
  std::unique_ptr<QProcess> process_;
  QByteArray buffer_;
  QStringList tail_;
  bool cancelling_ = false;
  int done_ = 0, total_ = 1;
};

}  // namespace cairn::gui
