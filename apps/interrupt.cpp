// SIGINT/SIGTERM: a flag set from the handler, nothing else done there.
#include "interrupt.h"

#include <csignal>

namespace tandem {

namespace {

// Lock-free, so both the signal handler and the worker threads may touch it (a plain
// volatile sig_atomic_t is safe for the handler but not across threads).
std::atomic<int> g_stop{0};
static_assert(ATOMIC_INT_LOCK_FREE == 2, "the stop flag must be lock-free to be set from a signal handler");

struct sigaction g_previous_int, g_previous_term;

extern "C" void on_stop_signal(int signal) { g_stop.store(signal, std::memory_order_relaxed); }

void install(int signal, struct sigaction& previous) {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  // No SA_RESETHAND: `timeout` and process-group kills deliver the signal twice, and the
  // second must not end the process before the partial report is out. A step is bounded by
  // --max-cycles, so the wait for the next step boundary is too; SIGKILL is always there.
  action.sa_flags = 0;
  sigaction(signal, &action, &previous);
}

}  // namespace

InterruptScope::InterruptScope() {
  g_stop.store(0);
  install(SIGINT, g_previous_int);
  install(SIGTERM, g_previous_term);
}

InterruptScope::~InterruptScope() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

const std::atomic<int>& InterruptScope::flag() { return g_stop; }

const char* InterruptScope::name(int signal) {
  switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "a signal";
  }
}

}  // namespace tandem
