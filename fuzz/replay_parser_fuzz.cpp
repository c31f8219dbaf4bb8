// libFuzzer target for the replay-file parser. Any bytes may come in; the parser may only
// answer with a program or a tandem::Error. What parses must also survive the round trip:
// written back with format_replay, it parses to the same steps and the same device.
//
// Built standalone with clang (-DTANDEM_FUZZ=ON: replay_parser_fuzz), and linked into the
// regular test suite, which drives it over a generated corpus on any compiler.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "tandem/error.h"
#include "tandem/replay.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  tandem::ReplayFile file;
  try {
    file = tandem::parse_replay(text, "fuzz.replay");
  } catch (const tandem::Error& e) {
    const std::string what = e.what();
    if (what.rfind("fuzz.replay:", 0) != 0) throw std::logic_error("error without FILE:LINE: " + what);
    return 0;
  }
  if (file.lines.size() != file.program.size()) throw std::logic_error("a step without its line number");
  const std::string device = file.device.empty() ? "fuzz" : file.device;
  // A round-trip failure escapes as an exception other than a parse result: libFuzzer reports it.
  tandem::ReplayFile again;
  try {
    again = tandem::parse_replay(tandem::format_replay(device, file.program, file.notes), "roundtrip.replay");
  } catch (const tandem::Error& e) {
    throw std::logic_error(std::string("written replay does not parse back: ") + e.what());
  }
  if (again.device != device) throw std::logic_error("device changed in the round trip");
  if (again.program.size() != file.program.size()) throw std::logic_error("step count changed in the round trip");
  for (size_t i = 0; i < file.program.size(); ++i)
    if (!tandem::same_step(file.program[i], again.program[i]))
      throw std::logic_error("step " + std::to_string(i) + " changed in the round trip: " +
                             tandem::format_step(file.program[i]) + " vs " + tandem::format_step(again.program[i]));
  return 0;
}
