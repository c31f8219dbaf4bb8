// The APB test block at 16 bits.
#include "tests/apb_testblock_binding.h"

namespace tandem {
DeviceBinding describe_apb_test16() { return testblock<16>("apb_test16"); }
}  // namespace tandem
