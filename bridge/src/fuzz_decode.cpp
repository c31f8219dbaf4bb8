// Fuzz input -> program (see fuzz_decode.h for the byte layout).
#include "tandem/fuzz_decode.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "tandem/error.h"

namespace tandem {

namespace {

constexpr uint8_t kSizes[4] = {1, 2, 4, 8};

struct Layout {
  uint64_t window = 0;     // raw accesses land in [0, window)
  uint64_t idle_range = 0; // idle gaps are 1 .. idle_range cycles
};

Layout layout_of(const DeviceBinding& binding) {
  uint64_t top = 0;
  for (const Register& r : binding.regmap.registers) top = std::max<uint64_t>(top, r.offset + std::max(1u, r.width / 8));
  Layout l;
  l.window = std::min<uint64_t>(binding.addr_limit(), std::max<uint64_t>(top + 0x100, 0x1000));
  l.idle_range = std::max<uint64_t>(64, 4 * binding.hints.max_idle);
  return l;
}

// Largest size <= `size` with [addr, addr + size) inside the window; the window holds at least
// one byte, so an access at an address inside it always fits with size 1.
uint8_t fit(uint64_t addr, uint8_t size, uint64_t window) {
  while (size > 1 && addr + size > window) size = static_cast<uint8_t>(size / 2);
  return size;
}

class Decoder {
 public:
  Decoder(const DeviceBinding& binding, const FuzzDecodeOptions& options, Program& out)
      : m_b(binding), m_options(options), m_out(out), m_layout(layout_of(binding)) {}

  bool full() const { return m_out.size() >= m_options.max_steps; }

  void record(const uint8_t* rec) {
    const auto op = static_cast<FuzzOp>(rec[0] % static_cast<uint8_t>(FuzzOp::count_));
    const Register& reg = m_b.regmap.registers[rec[1] % m_b.regmap.registers.size()];
    uint8_t size = kSizes[rec[2] & 3];
    const uint64_t lane = (rec[2] >> 2) & 7;
    const uint8_t gap = rec[3];
    uint64_t value = 0;
    for (int i = 7; i >= 0; --i) value = (value << 8) | rec[4 + i];

    bool access = true;
    switch (op) {
      case FuzzOp::read_reg:
      case FuzzOp::write_reg: {
        uint64_t addr = reg.offset + lane;
        if (addr >= m_layout.window) addr = reg.offset;
        size = fit(addr, size, m_layout.window);
        if (op == FuzzOp::read_reg) push(Step::read(addr, size));
        else push(Step::write(addr, value & size_mask(size), size));
        break;
      }
      case FuzzOp::read_raw:
      case FuzzOp::write_raw: {
        const uint64_t addr = (value >> 32) % m_layout.window;
        size = fit(addr, size, m_layout.window);
        if (op == FuzzOp::read_raw) push(Step::read(addr, size));
        else push(Step::write(addr, value & 0xffffffffu & size_mask(size), size));
        break;
      }
      case FuzzOp::idle:
        push(Step::idle(1 + value % m_layout.idle_range));
        access = false;
        break;
      case FuzzOp::reset:
        push(Step::reset());
        access = false;
        break;
      case FuzzOp::mem_write: {
        const DmaHint& dma = m_b.hints.dma;
        const bool desc = (rec[1] & 1) || dma.buffer_size == 0;
        const uint64_t base = desc ? dma.desc_base : dma.buffer_base;
        const uint64_t span = desc ? dma.desc_size : dma.buffer_size;
        if (!m_b.hints.has_dma() || span < size) {  // no guest memory to speak of: a register write
          const uint64_t addr = reg.offset;
          size = fit(addr, size, m_layout.window);
          push(Step::write(addr, value & size_mask(size), size));
          break;
        }
        const uint64_t slots = span / size;
        push(Step::mem_write(base + ((value >> 32) % slots) * size, value & 0xffffffffu & size_mask(size), size));
        break;
      }
      case FuzzOp::write_select: {
        const Register* target = &reg;
        if (!m_b.hints.selectors.empty()) {
          const SelectorHint& s = m_b.hints.selectors[rec[1] % m_b.hints.selectors.size()];
          if (const Register* r = m_b.regmap.by_name(s.reg)) target = r;
        }
        const uint64_t addr = target->offset;
        size = fit(addr, static_cast<uint8_t>(std::min(8u, std::max(1u, target->width / 8))), m_layout.window);
        push(Step::write(addr, value & size_mask(size), size));
        break;
      }
      case FuzzOp::count_:
        break;
    }
    if (access && gap >= 0xc0) push(Step::idle(gap - 0xbfu));
  }

 private:
  void push(const Step& s) {
    if (!full()) m_out.push_back(s);
  }

  const DeviceBinding& m_b;
  const FuzzDecodeOptions& m_options;
  Program& m_out;
  Layout m_layout;
};

}  // namespace

Program decode_fuzz_input(const uint8_t* data, size_t size, const DeviceBinding& binding,
                          const FuzzDecodeOptions& options) {
  if (binding.regmap.registers.empty())
    throw Error(fmt::format("device '{}': the register map is empty, nothing to fuzz", binding.name));
  Program out;
  if (data == nullptr || size == 0) return out;
  Decoder dec(binding, options, out);
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view sep(kFuzzSeparator);
  size_t pos = 0;
  while (pos <= input.size() && !dec.full()) {
    size_t end = input.find(sep, pos);
    if (end == std::string_view::npos) end = input.size();
    // One chunk: as many records as it holds, the last zero-padded.
    for (size_t at = pos; at < end && !dec.full(); at += kFuzzRecordBytes) {
      uint8_t rec[kFuzzRecordBytes] = {};
      std::memcpy(rec, data + at, std::min(kFuzzRecordBytes, end - at));
      dec.record(rec);
    }
    pos = end + sep.size();
  }
  return out;
}

std::string encode_fuzz_input(const Program& program, const DeviceBinding& binding) {
  const Layout layout = layout_of(binding);
  std::string out;
  auto emit = [&](FuzzOp op, uint8_t reg, uint8_t size_lane, uint64_t value) {
    if (!out.empty()) out += kFuzzSeparator;
    char rec[kFuzzRecordBytes] = {static_cast<char>(op), static_cast<char>(reg), static_cast<char>(size_lane), 0};
    for (int i = 0; i < 8; ++i) rec[4 + i] = static_cast<char>(value >> (8 * i));
    out.append(rec, kFuzzRecordBytes);
  };
  auto size_code = [](uint8_t size) -> int {
    for (int i = 0; i < 4; ++i)
      if (kSizes[i] == size) return i;
    return -1;
  };
  const size_t nregs = std::min<size_t>(binding.regmap.registers.size(), 256);
  for (const Step& s : program) {
    const int sc = size_code(s.size);
    switch (s.kind) {
      case StepKind::read:
      case StepKind::write: {
        if (sc < 0 || s.addr >= layout.window || fit(s.addr, s.size, layout.window) != s.size) break;
        const bool write = s.kind == StepKind::write;
        bool done = false;
        for (size_t i = 0; i < nregs && !done; ++i) {
          const Register& r = binding.regmap.registers[i];
          if (s.addr < r.offset || s.addr - r.offset >= 8) continue;
          emit(write ? FuzzOp::write_reg : FuzzOp::read_reg, static_cast<uint8_t>(i),
               static_cast<uint8_t>(sc | ((s.addr - r.offset) << 2)), s.data);
          done = true;
        }
        if (!done && (!write || s.data <= 0xffffffffu))
          emit(write ? FuzzOp::write_raw : FuzzOp::read_raw, 0, static_cast<uint8_t>(sc), (s.addr << 32) | s.data);
        break;
      }
      case StepKind::idle:
        if (s.data >= 1 && s.data <= layout.idle_range) emit(FuzzOp::idle, 0, 0, s.data - 1);
        break;
      case StepKind::reset: emit(FuzzOp::reset, 0, 0, 0); break;
      case StepKind::mem_write: break;  // region-relative: not expressible in general
    }
  }
  return out;
}

}  // namespace tandem
