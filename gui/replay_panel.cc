#include "gui/replay_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSlider>
#include <QTimer>
#include <QVBoxLayout>

#include "gui/cluster_view.h"
#include "gui/replay.h"
#include "sim/scenario.h"

namespace cairn::gui {
namespace {

constexpr int kPlayIntervalMs = 150;  // about 7 simulated months per second

QWidget* legend(QWidget* parent) {
  auto* w = new QWidget(parent);
  auto* h = new QHBoxLayout(w);
  h->setContentsMargins(0, 0, 0, 0);
  auto add = [&](SlotState s, double fill, const QString& text) {
    auto* swatch = new QLabel(w);
    swatch->setFixedSize(14, 14);
    swatch->setStyleSheet("background: " + ClusterView::color(s, fill).name() + "; border: 1px solid gray;");
    h->addWidget(swatch);
    h->addWidget(new QLabel(text, w));
  };
  add(SlotState::kHealthy, 0.1, "healthy, nearly empty");
  add(SlotState::kHealthy, 0.9, "healthy, nearly full");
  add(SlotState::kNew, 0, "new this month");
  add(SlotState::kDown, 0, "node down");
  add(SlotState::kFailed, 0, "failed");
  add(SlotState::kHealing, 0, "healing");
  add(SlotState::kRetired, 0, "retired, awaiting replacement");
  auto* ring = new QLabel(w);
  ring->setFixedSize(14, 14);
  ring->setStyleSheet("border: 2px solid rgb(200,0,0);");
  h->addWidget(ring);
  h->addWidget(new QLabel("failed during the month", w));
  h->addStretch(1);
  return w;
}

QString describe(const sim::Event& e) {
  QString text = QString("day %1: %2").arg(e.time_s / 86400.0, 0, 'f', 1).arg(QString::fromStdString(e.kind));
  if (e.node >= 0) text += QString(", node %1").arg(e.node);
  if (e.disk >= 0) text += QString(", disk %1").arg(e.disk);
  if (e.group >= 0) text += QString(", group %1").arg(e.group);
  if (e.bytes > 0) text += QString(", %1 GB").arg(e.bytes / 1e9, 0, 'f', 1);
  if (!e.detail.empty()) text += " (" + QString::fromStdString(e.detail) + ")";
  return text;
}

}  // namespace

ReplayPanel::ReplayPanel(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  view_ = new ClusterView(this);
  v->addWidget(legend(this));
  v->addWidget(view_, 3);
  auto* controls = new QHBoxLayout;
  play_ = new QPushButton("Play", this);
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setRange(0, 0);
  caption_ = new QLabel(this);
  caption_->setMinimumWidth(360);
  controls->addWidget(play_);
  controls->addWidget(slider_, 1);
  controls->addWidget(caption_);
  v->addLayout(controls);
  events_ = new QListWidget(this);
  events_->setMaximumHeight(140);
  v->addWidget(events_, 1);
  timer_ = new QTimer(this);
  timer_->setInterval(kPlayIntervalMs);
  connect(slider_, &QSlider::valueChanged, this, &ReplayPanel::show_month);
  connect(play_, &QPushButton::clicked, this, &ReplayPanel::toggle_play);
  connect(timer_, &QTimer::timeout, this, [this] {
    if (slider_->value() >= slider_->maximum()) return toggle_play();
    slider_->setValue(slider_->value() + 1);
  });
  setEnabled(false);
}

bool ReplayPanel::playing() const { return timer_->isActive(); }

void ReplayPanel::set_run(const RunData& run) {
  run_ = run;
  timer_->stop();
  play_->setText("Play");
  const int months = static_cast<int>(replay_months(run_));
  setEnabled(months > 0 && !run_.disks.empty());
  slider_->blockSignals(true);
  slider_->setRange(0, std::max(0, months - 1));
  slider_->setValue(0);
  slider_->blockSignals(false);
  show_month(0);
}

void ReplayPanel::show_month(int month) {
  ReplayState state = replay_state(run_, static_cast<uint32_t>(std::max(0, month)));
  const auto n = [&](SlotState s) { return state.count[static_cast<int>(s)]; };
  caption_->setText(QString("year %1, month %2 — %3 nodes; %4 failed, %5 healing, %6 new")
                        .arg(state.month / 12 + 1)
                        .arg(state.month % 12 + 1)
                        .arg(state.nodes())
                        .arg(n(SlotState::kFailed))
                        .arg(n(SlotState::kHealing))
                        .arg(n(SlotState::kNew)));
  events_->clear();
  for (const sim::Event& e : state.events) events_->addItem(describe(e));
  view_->set_state(std::move(state));
}

void ReplayPanel::toggle_play() {
  if (timer_->isActive()) {
    timer_->stop();
    play_->setText("Play");
    return;
  }
  if (slider_->value() >= slider_->maximum()) slider_->setValue(0);
  timer_->start();
  play_->setText("Pause");
}

}  // namespace cairn::gui
