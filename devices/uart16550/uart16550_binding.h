// uart16550 binding for either bus variant: the register map (the UART, rtl/uart16550/uart16550.sv, and the line
// registers at 0x20-0x33, described in devices/uart16550/uart16550.rdl), the driver-manual sequences that steer
// stimulus, the model and the line model on the UART's pins (models/uart16550/uart_window.h), which serves the line
// registers. Register n sits at byte offset n << reg_shift: reg_shift 0 on the 8-bit APB, 2 on the 32-bit.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <tandem/binding.h>
#include <tandem/map_spec.h>
#include <tandem/rdl.h>
#include <tandem_regs/uart16550.hpp>

#include "models/uart16550/uart16550_model.h"
#include "models/uart16550/uart_window.h"

namespace tandem::uart16550 {

using M = models::Uart16550Model;

// The map: devices/uart16550/uart16550.rdl (embedded by the build), register n at byte
// offset n. The 32-bit variant places register n at n << reg_shift, a bus word wide with the
// register on lane 0 (the bits above 7 reserved).
inline RegisterMap register_map(const std::string& name, unsigned reg_shift) {
  RegisterMap map = to_register_map(parse_rdl(tandem_regs::uart16550::kRdlText, tandem_regs::uart16550::kRdlFile));
  map.name = name;
  for (Register& r : map.registers) {
    r.offset <<= reg_shift;
    r.width = 8u << reg_shift;
  }
  return map;
}

// Divisors the sequences program: 1 to 3, so a character takes 96 to 1056 edges.
// Driver-manual sequences, written with register indices (shifted when built).
inline Program sequence(unsigned reg_shift, std::initializer_list<std::pair<int, uint64_t>> steps) {
  // Each pair: (register index, value) for a write, (-1 - index, 0) for a read, (-100, n) for idle.
  Program p;
  for (const auto& [op, v] : steps) {
    if (op == -100) {
      p.push_back(Step::idle(v));
    } else if (op < 0) {
      p.push_back(Step::read(uint64_t(-1 - op) << reg_shift, static_cast<uint8_t>(1u << reg_shift)));
    } else {
      p.push_back(Step::write(uint64_t(op) << reg_shift, v, static_cast<uint8_t>(1u << reg_shift)));
    }
  }
  return p;
}

inline std::vector<SequenceHint> sequences(unsigned reg_shift) {
  constexpr int IDLE = -100;
  auto R = [](unsigned reg) { return -1 - static_cast<int>(reg); };
  // clang-format off
  auto S = [&](std::initializer_list<std::pair<int, uint64_t>> steps) { return sequence(reg_shift, steps); };
  // Programming guide: DLAB=1, divisor, DLAB=0 with the format, FIFOs on and reset, interrupts.
  auto init = [&](uint64_t div, uint64_t lcr, uint64_t fcr, uint64_t ier) {
    return S({{M::LCR, 0x80}, {M::RBR_THR, div}, {M::IER, 0}, {M::LCR, lcr}, {M::IIR_FCR, fcr}, {M::IER, ier},
              {M::MCR, 0x0b}, {M::INJ_FMT, lcr & 0x3f}, {M::INJ_DIV_LO, 0}, {M::INJ_CTRL, 0}, {R(M::IIR_FCR), 0},
              {R(M::LSR), 0}});
  };
  return {
      {"init_8n1_div1", init(1, 0x03, 0x07, 0x0f)},
      {"init_7e2_div2_trig4", init(2, 0x1e, 0x47, 0x05)},
      {"init_5o15_div1_trig8", init(1, 0x0c, 0x87, 0x0d)},
      {"init_6s1_div3_trig14", init(3, 0x29, 0xc7, 0x07)},
      {"init_8n1_div1_16450", init(1, 0x03, 0x00, 0x0f)},
      // Send: queue characters, wait for the line, read status, drain the monitor.
      {"send",
       S({{M::RBR_THR, 0x55}, {M::RBR_THR, 0xa3}, {M::RBR_THR, 0x0f}, {R(M::LSR), 0}, {IDLE, 400}, {R(M::IIR_FCR), 0},
          {R(M::LSR), 0}, {IDLE, 400}, {R(M::CAP_COUNT), 0}, {R(M::CAP_FLAGS), 0}, {R(M::CAP_TIME0), 0},
          {R(M::CAP_TIME0 + 1), 0}, {R(M::CAP_DATA), 0}, {R(M::CAP_DATA), 0}, {R(M::LSR), 0}})},
      // Interrupt-driven send: THR-empty interrupt, IIR read acknowledges it, the next
      // character re-arms it when the transmitter takes it.
      {"send_irq",
       S({{M::IER, 0x02}, {R(M::IIR_FCR), 0}, {R(M::IIR_FCR), 0}, {M::RBR_THR, 0x41}, {IDLE, 4}, {R(M::IIR_FCR), 0},
          {M::RBR_THR, 0x42}, {IDLE, 8}, {R(M::IIR_FCR), 0}, {IDLE, 300}, {R(M::LSR), 0}, {M::IER, 0x0f}})},
      // Receive: inject in the UART's own format, wait, read the FIFO.
      {"receive",
       S({{M::INJ_DATA, 0x31}, {M::INJ_DATA, 0xc4}, {M::INJ_DATA, 0x7e}, {IDLE, 500}, {R(M::LSR), 0},
          {R(M::IIR_FCR), 0}, {IDLE, 300}, {R(M::RBR_THR), 0}, {R(M::LSR), 0}, {R(M::RBR_THR), 0}, {R(M::RBR_THR), 0},
          {R(M::IIR_FCR), 0}})},
      // Line errors: forced parity and framing errors and a break, each at the top in turn.
      {"receive_errors",
       S({{M::LCR, 0x1b}, {M::INJ_FMT, 0x1b | 0x40}, {M::INJ_DATA, 0x12}, {M::INJ_FMT, 0x1b | 0x80},
          {M::INJ_DATA, 0x34}, {M::INJ_CTRL, 1}, {M::INJ_DATA, 0}, {M::INJ_CTRL, 0}, {M::INJ_FMT, 0x1b},
          {IDLE, 600}, {R(M::IIR_FCR), 0}, {R(M::LSR), 0}, {R(M::LSR), 0}, {R(M::RBR_THR), 0}, {R(M::IIR_FCR), 0},
          {R(M::LSR), 0}, {R(M::RBR_THR), 0}, {R(M::LSR), 0}, {R(M::LSR), 0}, {R(M::RBR_THR), 0}, {R(M::LSR), 0}})},
      // Overrun: 17 characters into a 16-byte FIFO, nobody reading (divisor 1, 5N1: 17 frames
      // take 17 * 112 edges).
      {"overrun",
       S({{M::LCR, 0x80}, {M::RBR_THR, 1}, {M::IER, 0}, {M::LCR, 0x00}, {M::IIR_FCR, 0x07}, {M::MCR, 0x00},
          {M::INJ_FMT, 0x00}, {M::INJ_DIV_LO, 0}, {M::INJ_DIV_HI, 0}, {M::INJ_CTRL, 0}, {M::IER, 0x05},
          {M::INJ_DATA, 1}, {M::INJ_DATA, 2}, {M::INJ_DATA, 3}, {M::INJ_DATA, 4}, {M::INJ_DATA, 5}, {M::INJ_DATA, 6},
          {M::INJ_DATA, 7}, {M::INJ_DATA, 8}, {M::INJ_DATA, 9}, {M::INJ_DATA, 10}, {M::INJ_DATA, 11},
          {M::INJ_DATA, 12}, {M::INJ_DATA, 13}, {M::INJ_DATA, 14}, {M::INJ_DATA, 15}, {M::INJ_DATA, 16},
          {M::INJ_DATA, 17}, {IDLE, 700}, {IDLE, 700}, {IDLE, 700}, {R(M::INJ_STATUS), 0}, {R(M::LSR), 0},
          {R(M::IIR_FCR), 0}, {R(M::LSR), 0}, {R(M::RBR_THR), 0}})},
      // Transmit burst: 17 THR writes, one more than the FIFO holds once the transmitter took
      // the first; the capture count tells how many went out.
      {"send_burst",
       S({{M::LCR, 0x80}, {M::RBR_THR, 1}, {M::IER, 0}, {M::LCR, 0x00}, {M::IIR_FCR, 0x07}, {M::MCR, 0x00},
          {M::RBR_THR, 1}, {M::RBR_THR, 2}, {M::RBR_THR, 3}, {M::RBR_THR, 4}, {M::RBR_THR, 5}, {M::RBR_THR, 6},
          {M::RBR_THR, 7}, {M::RBR_THR, 8}, {M::RBR_THR, 9}, {M::RBR_THR, 10}, {M::RBR_THR, 11}, {M::RBR_THR, 12},
          {M::RBR_THR, 13}, {M::RBR_THR, 14}, {M::RBR_THR, 15}, {M::RBR_THR, 16}, {M::RBR_THR, 17}, {R(M::LSR), 0},
          {IDLE, 700}, {IDLE, 700}, {IDLE, 700}, {R(M::LSR), 0}, {R(M::CAP_COUNT), 0}})},
      // Loopback echo: the transmitter feeds the receiver; the MSR follows MCR.
      {"loopback",
       S({{M::MCR, 0x1f}, {M::RBR_THR, 0x5a}, {M::RBR_THR, 0x3c}, {IDLE, 600}, {R(M::MSR), 0}, {R(M::LSR), 0},
          {R(M::RBR_THR), 0}, {R(M::RBR_THR), 0}, {R(M::IIR_FCR), 0}, {M::MCR, 0x03}, {R(M::MSR), 0},
          {R(M::MSR), 0}})},
      // Character timeout: fewer characters than the trigger level, then silence.
      {"timeout",
       S({{M::IIR_FCR, 0xc7}, {M::IER, 0x01}, {M::INJ_DATA, 0x61}, {M::INJ_DATA, 0x62}, {IDLE, 3000},
          {R(M::IIR_FCR), 0}, {R(M::RBR_THR), 0}, {R(M::IIR_FCR), 0}, {R(M::RBR_THR), 0}, {R(M::IIR_FCR), 0}})},
      // Modem status: inputs change, deltas are read and cleared.
      {"modem",
       S({{M::IER, 0x08}, {M::MODEM_IN, 0x0f}, {R(M::IIR_FCR), 0}, {R(M::MSR), 0}, {M::MODEM_IN, 0x00},
          {R(M::MSR), 0}, {R(M::MSR), 0}, {R(M::MODEM_OUT), 0}})},
  };
}
// clang-format on

inline DeviceBinding binding(const std::string& name, unsigned reg_shift) {
  DeviceBinding b;
  b.name = name;
  b.description = reg_shift == 0 ? "NS16550A UART (8-bit APB) on a serial-line model: FIFOs, DLAB, IIR priorities"
                                 : "NS16550A UART, 32-bit APB variant (registers at word offsets, data on lane 0)";
  b.bus = "apb";
  b.data_width = 8u << reg_shift;
  // UART at n << reg_shift, line registers at (0x20 + n) << reg_shift: the line model serves every index from 8 on
  // (the top decodes three bits of the index), as the Verilog harness's 8-bit PADDR did.
  b.addr_width = 8;
  b.regmap = register_map(name, reg_shift);
  b.hints.sequences = sequences(reg_shift);
  b.hints.irq_lines = {"irq"};
  b.hints.max_idle = 1000;
  const unsigned bus_bytes = 1u << reg_shift;
  b.make_model = [reg_shift, bus_bytes] {
    return std::make_unique<models::Uart16550Model>(models::Uart16550Options{}, reg_shift, bus_bytes);
  };
  b.make_pin_source = [reg_shift] { return std::make_unique<models::uart::UartWindow>(reg_shift); };
  return b;
}

}  // namespace tandem::uart16550
