// The pin test block (tests/rtl/pins_testblock.sv), for tests/pins_test.cpp.
#include "tests/pins_testblock_model.h"

namespace tandem {
DeviceBinding describe_pins_test() { return tests::pins_testblock("pins_test"); }
}  // namespace tandem
