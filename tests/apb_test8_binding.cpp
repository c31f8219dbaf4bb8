// The APB test block at 8 bits.
#include "tests/apb_testblock_binding.h"

namespace tandem {
DeviceBinding describe_apb_test8() { return testblock<8>("apb_test8"); }
}  // namespace tandem
