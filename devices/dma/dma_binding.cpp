// dma binding: register map, hints and model of the descriptor-chain DMA engine. The map is
// devices/dma/dma.rdl, embedded by the build (tandem_regs/dma.hpp). The RTL factory is added
// by tandem_add_device() in CMake, which knows the verilated top.
#include <tandem/binding.h>
#include <tandem/map_spec.h>
#include <tandem/rdl.h>
#include <tandem_regs/dma.hpp>

#include "models/dma/dma_model.h"

namespace tandem {

namespace {
using M = models::DmaModel;

// Where the driver sequences below place descriptors and buffers.
constexpr uint64_t kDescBase = 0x10000, kDescSize = 0x400;       // 16 slots of 0x40 bytes
constexpr uint64_t kBufferBase = 0x40000, kBufferSize = 0x4000;  // sources low, destinations high

// Driver-manual building blocks: a descriptor as the driver writes it (its RESULT cleared), a
// source buffer filled with a pattern, and the register writes that start a chain.
void put_desc(Program& p, uint64_t at, uint64_t src, uint64_t dst, uint32_t len, uint32_t flags, uint64_t next) {
  p.push_back(Step::mem_write(at + M::kSrc, src, 8));
  p.push_back(Step::mem_write(at + M::kDst, dst, 8));
  p.push_back(Step::mem_write(at + M::kLen, (uint64_t(flags) << 32) | len, 8));
  p.push_back(Step::mem_write(at + M::kNext, next, 8));
  p.push_back(Step::mem_write(at + M::kResult, 0, 8));
}

void fill(Program& p, uint64_t at, unsigned words, uint64_t seed) {
  for (unsigned i = 0; i < words; ++i) p.push_back(Step::mem_write(at + 8 * i, seed * 0x9E3779B97F4A7C15ULL + i, 8));
}

void go(Program& p, uint64_t first, uint32_t max_desc = M::kMaxDescReset) {
  p.push_back(Step::write(M::IRQ_ENABLE, 0xf));
  p.push_back(Step::write(M::MAX_DESC, max_desc));
  p.push_back(Step::write(M::DESC_LO, first & 0xffffffffu));
  p.push_back(Step::write(M::DESC_HI, first >> 32));
  p.push_back(Step::write(M::CTRL, M::kStart));
}

std::vector<SequenceHint> setups() {
  const uint32_t ioc = M::kIoc, last = M::kLast;
  const uint64_t d = kDescBase, src = kBufferBase, dst = kBufferBase + 0x2000;
  std::vector<SequenceHint> out;
  auto add = [&](std::string name, Program p) { out.push_back({std::move(name), std::move(p)}); };
  Program p;

  fill(p, src, 8, 1);  // one 64-byte copy, 8-byte beats
  put_desc(p, d, src, dst, 64, ioc | last, 0);
  go(p, d);
  add("copy", std::move(p));

  p = {};  // three descriptors: 8-, 1- and 2-byte beats
  fill(p, src + 0x100, 4, 2);
  fill(p, src + 0x200, 4, 3);
  fill(p, src + 0x300, 2, 4);
  put_desc(p, d + 0x40, src + 0x100, dst + 0x100, 24, ioc, d + 0x80);
  put_desc(p, d + 0x80, src + 0x201, dst + 0x203, 13, 0, d + 0xc0);
  put_desc(p, d + 0xc0, src + 0x302, dst + 0x306, 6, ioc | last, 0);
  go(p, d + 0x40);
  add("chain", std::move(p));

  p = {};  // two descriptors pointing at each other: stopped by the budget
  put_desc(p, d + 0x100, src + 0x400, dst + 0x400, 8, ioc, d + 0x140);
  put_desc(p, d + 0x140, src + 0x408, dst + 0x408, 8, 0, d + 0x100);
  go(p, d + 0x100, 5);
  add("loop", std::move(p));

  p = {};  // length 0
  put_desc(p, d + 0x180, src, dst + 0x500, 0, ioc | last, 0);
  go(p, d + 0x180);
  add("empty", std::move(p));

  p = {};  // a source range past the top of the address space
  put_desc(p, d + 0x1c0, 0xffffffffffffffc0ULL, dst + 0x600, 0x80, ioc | last, 0);
  go(p, d + 0x1c0);
  add("wrap", std::move(p));

  p = {};  // longer than the engine moves
  put_desc(p, d + 0x200, src, dst + 0x800, M::kMaxLen + 1, ioc | last, 0);
  go(p, d + 0x200);
  add("too_long", std::move(p));

  p = {};  // a misaligned next pointer after a good descriptor
  put_desc(p, d + 0x240, src + 0x10, dst + 0x900, 16, ioc, d + 0x284);
  go(p, d + 0x240);
  add("misaligned_next", std::move(p));

  p = {};  // 4 KiB in 8-byte beats: a long window for races and aborts
  fill(p, src + 0x1000, 16, 5);
  put_desc(p, d + 0x280, src + 0x1000, dst + 0x1000, M::kMaxLen, ioc | last, 0);
  go(p, d + 0x280);
  add("long", std::move(p));

  p = {};  // 255 bytes, byte by byte
  fill(p, src + 0x500, 8, 6);
  put_desc(p, d + 0x2c0, src + 0x501, dst + 0xa01, 255, ioc | last, 0);
  go(p, d + 0x2c0);
  add("bytes", std::move(p));

  p = {};  // 4-byte beats
  fill(p, src + 0x600, 10, 7);
  put_desc(p, d + 0x340, src + 0x604, dst + 0xc00, 0x44, ioc | last, 0);
  go(p, d + 0x340);
  add("words", std::move(p));

  p = {};  // a destination range that ends exactly at 2^64: allowed
  put_desc(p, d + 0x300, src, 0xfffffffffffffff0ULL, 16, ioc | last, 0);
  go(p, d + 0x300);
  add("top", std::move(p));
  return out;
}
}  // namespace

DeviceBinding describe_dma() {
  DeviceBinding b;
  b.name = "dma";
  b.description = "descriptor-chain DMA engine, bus master on guest memory (the double-fetch class)";
  b.addr_width = 12;  // paddr[11:0]
  b.regmap = to_register_map(parse_rdl(tandem_regs::dma::kRdlText, tandem_regs::dma::kRdlFile));
  b.hints.irq_lines = {"irq_done", "irq_error"};
  b.hints.max_idle = 128;
  b.hints.dma.desc_base = kDescBase;
  b.hints.dma.desc_size = kDescSize;
  b.hints.dma.buffer_base = kBufferBase;
  b.hints.dma.buffer_size = kBufferSize;
  b.hints.dma.setups = setups();
  b.make_model = [] { return std::make_unique<models::DmaModel>(); };
  b.lockstep_fast = models::DmaModel::lockstep_fast_path();
  return b;
}

}  // namespace tandem
