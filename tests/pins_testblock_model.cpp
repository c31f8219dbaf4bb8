// The pin test block's binding (tests/pins_testblock_model.h).
#include "tests/pins_testblock_model.h"

namespace tests {

tandem::DeviceBinding pins_testblock(const char* name) {
  tandem::DeviceBinding b;
  b.name = name;
  b.description = "pin support test block";
  b.regmap.name = name;
  for (const char* reg : {"OUT", "IN", "MASK"}) {
    tandem::Register r;
    r.name = reg;
    r.offset = b.regmap.registers.size();
    r.width = 8;
    r.access = r.name == "IN" ? tandem::Access::ro : tandem::Access::rw;
    b.regmap.registers.push_back(r);
  }
  b.hints.irq_lines = {"irq"};
  b.make_model = [] { return std::make_unique<PinsTestblockModel>(); };
  b.make_pin_source = [] { return std::make_unique<CountingPins>(); };
  return b;
}

}  // namespace tests
