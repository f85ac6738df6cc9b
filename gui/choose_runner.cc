#include "gui/choose_runner.h"

#include <signal.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace cairn::gui {
namespace {

constexpr int kTailLines = 8;

QString number(double v) { return QString::number(v, 'g', 12); }

}  // namespace

ChooseRunner::ChooseRunner(QString cairn_binary, QObject* parent) : QObject(parent), binary_(std::move(cairn_binary)) {}

ChooseRunner::~ChooseRunner() {
  if (!process_) return;
  process_->disconnect(this);
  if (qint64 pid = process_->processId(); pid > 0) ::kill(-static_cast<pid_t>(pid), SIGKILL);
  process_->waitForFinished(2000);
}

QStringList ChooseRunner::arguments(const QString& choose_file, const QString& out_dir, const ChooseOptions& o) {
  QStringList args{"plan", "--choose", choose_file, "--out", out_dir};
  if (o.min_nines) args << "--min-nines" << number(*o.min_nines);
  if (o.max_fill) args << "--max-fill" << number(*o.max_fill);
  if (o.max_heal_h) args << "--max-heal" << number(*o.max_heal_h) + " h";
  if (o.budget) args << "--budget" << number(*o.budget);
  if (!o.sensitivity) args << "--no-sensitivity";
  return args;
}

bool ChooseRunner::start(const QString& choose_file, const QString& out_dir, const ChooseOptions& options) {
  if (running()) return false;
  if (!QDir().mkpath(out_dir)) {
    emit failed("cannot create " + out_dir);
    return false;
  }
  QFile::remove(QDir(out_dir).filePath("choose.json"));  // a stale one must not pass for this run's
  out_dir_ = out_dir;
  cancelling_ = false;
  done_ = 0, total_ = 1;
  buffer_.clear();
  tail_.clear();
  process_ = std::make_unique<QProcess>();
  process_->setProgram(binary_);
  process_->setArguments(arguments(choose_file, out_dir, options));
  process_->setStandardOutputFile(QProcess::nullDevice());
  process_->setChildProcessModifier([] { setpgid(0, 0); });  // Cancel reaches every run it forks
  connect(process_.get(), &QProcess::readyReadStandardError, this, &ChooseRunner::on_stderr);
  connect(process_.get(), &QProcess::finished, this, &ChooseRunner::on_finished);
  connect(process_.get(), &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
    if (e != QProcess::FailedToStart) return;
    QString message = "cannot start " + binary_ + ": " + process_->errorString();
    process_.release()->deleteLater();
    emit failed(message);
  });
  emit progress(0, 1, "starting");
  process_->start();
  return true;
}

void ChooseRunner::on_stderr() {
  buffer_ += process_->readAllStandardError();
  // cairn plan --choose says first how many runs it will make over all its
  // sweeps, then "[k/N] <task> done, ..." as each finishes; anything else is
  // kept for errors.
  static const QRegularExpression kPlan(R"(sweep\(s\), (\d+) runs)"), kTask(R"(^\[(\d+)/(\d+)\] (\S+))");
  for (qsizetype nl; (nl = buffer_.indexOf('\n')) >= 0;) {
    const QString line = QString::fromUtf8(buffer_.left(nl)).trimmed();
    buffer_.remove(0, nl + 1);
    if (auto m = kPlan.match(line); m.hasMatch()) {
      total_ = std::max(1, m.captured(1).toInt());
      emit progress(done_, total_, "starting");
    } else if (auto t = kTask.match(line); t.hasMatch()) {
      done_ = std::min(done_ + 1, total_);
      emit progress(done_, total_, t.captured(3));
    } else if (!line.isEmpty()) {
      tail_.append(line);
      while (tail_.size() > kTailLines) tail_.removeFirst();
    }
  }
}

void ChooseRunner::on_finished(int exit_code, QProcess::ExitStatus status) {
  std::unique_ptr<QProcess> done(process_.release());
  done->disconnect(this);
  done.release()->deleteLater();
  if (cancelling_) return emit cancelled();
  if (status != QProcess::NormalExit || exit_code != 0)
    return emit failed("cairn plan --choose failed: " +
                       (tail_.isEmpty() ? QString("exit code %1").arg(exit_code) : tail_.join('\n')));
  Result<ChooseResult> result = load_choose(out_dir_.toStdString());
  if (!result) return emit failed(QString::fromStdString(result.status().message()));
  emit finished(*result);
}

void ChooseRunner::cancel() {
  if (!running()) return;
  cancelling_ = true;
  if (qint64 pid = process_->processId(); pid > 0) ::kill(-static_cast<pid_t>(pid), SIGKILL);
}

}  // namespace cairn::gui
