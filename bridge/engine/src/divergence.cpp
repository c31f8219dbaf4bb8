// Names of the divergence kinds, as reports and the JSON contract print them.
#include "tandem/divergence.h"

namespace tandem {

const char* kind_name(DivergenceKind k) {
  switch (k) {
    case DivergenceKind::read_data: return "read_data";
    case DivergenceKind::read_error: return "read_error";
    case DivergenceKind::write_error: return "write_error";
    case DivergenceKind::irq: return "irq";
    case DivergenceKind::dma: return "dma";
    case DivergenceKind::hang: return "hang";
    case DivergenceKind::protocol: return "protocol";
    case DivergenceKind::sanitizer: return "sanitizer";
    case DivergenceKind::restore: return "restore";
    case DivergenceKind::crash: return "crash";
    case DivergenceKind::serial: return "serial";
  }
  return "?";
}

}  // namespace tandem
