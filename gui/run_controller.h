// RunController: runs `cairn plan` for one scenario or for the variants of a
// comparison, one after another, as a subprocess (SimGrid allows one
// simulation per process), so the GUI thread never waits: QProcess reports
// through signals. Cancel kills the run's whole process group (cairn plan
// forks one process per replicate). Lives on the GUI thread; not thread-safe.
#pragma once

#include <QObject>
#include <QProcess>
#include <QString>

#include <memory>
#include <vector>

#include "gui/run_results.h"

namespace cairn::gui {

struct RunJob {
  QString label;          // "ec:8+3"; names the result
  QString scenario_yaml;  // written to out_dir/scenario.yaml and run
  QString out_dir;
};

// How `cairn plan` is asked to run every job of a batch.
struct RunOptions {
  uint32_t runs = 1;  // replicates (--runs)
  // --nines: estimate durability by conditioning (summary.json's
  // "durability"); bias (--bias, 1 = off) only with it.
  bool nines = false;
  double bias = 1.0;
};

class RunController : public QObject {
  Q_OBJECT

 public:
  // `cairn_binary`: the cairn command; see default_binary().
  explicit RunController(QString cairn_binary, QObject* parent = nullptr);
  ~RunController() override;

  // $CAIRN_BIN if set, else the cairn built beside this program (its path
  // fixed at build time), else `cairn` next to the running executable.
  static QString default_binary();

  // Starts the jobs, each run as `options` say. False (nothing started)
  // while another batch runs or when `jobs` is empty.
  bool start(std::vector<RunJob> jobs, const RunOptions& options);
  // The arguments after `cairn` for a job's scenario and output directory.
  static QStringList plan_arguments(const QString& scenario, const QString& out_dir, const RunOptions& options);
  void cancel();
  bool running() const { return process_ != nullptr; }
  // The running process's id (also its process group), or 0.
  qint64 process_id() const;
  const QString& binary() const { return binary_; }

 signals:
  // `month` of `months` simulated in run 0 of job `job` of `jobs`;
  // `runs_done` of `runs` replicates finished.
  void progress(int job, int jobs, int month, int months, int runs_done, int runs);
  // Every job finished; results in job order.
  void finished(const std::vector<cairn::gui::RunData>& results);
  void failed(const QString& message);
  void cancelled();

 private:
  void start_job();
  void on_stderr();
  void on_finished(int exit_code, QProcess::ExitStatus status);
  void stop(bool kill_group);

  QString binary_;
  std::vector<RunJob> jobs_;
  std::vector<RunData> results_;
  RunOptions options_;
  size_t current_ = 0;
  std::unique_ptr<QProcess> process_;
  QByteArray stderr_buffer_;
  QStringList stderr_tail_;  // the last lines that were not progress, for errors
  int month_ = 0, months_ = 1, runs_done_ = 0;
  bool cancelling_ = false;
};

}  // namespace cairn::gui
