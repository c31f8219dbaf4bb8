// A self-contained HTML report of divergences: inline CSS and SVG, no script, nothing fetched.
// Per divergence: a summary (device, kind, step, cycle, register and fields), RTL against model
// values decoded by the register map's fields, the minimal program with the diverging step
// highlighted, and a timing diagram of the cycles before the divergence.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/campaign.h"
#include "tandem/cosim.h"
#include "tandem/waves.h"

namespace tandem {

// Text made safe inside HTML elements and attribute values (&, <, >, quotes; control
// characters but newline and tab shown as '?').
std::string html_escape(const std::string& text);

// One divergence and the program that reproduces it, recorded (run_recorded / run_with_waves).
struct ReportCase {
  const DeviceBinding* binding = nullptr;
  std::string source;              // the replay file
  std::vector<size_t> lines;       // its line of each step (may be empty)
  std::vector<std::string> notes;  // its informational comments
  Program program;
  RecordedRun recorded;
  std::string found_by;  // how the campaign found it (empty for a replay)
  std::optional<WaveFiles> waves;
};

// One bit field of a register and its value on both sides.
struct FieldValue {
  std::string name;  // "STATUS.DONE"
  unsigned msb = 0, lsb = 0;
  std::string access;
  uint64_t rtl = 0, model = 0;
  bool differs() const { return rtl != model; }
};

// The fields of the register at `offset` that an access of `size` bytes there covers, with the
// values both sides gave (lane 0 values of the access, as Divergence carries them).
std::vector<FieldValue> decode_fields(const RegisterMap& map, uint64_t offset, unsigned size, uint64_t rtl,
                                      uint64_t model);

// The whole page. `runs` (may be empty) becomes a summary table at the top, followed by
// `triage` (triage_html(), may be empty) and the waived divergences.
std::string html_report(const std::string& title, const std::vector<RunRecord>& runs,
                        const std::vector<ReportCase>& cases, const std::string& triage = "");

// The timing diagram alone (an <svg> element): the cycles before the divergence.
std::string timing_svg(const DeviceBinding& binding, const CosimRecord& record, const std::optional<Divergence>& d);

}  // namespace tandem
