// The bus-driver test block at 8 bits behind the handshake test bus (tests/bus/handshake_driver.h).
#include "tests/apb_testblock_binding.h"

namespace tandem {
DeviceBinding describe_handshake_test8() { return testblock<8>("handshake_test8"); }
}  // namespace tandem
