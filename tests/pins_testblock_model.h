// Model of tests/rtl/pins_testblock.sv and its binding's line model: the pin support's own
// test device (tests/pins_test.cpp). The registered din is a function of the source and time,
// so the model keeps no copy of it: it asks the source for the edge it needs.
#pragma once

#include <tandem/binding.h>
#include <tandem/device.h>
#include <tandem/pins.h>

namespace tests {

// Input levels that change at listed edges: `changes` holds (edge, din) in edge order, din 0
// before the first.
class ScriptedPins : public tandem::PinSource {
 public:
  explicit ScriptedPins(std::vector<std::pair<tandem::Cycle, uint64_t>> changes) : m_changes(std::move(changes)) {}
  uint64_t inputs(tandem::Cycle t) const override {
    uint64_t v = 0;
    for (const auto& c : m_changes)
      if (c.first <= t) v = c.second;
    return v;
  }
  tandem::Cycle next_change(tandem::Cycle t) const override {
    for (const auto& c : m_changes)
      if (c.first > t) return c.first;
    return tandem::kNever;
  }
  void on_outputs(tandem::Cycle t, uint32_t outputs) override { heard.emplace_back(t, outputs); }
  void on_reset(tandem::Cycle now) override { resets.push_back(now); }
  void add(tandem::Cycle edge, uint64_t din) { m_changes.emplace_back(edge, din); }

  std::vector<std::pair<tandem::Cycle, uint32_t>> heard;  // the RTL's output changes
  std::vector<tandem::Cycle> resets;

 private:
  std::vector<std::pair<tandem::Cycle, uint64_t>> m_changes;
};

// The binding's own source for runs without a script: din counts up by 5 every 7 edges.
class CountingPins : public tandem::PinSource {
 public:
  uint64_t inputs(tandem::Cycle t) const override { return (t / 7 * 5) & 0xf; }
  tandem::Cycle next_change(tandem::Cycle t) const override { return (t / 7 + 1) * 7; }
};

class PinsTestblockModel : public tandem::Device {
 public:
  void reset(tandem::Cycle now) override {
    m_out = m_mask = 0;
    m_reset_edge = m_now = now;
  }
  tandem::BusResponse read(uint64_t offset, unsigned, tandem::Cycle now) override {
    tandem::BusResponse r;
    switch (offset) {
      case 0: r.data = m_out; break;
      case 1: r.data = din_q(now - 1); break;
      case 2: r.data = m_mask; break;
      default: r.error = true;
    }
    m_now = now;
    return r;
  }
  tandem::BusResponse write(uint64_t offset, uint64_t value, unsigned, tandem::Cycle now) override {
    m_now = now;
    if (offset == 0) m_out = value & 0xf;
    if (offset == 2) m_mask = value & 0xf;
    return {0, offset > 2};
  }
  void advance(tandem::Cycle now) override { m_now = now; }
  // The registered din follows the source one edge late: it changes where the source does.
  tandem::Cycle next_event(tandem::Cycle now) const override {
    return m_source ? m_source->next_change(now) : tandem::kNever;
  }
  // Bit 0 irq; then the output pins as declared: dout (bits 1-4), echo (bit 5).
  uint32_t irq() const override {
    const uint64_t din = din_q(m_now);
    return static_cast<uint32_t>(((din & m_mask) != 0 ? 1u : 0u) | (m_out << 1) | ((din & 1u) << 5));
  }
  void attach_pins(const tandem::PinSource* source) override { m_source = source; }
  void save(tandem::StateWriter& out) const override {
    out.u64(m_out);
    out.u64(m_mask);
    out.u64(m_reset_edge);
    out.u64(m_now);
  }
  std::string restore(tandem::StateReader& in) override {
    uint64_t out = 0, mask = 0, reset_edge = 0, now = 0;
    if (!in.u64(out) || !in.u64(mask) || !in.u64(reset_edge) || !in.u64(now)) return "state: truncated";
    if (out > 0xf || mask > 0xf) return "out: more than 4 bits";
    m_out = out;
    m_mask = mask;
    m_reset_edge = reset_edge;
    m_now = now;
    return "";
  }

 private:
  uint64_t din_q(tandem::Cycle t) const {
    return (t <= m_reset_edge || m_source == nullptr) ? 0 : m_source->inputs(t) & 0xf;
  }

  const tandem::PinSource* m_source = nullptr;
  uint64_t m_out = 0, m_mask = 0;
  tandem::Cycle m_reset_edge = 0, m_now = 0;
};

// The binding both builds of the block share, under `name`.
tandem::DeviceBinding pins_testblock(const char* name);

}  // namespace tests
