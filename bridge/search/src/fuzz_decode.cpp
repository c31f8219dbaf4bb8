// Fuzz input -> program (see fuzz_decode.h for the byte layout).
#include "tandem/fuzz_decode.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "tandem/campaign.h"
#include "tandem/error.h"

namespace tandem {

namespace {

constexpr uint8_t kSizes[4] = {1, 2, 4, 8};

struct Layout {
  uint64_t window = 0;      // raw accesses land in [0, window)
  uint64_t idle_range = 0;  // idle gaps are 1 .. idle_range cycles
};

Layout layout_of(const DeviceBinding& binding) {
  uint64_t top = 0;
  for (const Register& r : binding.regmap.registers)
    top = std::max<uint64_t>(top, r.offset + std::max(1u, r.width / 8));
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
      : m_b(binding), m_options(options), m_out(out), m_layout(layout_of(binding)),
        m_cycles(binding.hints.reset_cycles) {}

  bool full() const { return m_full || m_out.size() >= m_options.max_steps; }

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
        if (op == FuzzOp::read_reg)
          push(Step::read(addr, size));
        else
          push(Step::write(addr, value & size_mask(size), size));
        break;
      }
      case FuzzOp::read_raw:
      case FuzzOp::write_raw: {
        const uint64_t addr = (value >> 32) % m_layout.window;
        size = fit(addr, size, m_layout.window);
        if (op == FuzzOp::read_raw)
          push(Step::read(addr, size));
        else
          push(Step::write(addr, value & 0xffffffffu & size_mask(size), size));
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
      case FuzzOp::count_: break;
    }
    if (access && gap >= 0xc0) push(Step::idle(gap - 0xbfu));
  }

 private:
  void push(const Step& s) {
    if (full()) return;
    const uint64_t n = min_cycles(s, m_b);
    if (m_options.max_cycles != 0 && (n > m_options.max_cycles || m_cycles > m_options.max_cycles - n)) {
      m_full = true;  // over the cycle budget: the program ends before this step
      return;
    }
    m_cycles += n;
    m_out.push_back(s);
  }

  const DeviceBinding& m_b;
  const FuzzDecodeOptions& m_options;
  Program& m_out;
  Layout m_layout;
  uint64_t m_cycles = 0;  // min_cycles of the steps so far, the first reset included
  bool m_full = false;
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

namespace {

int size_code(uint8_t size) {
  for (int i = 0; i < 4; ++i)
    if (kSizes[i] == size) return i;
  return -1;
}

// One encoded command: operation, register byte, size/lane byte, no gap, the value.
std::string record_bytes(FuzzOp op, uint8_t reg, uint8_t size_lane, uint64_t value) {
  char rec[kFuzzRecordBytes] = {static_cast<char>(op), static_cast<char>(reg), static_cast<char>(size_lane), 0};
  for (int i = 0; i < 8; ++i) rec[4 + i] = static_cast<char>(value >> (8 * i));
  return std::string(rec, kFuzzRecordBytes);
}

}  // namespace

std::string encode_fuzz_input(const Program& program, const DeviceBinding& binding) {
  const Layout layout = layout_of(binding);
  std::string out;
  auto emit = [&](FuzzOp op, uint8_t reg, uint8_t size_lane, uint64_t value) {
    if (!out.empty()) out += kFuzzSeparator;
    out += record_bytes(op, reg, size_lane, value);
  };
  const size_t nregs = std::min<size_t>(binding.regmap.registers.size(), 256);
  const DmaHint& dma = binding.hints.dma;
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
      case StepKind::idle:  // a long gap as several idle commands of at most idle_range cycles
        for (uint64_t left = s.data; left > 0;) {
          const uint64_t n = std::min(left, layout.idle_range);
          emit(FuzzOp::idle, 0, 0, n - 1);
          left -= n;
        }
        break;
      case StepKind::reset: emit(FuzzOp::reset, 0, 0, 0); break;
      case StepKind::mem_write: {
        // Expressible when it is a slot of the descriptor or buffer region (the decoder's view
        // of guest memory) and the value fits the command's 32 bits; an 8-byte write of a
        // wider value as two 4-byte writes (a guest-memory write takes no cycle: the same).
        if (sc < 0 || !binding.hints.has_dma()) break;
        auto slot = [&](uint64_t addr, uint64_t data, uint8_t size) {
          const struct {
            uint8_t sel;
            uint64_t base, span;
          } regions[2] = {{1, dma.desc_base, dma.desc_size}, {0, dma.buffer_base, dma.buffer_size}};
          for (const auto& r : regions) {
            if (r.sel == 0 && dma.buffer_size == 0) continue;
            if (r.span < size || addr < r.base || addr - r.base >= r.span) continue;
            const uint64_t rel = addr - r.base;
            if (rel % size != 0 || rel / size >= r.span / size) continue;
            emit(FuzzOp::mem_write, r.sel, static_cast<uint8_t>(size_code(size)), ((rel / size) << 32) | data);
            return;
          }
        };
        if (s.data <= 0xffffffffu) {
          slot(s.addr, s.data, s.size);
        } else if (s.size == 8) {
          slot(s.addr, s.data & 0xffffffffu, 4);
          slot(s.addr + 4, s.data >> 32, 4);
        }
        break;
      }
    }
  }
  return out;
}

std::vector<FuzzSeed> fuzz_seeds(const DeviceBinding& binding) {
  std::vector<FuzzSeed> out;
  auto add = [&](const SequenceHint& s) {
    std::string bytes = encode_fuzz_input(s.steps, binding);
    if (bytes.empty()) return;
    std::string name = "seq-";
    for (char c : s.name) name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
    out.push_back({std::move(name), std::move(bytes)});
  };
  for (const SequenceHint& s : binding.hints.sequences) add(s);
  for (const SequenceHint& s : binding.hints.dma.setups) add(s);
  return out;
}

std::vector<std::string> fuzz_dictionary(const DeviceBinding& binding) {
  std::vector<std::string> out{kFuzzSeparator};
  auto add = [&](FuzzOp op, size_t reg, unsigned width_bits, uint64_t value) {
    const unsigned bytes = std::min(8u, std::max(1u, width_bits / 8));
    const int sc = size_code(static_cast<uint8_t>(bytes));
    if (sc < 0) return;
    const std::string e = kFuzzSeparator + record_bytes(op, static_cast<uint8_t>(reg), static_cast<uint8_t>(sc),
                                                        value & size_mask(static_cast<uint8_t>(bytes)));
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  };
  const size_t nregs = std::min<size_t>(binding.regmap.registers.size(), 256);
  for (size_t i = 0; i < nregs; ++i) {
    const Register& r = binding.regmap.registers[i];
    add(FuzzOp::read_reg, i, r.width, 0);
    add(FuzzOp::write_reg, i, r.width, r.reset);
    for (const Field& f : r.fields) {
      if (f.lsb >= 64) continue;
      const uint64_t ones = f.width >= 64 ? ~uint64_t(0) : (uint64_t(1) << f.width) - 1;
      add(FuzzOp::write_reg, i, r.width, ones << f.lsb);
      add(FuzzOp::write_reg, i, r.width, uint64_t(1) << f.lsb);
    }
    add(FuzzOp::write_reg, i, r.width, ~uint64_t(0));
  }
  const size_t nsel = std::min<size_t>(binding.hints.selectors.size(), 256);
  for (size_t j = 0; j < nsel; ++j) {
    const SelectorHint& s = binding.hints.selectors[j];
    const Register* r = binding.regmap.by_name(s.reg);
    if (r == nullptr) continue;
    for (uint64_t v : {s.count - 1, s.count, s.count + 1, ~uint64_t(0)}) add(FuzzOp::write_select, j, r->width, v);
  }
  return out;
}

std::string dictionary_text(const std::vector<std::string>& entries) {
  std::string out;
  for (const std::string& e : entries) {
    out += '"';
    for (char c : e) {
      const auto u = static_cast<unsigned char>(c);
      if (std::isalnum(u))
        out += c;
      else
        out += fmt::format("\\x{:02x}", u);
    }
    out += "\"\n";
  }
  return out;
}

}  // namespace tandem
