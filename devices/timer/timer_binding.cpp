// timer binding: register map, hints and model of the prescaled compare timers. The map is
// devices/timer/timer.rdl, embedded by the build (tandem_regs/timer.hpp). The RTL factory is
// added by tandem_add_device() in CMake, which knows the verilated top.
#include <string>

#include <tandem/binding.h>
#include <tandem/map_spec.h>
#include <tandem/rdl.h>
#include <tandem/reuse.h>
#include <tandem_regs/timer.hpp>

#include "models/timer/timer_model.h"

namespace tandem {

namespace {
using M = models::TimerModel;

// The programming guide's order: clear stale status, configure compare, enable the interrupt,
// start (prescaler and mode in the same CTRL write), wait, read and acknowledge, read COUNT.
Program oneshot_sequence() {
  return {Step::write(M::INT_STATUS, 0x1),
          Step::write(M::compare(0), 24),
          Step::write(M::INT_ENABLE, 0x1),
          Step::write(M::ctrl(0), (3u << M::kPrescaleShift) | M::kEnable),
          Step::idle(100),
          Step::read(M::INT_STATUS),
          Step::write(M::INT_STATUS, 0x1),
          Step::read(M::count(0)),
          Step::read(M::ctrl(0))};
}

Program periodic_sequence() {
  return {Step::write(M::INT_STATUS, 0x2),
          Step::write(M::compare(1), 9),
          Step::write(M::INT_ENABLE, 0x2),
          Step::write(M::ctrl(1), (1u << M::kPrescaleShift) | M::kPeriodic | M::kEnable),
          Step::idle(20),
          Step::read(M::INT_STATUS),
          Step::write(M::INT_STATUS, 0x2),
          Step::idle(20),
          Step::read(M::count(1)),
          Step::read(M::INT_STATUS),
          Step::write(M::ctrl(1), 0)};
}
}  // namespace

DeviceBinding describe_timer() {
  DeviceBinding b;
  b.name = "timer";
  b.description = "4 prescaled compare timers, one-shot/periodic (long idle gaps the model skips in O(1))";
  b.addr_width = 12;  // paddr[11:0]
  b.regmap = to_register_map(parse_rdl(tandem_regs::timer::kRdlText, tandem_regs::timer::kRdlFile));
  b.hints.sequences = {{"oneshot", oneshot_sequence()}, {"periodic", periodic_sequence()}};
  b.hints.irq_lines = {"irq"};
  b.hints.max_idle = 4000;
  b.make_model = [] { return std::make_unique<models::TimerModel>(); };
  return b;
}

// The timer's model for another implementation of it (tandem_add_device MODEL_OF timer):
//   magic  ID.MAGIC, ID[31:16] (default 0x713E): a vendor's own identification.
DeviceBinding describe_timer_with(const ModelOptions& options) {
  options.check_known("timer", {"magic"});
  const uint32_t id = uint32_t(options.number("magic", 16, M::kId >> 16) << 16) | (M::kId & 0xFFFFu);
  DeviceBinding b = describe_timer();
  b.make_model = [id] { return std::make_unique<models::TimerModel>(id); };
  return b;
}

}  // namespace tandem
