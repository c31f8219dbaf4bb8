// One self-updating line on stderr while long work runs (run, fuzz, regtest, bench, shrink),
// when stderr is a terminal and --quiet was not given: what is done, how fast, what was found,
// the time left. Nothing at all otherwise, so pipes, files and CI logs stay clean.
//
// No Debian package offers a C++ progress line (there is no libindicators-dev; the progress
// bar libraries packaged are for Go, Rust, Python and Haskell), so this is one `\r` line cut to
// the terminal's width (TIOCGWINSZ) and padded with spaces over the previous one: no escape
// codes, so it also reads right on a dumb terminal.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <tandem/campaign.h>

namespace tandem {

// True when stderr is a terminal and the user did not ask for --quiet.
bool progress_wanted(bool quiet);

class ProgressLine {
 public:
  // `describe(elapsed seconds)` gives the line; it is called a few times a second on a
  // background thread, so it may read only atomics (or what does not change meanwhile).
  using Describe = std::function<std::string(double)>;
  ProgressLine(bool enabled, Describe describe);
  ~ProgressLine();  // stops, and erases the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Runs `print` (which writes the report to stdout) with the line erased, so a report and
  // the line never share a terminal row; the next tick draws the line again.
  void above(const std::function<void()>& print);

 private:
  void loop();
  void draw(const std::string& text);  // with m_mutex held
  void erase();                        // with m_mutex held

  Describe m_describe;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_done = false;
  size_t m_width = 0;  // characters the line on screen holds
  std::thread m_thread;
};

// "1:02:03", "4:05", "7s".
std::string format_duration(double seconds);

// ", idle gap 42% of 1.0G cycles" while a long gap runs, else "".
std::string idle_gap_text(const IdleProgress& gap);

// The line of a campaign: "run: 3/8 jobs, 1.2M steps, 310k steps/s, 1 divergence, 0:42 left".
// `steps_per_job` kUnlimitedSteps and `seconds_per_job` 0 when that budget is not given.
struct CampaignPlan {
  size_t jobs = 0;
  uint64_t steps_per_job = 0;
  double seconds_per_job = 0;
  unsigned threads = 1;
};
std::string campaign_progress(const CampaignControl& control, const CampaignPlan& plan, double elapsed);

}  // namespace tandem
