// The progress line: a background thread redraws it from atomics four times a second.
#include "progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

namespace tandem {

namespace {

constexpr auto kTick = std::chrono::milliseconds(250);

size_t terminal_columns() {
  winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

// 1234567 -> "1.2M": the line stays short.
std::string compact(double n) {
  if (n >= 1e9) return fmt::format("{:.1f}G", n / 1e9);
  if (n >= 1e6) return fmt::format("{:.1f}M", n / 1e6);
  if (n >= 1e4) return fmt::format("{:.0f}k", n / 1e3);
  return fmt::format("{:.0f}", n);
}

// Seconds the campaign still needs, or a negative number when it cannot be told.
double time_left(const CampaignControl& c, const CampaignPlan& plan, double elapsed, double steps) {
  const double jobs_left = static_cast<double>(plan.jobs) - static_cast<double>(c.jobs_done.load());
  if (jobs_left <= 0) return 0;
  double left = -1;
  if (plan.steps_per_job != kUnlimitedSteps && steps > 0) {
    const double total = static_cast<double>(plan.jobs) * static_cast<double>(plan.steps_per_job);
    left = (total - steps) * elapsed / steps;
  }
  if (plan.seconds_per_job > 0) {
    const double rounds = std::ceil(static_cast<double>(plan.jobs) / plan.threads);
    const double by_time = std::max(0.0, rounds * plan.seconds_per_job - elapsed);
    left = left < 0 ? by_time : std::min(left, by_time);
  }
  return std::max(left, -1.0);
}

// The longest gap a thread is in.
std::string idle_gap(const CampaignControl& c) {
  const IdleProgress* longest = nullptr;
  for (const auto& slot : c.idle)
    if (longest == nullptr || slot->total.load(std::memory_order_relaxed) > longest->total.load()) longest = slot.get();
  return longest != nullptr ? idle_gap_text(*longest) : "";
}

}  // namespace

bool progress_wanted(bool quiet) { return !quiet && ::isatty(STDERR_FILENO) == 1; }

ProgressLine::ProgressLine(bool enabled, Describe describe) : m_describe(std::move(describe)) {
  if (enabled) m_thread = std::thread([this] { loop(); });
}

ProgressLine::~ProgressLine() {
  if (!m_thread.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_done = true;
    erase();
  }
  m_wake.notify_all();
  m_thread.join();
}

void ProgressLine::above(const std::function<void()>& print) {
  std::lock_guard<std::mutex> lock(m_mutex);
  erase();
  print();
  std::fflush(stdout);
}

void ProgressLine::loop() {
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(m_mutex);
  while (!m_wake.wait_for(lock, kTick, [this] { return m_done; })) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    draw(m_describe(elapsed));
  }
}

void ProgressLine::draw(const std::string& text) {
  const size_t room = terminal_columns() - 1;  // the last column would wrap on some terminals
  std::string line = text.substr(0, room);
  const size_t shown = line.size();
  if (shown < m_width) line.append(m_width - shown, ' ');
  std::fprintf(stderr, "\r%s", line.c_str());
  std::fflush(stderr);
  m_width = shown;
}

void ProgressLine::erase() {
  if (m_width == 0) return;
  std::fprintf(stderr, "\r%s\r", std::string(m_width, ' ').c_str());
  std::fflush(stderr);
  m_width = 0;
}

std::string idle_gap_text(const IdleProgress& gap) {
  const uint64_t total = gap.total.load(std::memory_order_relaxed);
  if (total == 0) return "";
  const uint64_t done = gap.done.load(std::memory_order_relaxed);
  return fmt::format(", idle gap {:.0f}% of {} cycles", 100.0 * static_cast<double>(done) / static_cast<double>(total),
                     compact(static_cast<double>(total)));
}

std::string format_duration(double seconds) {
  const auto s = static_cast<uint64_t>(std::max(0.0, seconds) + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  if (s >= 60) return fmt::format("{}:{:02}", s / 60, s % 60);
  return fmt::format("{}s", s);
}

std::string campaign_progress(const CampaignControl& c, const CampaignPlan& plan, double elapsed) {
  const auto steps = static_cast<double>(c.steps.load(std::memory_order_relaxed));
  const uint64_t found = c.divergences.load();
  const double left = time_left(c, plan, elapsed, steps);
  return fmt::format("run: {}/{} jobs, {} steps, {} steps/s, {} divergence{}{}, {}{}", c.jobs_done.load(), plan.jobs,
                     compact(steps), compact(elapsed > 0 ? steps / elapsed : 0), found, found == 1 ? "" : "s",
                     idle_gap(c), left < 0 ? "time left unknown" : format_duration(left) + " left",
                     c.stop_requested() ? " (stopping)" : "");
}

}  // namespace tandem
