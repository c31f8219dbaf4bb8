// The APB test block at 32 bits.
#include "tests/apb_testblock_binding.h"

namespace tandem {
DeviceBinding describe_apb_test32() { return testblock<32>("apb_test32"); }
}  // namespace tandem
