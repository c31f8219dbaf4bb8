// timer_portmap: the bundled timer's binding over the renamed timer RTL (TIMER_EXT), which
// tandem_add_device binds through a generated wrapper (CMakeLists.txt, PORT_MAP).
#include <tandem/binding.h>

namespace tandem {

DeviceBinding describe_timer();

DeviceBinding describe_timer_portmap() {
  DeviceBinding b = describe_timer();
  b.name = "timer_portmap";
  b.description = "the timer's RTL with vendor-style port names, bound by PORT_MAP";
  return b;
}

}  // namespace tandem
