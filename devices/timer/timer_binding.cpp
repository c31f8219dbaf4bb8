// timer binding: register map, hints and model of the prescaled compare timers. The RTL
// factory is added by tandem_add_device() in CMake, which knows the verilated top.
#include <string>

#include <tandem/binding.h>

#include "models/timer/timer_model.h"

namespace tandem {

namespace {
using M = models::TimerModel;

RegisterMap timer_map() {
  RegisterMap map;
  map.name = "timer";
  auto reg = [&](std::string name, uint64_t off, Access acc, uint64_t write_mask, std::vector<Field> fields,
                 std::string desc, bool is_volatile = false) {
    Register r;
    r.name = std::move(name);
    r.offset = off;
    r.access = acc;
    r.write_mask = write_mask;
    r.fields = std::move(fields);
    r.desc = std::move(desc);
    r.is_volatile = is_volatile;
    map.registers.push_back(std::move(r));
  };
  reg("ID", M::ID, Access::ro, 0, {{"TIMERS", 0, 8, Access::ro}, {"MAGIC", 16, 16, Access::ro}},
      "device identification");
  reg("INT_STATUS", M::INT_STATUS, Access::w1c, M::kTimerMask, {{"MATCH", 0, M::kTimers, Access::w1c}},
      "per-timer compare match (write 1 to clear)", true);
  reg("INT_ENABLE", M::INT_ENABLE, Access::rw, M::kTimerMask, {{"IE", 0, M::kTimers, Access::rw}},
      "per-timer interrupt enable");
  for (unsigned n = 0; n < M::kTimers; ++n) {
    const std::string t = "T" + std::to_string(n) + "_";
    // Stimulus hint: PRESCALE mostly below 16 and COMPARE below 256, so random runs see
    // matches between two reconfigurations; the all-ones and fully random values that the
    // stimulus also draws cover the large ones.
    reg(t + "CTRL", M::ctrl(n), Access::rw, M::kEnable | M::kPeriodic | (0x0fu << M::kPrescaleShift),
        {{"ENABLE", 0, 1, Access::rw}, {"PERIODIC", 1, 1, Access::rw}, {"PRESCALE", 8, 8, Access::rw}},
        "timer " + std::to_string(n) + ": enable (cleared by a one-shot match), mode, prescaler", true);
    reg(t + "COMPARE", M::compare(n), Access::rw, 0xff, {{"VALUE", 0, 32, Access::rw}},
        "timer " + std::to_string(n) + ": compare value");
    reg(t + "COUNT", M::count(n), Access::ro, 0, {{"VALUE", 0, 32, Access::ro}},
        "timer " + std::to_string(n) + ": counter", true);
  }
  return map;
}

// The programming guide's order: clear stale status, configure compare, enable the interrupt,
// start (prescaler and mode in the same CTRL write), wait, read and acknowledge, read COUNT.
Program oneshot_sequence() {
  return {Step::write(M::INT_STATUS, 0x1),   Step::write(M::compare(0), 24),
          Step::write(M::INT_ENABLE, 0x1),   Step::write(M::ctrl(0), (3u << M::kPrescaleShift) | M::kEnable),
          Step::idle(100),                   Step::read(M::INT_STATUS),
          Step::write(M::INT_STATUS, 0x1),   Step::read(M::count(0)),
          Step::read(M::ctrl(0))};
}

Program periodic_sequence() {
  return {Step::write(M::INT_STATUS, 0x2), Step::write(M::compare(1), 9),
          Step::write(M::INT_ENABLE, 0x2), Step::write(M::ctrl(1), (1u << M::kPrescaleShift) | M::kPeriodic | M::kEnable),
          Step::idle(20),                  Step::read(M::INT_STATUS),
          Step::write(M::INT_STATUS, 0x2), Step::idle(20),
          Step::read(M::count(1)),         Step::read(M::INT_STATUS),
          Step::write(M::ctrl(1), 0)};
}
}  // namespace

DeviceBinding describe_timer() {
  DeviceBinding b;
  b.name = "timer";
  b.description = "4 prescaled compare timers, one-shot/periodic (long idle gaps the model skips in O(1))";
  b.bus = "apb";
  b.data_width = 32;
  b.addr_width = 12;  // paddr[11:0]
  b.regmap = timer_map();
  b.hints.sequences = {{"oneshot", oneshot_sequence()}, {"periodic", periodic_sequence()}};
  b.hints.irq_lines = {"irq"};
  b.hints.max_idle = 4000;
  b.make_model = [] { return std::make_unique<models::TimerModel>(); };
  return b;
}

}  // namespace tandem
