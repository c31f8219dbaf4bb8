// SIGINT and SIGTERM during long work: the handler only records the signal in a lock-free
// atomic; the work reads it between steps (CampaignControl::stop), ends there and reports what
// it did. The library never sees a signal, only that flag.
#pragma once

#include <atomic>

namespace tandem {

// Installs the handlers for its lifetime (and restores the previous ones after). Further
// signals while the first is being honoured change nothing.
class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  // 0, or the signal that asked the work to stop.
  static const std::atomic<int>& flag();
  // The exit status after a stop by `signal`: 128 + the signal (130 for SIGINT, 143 for SIGTERM).
  static int exit_status(int signal) { return 128 + signal; }
  // "SIGINT", "SIGTERM".
  static const char* name(int signal);
};

}  // namespace tandem
