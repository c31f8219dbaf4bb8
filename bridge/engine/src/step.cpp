// Steps as replay-file lines: qtest's syntax where qtest has one.
#include "tandem/step.h"

#include <fmt/format.h>

namespace tandem {

namespace {
char size_suffix(unsigned size) {
  switch (size) {
    case 1: return 'b';
    case 2: return 'w';
    case 8: return 'q';
    default: return 'l';
  }
}
}  // namespace

std::string format_step(const Step& s) {
  switch (s.kind) {
    case StepKind::read:
      if (s.expect) return fmt::format("read{} {:#x} expect {:#x}", size_suffix(s.size), s.addr, *s.expect);
      return fmt::format("read{} {:#x}", size_suffix(s.size), s.addr);
    case StepKind::write: return fmt::format("write{} {:#x} {:#x}", size_suffix(s.size), s.addr, s.data);
    case StepKind::idle: return fmt::format("clock_step {}", s.data);
    case StepKind::reset: return "reset";
    case StepKind::mem_write: {
      // qtest: write ADDR SIZE 0xBYTES (bytes in memory order)
      std::string hex;
      for (unsigned i = 0; i < s.size; ++i) hex += fmt::format("{:02x}", (s.data >> (8 * i)) & 0xff);
      return fmt::format("write {:#x} {} 0x{}", s.addr, s.size, hex);
    }
  }
  return "?";
}

}  // namespace tandem
