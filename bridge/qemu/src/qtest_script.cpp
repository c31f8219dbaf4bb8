// A tandem program as a session of QEMU's own qtest, timed the way QemuDevice drives QEMU, so a
// finding's replay file can be attached to a QEMU bug report and run with QEMU alone.
#include <fmt/format.h>

#include "tandem/error.h"
#include "tandem/qemu_device.h"

namespace tandem {

namespace {
char size_letter(unsigned size) { return size == 1 ? 'b' : size == 2 ? 'w' : size == 8 ? 'q' : 'l'; }
uint64_t ns_at(uint64_t cycle, uint64_t clock_hz) {
  return static_cast<uint64_t>(static_cast<unsigned __int128>(cycle) * 1000000000u / clock_hz);
}
}  // namespace

std::string program_to_qtest(const Program& program, uint64_t base, uint64_t clock_hz, unsigned access_edges,
                             const std::string& irq_path, const std::function<bool(uint64_t)>& served_by_line) {
  if (clock_hz == 0) throw Error("qtest: the clock frequency must not be 0");
  std::string out = irq_path.empty() ? "" : fmt::format("irq_intercept_in {}\n", irq_path);
  uint64_t cycle = 0, stepped = 0;
  auto step_to = [&](uint64_t to) {
    const uint64_t ns = ns_at(to, clock_hz) - ns_at(stepped, clock_hz);
    stepped = to;
    if (ns > 0) out += fmt::format("clock_step {}\n", ns);
  };
  for (size_t i = 0; i < program.size(); ++i) {
    const Step& s = program[i];
    if ((s.kind == StepKind::read || s.kind == StepKind::write) && served_by_line && served_by_line(s.addr)) {
      cycle += access_edges;
      continue;
    }
    switch (s.kind) {
      case StepKind::read:
        step_to(cycle += access_edges);
        out += fmt::format("read{} {:#x}\n", size_letter(s.size), base + s.addr);
        break;
      case StepKind::write:
        step_to(cycle += access_edges);
        out += fmt::format("write{} {:#x} {:#x}\n", size_letter(s.size), base + s.addr, s.data);
        break;
      case StepKind::idle: cycle += s.data; break;
      case StepKind::mem_write: out += format_step(s) + "\n"; break;
      case StepKind::reset:
        if (i != 0) throw Error(fmt::format("qtest: step {}: a reset has no qtest command (start a new QEMU)", i + 1));
        break;
    }
  }
  step_to(cycle);
  return out;
}

}  // namespace tandem
