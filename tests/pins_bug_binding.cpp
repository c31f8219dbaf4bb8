// The pin test block verilated with its seeded bug (BUG=1: echo inverted while OUT[3] is set).
#include "tests/pins_testblock_model.h"

namespace tandem {
DeviceBinding describe_pins_bug() { return tests::pins_testblock("pins_bug"); }
}  // namespace tandem
