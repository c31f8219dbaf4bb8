// The dma model's guest memory when it runs without a port (DmaModel::no_memory), in a file of
// its own: the compiler, seeing it beside take(), would test for its type at every access.
#include "dma_model.h"

namespace models {

namespace {
// Reads zero, drops writes.
class NoMemory final : public tandem::DmaPort {
 public:
  uint64_t read(uint64_t, unsigned, tandem::Cycle) override { return 0; }
  void write(uint64_t, uint64_t, unsigned, tandem::Cycle) override {}
};
}  // namespace

tandem::DmaPort& DmaModel::no_memory() {
  static NoMemory memory;
  return memory;
}

}  // namespace models
