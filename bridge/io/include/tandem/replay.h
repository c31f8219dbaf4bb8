// Replay files: a program as text, one step a line, in QEMU qtest's syntax where qtest has
// the line, so a reproducer reads like a qtest session and can be pasted into one.
//
//   # tandem replay v1 device=seldev            header: format version and the device
//   # tandem replay v1 device=seldev_axi4lite bus_timing=7   ... and the bus manager's varied
//                                               timing (RtlOptions::bus_timing), when not 0
//   # reproduces: write_error at UNIT_SELECT     any other comment is informational
//   writel 0xc 0x4                              bus write  (writeb/w/l/q ADDR VALUE)
//   readl 0x8 expect 0x3                        bus read   (readb/w/l/q ADDR [expect VALUE])
//   clock_step 12                               idle cycles
//   write 0x1000 4 0x78563412                   guest-memory write: ADDR SIZE 0xBYTES, memory order
//   reset                                       synchronous reset of both sides
//
// Numbers are hexadecimal with 0x or decimal. A trailing "# ..." on a step line is a comment.
// Every malformed input is a tandem::Error "FILE:LINE: what is wrong"; nothing else escapes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/binding.h"
#include "tandem/step.h"

namespace tandem {

constexpr unsigned kReplayVersion = 1;
constexpr size_t kReplayMaxLine = 4096;                  // characters in one line
constexpr uint64_t kReplayMaxClockStep = 1000000000000;  // 10^12 cycles in one clock_step
constexpr size_t kReplayMaxBytes = 64u << 20;            // a replay file larger than this is refused

struct ReplayFile {
  std::string source;       // the name errors carry (the path, or what the caller chose)
  std::string device;       // from the header; empty when the file has none
  uint64_t bus_timing = 0;  // from the header: the run's RtlOptions::bus_timing (0 when absent)
  size_t header_line = 0;   // line of the header, 0 when there is none
  Program program;
  std::vector<size_t> lines;       // 1-based line of each step, parallel to `program`
  std::vector<std::string> notes;  // informational comment lines after the header, '#' stripped
};

// Parse replay text. `source` names it in error messages.
ReplayFile parse_replay(std::string_view text, const std::string& source);

// Read and parse a replay file; an unreadable or oversized file is an Error naming the path.
ReplayFile load_replay(const std::string& path);

// The device a replay runs on: `override_device` when given, else the header's. Throws
// "FILE:1: ..." when there is neither.
std::string replay_device(const ReplayFile& file, const std::string& override_device);

// The device's binding in `catalog` (see replay_device); an unknown device named by the header
// is an Error "FILE:LINE: unknown device ...".
const DeviceBinding& replay_binding(const ReplayFile& file, const std::string& override_device, const Catalog& catalog);

// Steps the device cannot take (an access beyond its address window) are bad input: Error
// "FILE:LINE: ..." for the first one, before anything runs.
void check_replay_steps(const ReplayFile& file, const DeviceBinding& binding);

// A replay file's text: the header, one "# note" line per note, then one line per step
// (format_step, so the text parses back to exactly `program`).
std::string format_replay(const std::string& device, const Program& program, const std::vector<std::string>& notes,
                          uint64_t bus_timing = 0);

// Write format_replay() to `path`, creating nothing but the file. Throws Error naming the path.
void write_replay(const std::string& path, const std::string& device, const Program& program,
                  const std::vector<std::string>& notes, uint64_t bus_timing = 0);

// True when two steps are the same step (every field a replay line carries).
bool same_step(const Step& a, const Step& b);

}  // namespace tandem
