#include "gui/run_controller.h"

#include <signal.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace cairn::gui {
namespace {

constexpr int kStderrTailLines = 8;

}  // namespace

RunController::RunController(QString cairn_binary, QObject* parent)
    : QObject(parent), binary_(std::move(cairn_binary)) {}

RunController::~RunController() { stop(true); }

QString RunController::default_binary() {
  QString env = qEnvironmentVariable("CAIRN_BIN");
  if (!env.isEmpty()) return env;
#ifdef CAIRN_BIN_PATH
  if (QFileInfo(QStringLiteral(CAIRN_BIN_PATH)).isExecutable()) return QStringLiteral(CAIRN_BIN_PATH);
#endif
  return QDir(QCoreApplication::applicationDirPath()).filePath("cairn");
}

qint64 RunController::process_id() const { return process_ ? process_->processId() : 0; }

QStringList RunController::plan_arguments(const QString& scenario, const QString& out_dir,
                                         const RunOptions& options) {
  QStringList args{"plan", scenario, "--out", out_dir, "--runs", QString::number(std::max(1u, options.runs)),
                   "--json", "--progress-lines", "--disk-detail"};
  if (options.nines) {
    args << "--nines";
    // cairn plan refuses --bias without --nines; 1 is its default.
    if (options.bias != 1.0) args << "--bias" << QString::number(options.bias, 'g', 10);
  }
  return args;
}

bool RunController::start(std::vector<RunJob> jobs, const RunOptions& options) {
  if (running() || jobs.empty()) return false;
  jobs_ = std::move(jobs);
  results_.clear();
  options_ = options;
  options_.runs = std::max(1u, options.runs);
  current_ = 0;
  cancelling_ = false;
  start_job();
  return true;
}

void RunController::start_job() {
  const RunJob& job = jobs_[current_];
  if (!QDir().mkpath(job.out_dir)) return emit failed("cannot create " + job.out_dir);
  // Stale outputs from an earlier run must not pass for this one's.
  for (const char* f : {"timeseries.csv", "events.csv", "disks.csv", "cost.csv", "summary.json"})
    QFile::remove(QDir(job.out_dir).filePath(f));
  QString scenario = QDir(job.out_dir).filePath("scenario.yaml");
  QFile file(scenario);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(job.scenario_yaml.toUtf8()) < 0)
    return emit failed("cannot write " + scenario);
  file.close();

  process_ = std::make_unique<QProcess>();
  process_->setProgram(binary_);
  process_->setArguments(plan_arguments(scenario, job.out_dir, options_));
  process_->setStandardOutputFile(QProcess::nullDevice());
  // Its own process group, so Cancel reaches the replicates it forks.
  process_->setChildProcessModifier([] { setpgid(0, 0); });
  connect(process_.get(), &QProcess::readyReadStandardError, this, &RunController::on_stderr);
  connect(process_.get(), &QProcess::finished, this, &RunController::on_finished);
  connect(process_.get(), &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
    if (e != QProcess::FailedToStart) return;
    QString message = "cannot start " + binary_ + ": " + process_->errorString();
    process_.release()->deleteLater();
    emit failed(message);
  });
  stderr_buffer_.clear();
  stderr_tail_.clear();
  month_ = 0, months_ = 1, runs_done_ = 0;
  emit progress(static_cast<int>(current_), static_cast<int>(jobs_.size()), 0, 1, 0, static_cast<int>(options_.runs));
  process_->start();
}

void RunController::on_stderr() {
  stderr_buffer_ += process_->readAllStandardError();
  static const QRegularExpression kMonth(R"(^month (\d+)/(\d+)$)"), kRun(R"(^run (\d+)/(\d+)$)");
  for (qsizetype nl; (nl = stderr_buffer_.indexOf('\n')) >= 0;) {
    QString line = QString::fromUtf8(stderr_buffer_.left(nl)).trimmed();
    stderr_buffer_.remove(0, nl + 1);
    if (auto m = kMonth.match(line); m.hasMatch()) {
      month_ = m.captured(1).toInt(), months_ = std::max(1, m.captured(2).toInt());
    } else if (auto r = kRun.match(line); r.hasMatch()) {
      runs_done_ = r.captured(1).toInt();
    } else {
      if (!line.isEmpty()) stderr_tail_.append(line);
      while (stderr_tail_.size() > kStderrTailLines) stderr_tail_.removeFirst();
      continue;
    }
    emit progress(static_cast<int>(current_), static_cast<int>(jobs_.size()), month_, months_, runs_done_,
                  static_cast<int>(options_.runs));
  }
}

void RunController::on_finished(int exit_code, QProcess::ExitStatus status) {
  std::unique_ptr<QProcess> done(process_.release());
  done->disconnect(this);
  done.release()->deleteLater();
  if (cancelling_) return emit cancelled();
  const RunJob& job = jobs_[current_];
  if (status != QProcess::NormalExit || exit_code != 0) {
    QString why = stderr_tail_.isEmpty() ? QString("exit code %1").arg(exit_code) : stderr_tail_.join('\n');
    return emit failed(job.label + ": cairn plan failed: " + why);
  }
  Result<RunData> run = load_run(job.out_dir.toStdString(), job.label.toStdString());
  if (!run) return emit failed(QString::fromStdString(run.status().message()));
  results_.push_back(std::move(run).value());
  if (++current_ < jobs_.size()) return start_job();
  emit finished(results_);
}

void RunController::cancel() {
  if (!running()) return;
  cancelling_ = true;
  stop(true);
}

void RunController::stop(bool kill_group) {
  if (!process_) return;
  qint64 pid = process_->processId();
  if (kill_group && pid > 0) ::kill(-static_cast<pid_t>(pid), SIGKILL);
  if (!cancelling_) {  // destruction: no signals, but reap the process
    process_->disconnect(this);
    process_->waitForFinished(2000);
    process_.reset();
  }
}

}  // namespace cairn::gui
