// timer_c binding: the timer's RTL, map and hints (describe_timer(), devices/timer/
// timer_binding.cpp) with the plain C model (models/timer/timer_c.c) through the C interface.
#include <memory>

#include <tandem/binding.h>
#include <tandem/c_device_adapter.h>

#include "models/timer/timer_c.h"

namespace tandem {

DeviceBinding describe_timer();

DeviceBinding describe_timer_c() {
  DeviceBinding b = describe_timer();
  b.name = "timer_c";
  b.description = "the timer with its model in plain C through the C device interface (tandem/c_device.h)";
  b.make_model = [] { return std::make_unique<CDeviceAdapter>(timer_c_device); };
  b.lockstep_fast = CDeviceAdapter::lockstep_fast_path();
  return b;
}

}  // namespace tandem
