// Device bindings and the catalog a program hands to the engine.
#include "tandem/binding.h"

#include <fmt/format.h>

#include "tandem/error.h"

namespace tandem {

std::string DeviceBinding::irq_line_name(uint32_t diff) const {
  unsigned line = 0;
  while (line < 32 && !(diff & (1u << line))) ++line;
  if (line < hints.irq_lines.size()) return hints.irq_lines[line];
  if (line < 32 && !hints.pins.empty()) {
    std::string pin = output_pin_name(hints.pins, line - static_cast<unsigned>(hints.irq_lines.size()));
    if (!pin.empty()) return pin;
  }
  return fmt::format("irq[{}]", line);
}

PinLayout lay_out_pins(const std::string& device, const std::vector<std::string>& irq_lines,
                       const std::vector<PinHint>& pins) {
  PinLayout layout;
  layout.output_shift = static_cast<unsigned>(irq_lines.size());
  for (size_t i = 0; i < pins.size(); ++i) {
    const PinHint& p = pins[i];
    if (p.name.empty()) throw Error(fmt::format("device '{}': pin #{} has no name", device, i));
    for (size_t j = 0; j < i; ++j)
      if (pins[j].name == p.name) throw Error(fmt::format("device '{}': pin '{}' is declared twice", device, p.name));
    if (p.width < 1 || p.width > 32)
      throw Error(fmt::format("device '{}': pin '{}' is {} bits wide (1 to 32)", device, p.name, p.width));
    (p.direction == PinDirection::input    ? layout.input_bits
     : p.direction == PinDirection::output ? layout.output_bits
                                           : layout.watch_bits) += p.width;
  }
  if (layout.input_bits > 64)
    throw Error(fmt::format("device '{}': {} bits of input pins (at most 64)", device, layout.input_bits));
  if (layout.output_shift + layout.output_bits > 32)
    throw Error(fmt::format("device '{}': {} interrupt lines and {} bits of output pins (at most 32 together)", device,
                            layout.output_shift, layout.output_bits));
  if (layout.output_bits + layout.watch_bits > 32)
    throw Error(fmt::format("device '{}': {} bits of output pins and {} of watched pins (at most 32 together)", device,
                            layout.output_bits, layout.watch_bits));
  return layout;
}

// The line model of a device with pins (its declaration checked first), else null.
std::unique_ptr<PinSource> make_pin_source(const DeviceBinding& binding) {
  if (binding.hints.pins.empty()) return nullptr;
  lay_out_pins(binding.name, binding.hints.irq_lines, binding.hints.pins);
  return binding.make_pin_source ? binding.make_pin_source() : nullptr;
}

std::vector<uint8_t> save_pin_source(const PinSource* source) {
  StateWriter out;
  if (source) source->save(out);
  return std::move(out.bytes);
}

std::string restore_pin_source(PinSource* source, const std::vector<uint8_t>& state) {
  if (state.empty()) return "";
  if (source == nullptr)
    return fmt::format("pins: {} bytes of a line model's state, and this device has no line model", state.size());
  const std::vector<uint8_t> before = save_pin_source(source);
  StateReader in(state);
  if (std::string why = source->restore(in); !why.empty()) return "pins: " + why;
  if (in.at_end()) return "";
  // The source took a prefix: put back what it had, so that a refusal changes nothing.
  StateReader back(before);
  source->restore(back);
  return "pins: trailing bytes after the line model's state";
}

std::string output_pin_name(const std::vector<PinHint>& pins, unsigned bit) {
  unsigned first = 0;
  for (const PinHint& p : pins) {
    if (p.direction != PinDirection::output) continue;
    if (bit < first + p.width) return p.width == 1 ? p.name : fmt::format("{}[{}]", p.name, bit - first);
    first += p.width;
  }
  return "";
}

const DeviceBinding& Catalog::get(const std::string& name) const {
  std::string known;
  for (const DeviceBinding& d : m_devices) {
    if (d.name == name) return d;
    known += (known.empty() ? "" : ", ") + d.name;
  }
  throw Error(fmt::format("unknown device '{}' (known: {})", name, known));
}

}  // namespace tandem
