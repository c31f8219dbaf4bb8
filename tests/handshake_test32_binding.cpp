// The bus-driver test block at 32 bits behind the handshake test bus (tests/bus/handshake_driver.h).
#include "tests/apb_testblock_binding.h"

namespace tandem {
DeviceBinding describe_handshake_test32() { return testblock<32>("handshake_test32"); }
}  // namespace tandem
