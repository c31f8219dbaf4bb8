// Sparse guest memory and the model's recording port over it.
#include "tandem/guest_memory.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "tandem/error.h"

namespace tandem {

namespace {
constexpr uint64_t kOffsetMask = GuestMemory::kPageBytes - 1;

void check_size(unsigned size) {
  if (size < 1 || size > 8) throw Error(fmt::format("guest memory: access size {} (must be 1 to 8 bytes)", size));
}

bool all_zero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (p[i]) return false;
  return true;
}
}  // namespace

void GuestMemory::forget_pages() const {
  for (Slot& s : m_slots) s = {kNoPage, nullptr};
}

const GuestMemory::Page* GuestMemory::find(uint64_t page_no) const {
  Slot& s = m_slots[slot_of(page_no)];
  if (s.no == page_no) return s.page;
  const auto it = m_pages.find(page_no);
  if (it == m_pages.end()) return m_source ? fill(page_no) : nullptr;
  s = {page_no, it->second.get()};
  return s.page;
}

__attribute__((noinline)) GuestMemory::Page* GuestMemory::fill(uint64_t page_no) const {
  std::unique_ptr<Page>& page = m_pages[page_no];
  page = std::make_unique<Page>();
  m_source->fill(page_no << kPageBits, page->bytes, kPageBytes);
  m_slots[slot_of(page_no)] = {page_no, page.get()};
  return page.get();
}

void GuestMemory::set_source(PageSource* source) {
  m_source = source;
  clear();
}

GuestMemory::Page& GuestMemory::obtain(uint64_t page_no) {
  Slot& s = m_slots[slot_of(page_no)];
  if (s.no == page_no) return *s.page;
  std::unique_ptr<Page>& slot = m_pages[page_no];
  if (!slot) {
    if (m_source) return *fill(page_no);
    slot = std::make_unique<Page>();
  }
  s = {page_no, slot.get()};
  return *s.page;
}

uint8_t GuestMemory::byte(uint64_t addr) const {
  const Page* p = find(addr >> kPageBits);
  return p ? p->bytes[addr & kOffsetMask] : 0;
}

// A page the cache does not know yet, a page crossing, an odd size or a bad one.
uint64_t GuestMemory::read_slow(uint64_t addr, unsigned size) const {
  check_size(size);
  const uint64_t off = addr & kOffsetMask;
  uint64_t v = 0;
  if (off + size <= kPageBytes) {  // within one page, no wrap
    const Page* p = find(addr >> kPageBits);
    if (!p) return 0;
    for (unsigned i = size; i-- > 0;) v = (v << 8) | p->bytes[off + i];
    return v;
  }
  for (unsigned i = size; i-- > 0;) v = (v << 8) | byte(addr + i);
  return v;
}

void GuestMemory::write_slow(uint64_t addr, uint64_t value, unsigned size) {
  check_size(size);
  const uint64_t off = addr & kOffsetMask;
  if (off + size <= kPageBytes) {
    const uint64_t page_no = addr >> kPageBits;
    if (value == 0 && !find(page_no)) return;  // zeros on an unwritten page change nothing
    Page& p = obtain(page_no);
    for (unsigned i = 0; i < size; ++i) p.bytes[off + i] = static_cast<uint8_t>(value >> (8 * i));
    return;
  }
  for (unsigned i = 0; i < size; ++i) {
    const uint8_t b = static_cast<uint8_t>(value >> (8 * i));
    const uint64_t a = addr + i;
    if (b == 0 && !find(a >> kPageBits)) continue;
    obtain(a >> kPageBits).bytes[a & kOffsetMask] = b;
  }
}

void GuestMemory::read_bytes(uint64_t addr, uint8_t* out, size_t n) const {
  for (size_t i = 0; i < n; ++i) out[i] = byte(addr + i);
}

void GuestMemory::write_bytes(uint64_t addr, const uint8_t* in, size_t n) {
  for (size_t i = 0; i < n; ++i) write(addr + i, in[i], 1);
}

uint64_t GuestMemory::hash() const {
  // Per-page FNV-1a over (page number, bytes), summed: the sum does not depend on the map's
  // order, and all-zero pages (allocated, then zeroed) contribute nothing, like absent ones.
  uint64_t total = 0;
  for (const auto& [no, page] : m_pages) {
    if (all_zero(page->bytes, kPageBytes)) continue;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned i = 0; i < 8; ++i) h = (h ^ ((no >> (8 * i)) & 0xff)) * 0x100000001b3ULL;
    for (uint64_t i = 0; i < kPageBytes; ++i) h = (h ^ page->bytes[i]) * 0x100000001b3ULL;
    total += h;
  }
  return total;
}

std::optional<uint64_t> GuestMemory::first_difference(const GuestMemory& other) const {
  std::vector<uint64_t> nos;
  nos.reserve(m_pages.size() + other.m_pages.size());
  for (const auto& kv : m_pages) nos.push_back(kv.first);
  for (const auto& kv : other.m_pages) nos.push_back(kv.first);
  std::sort(nos.begin(), nos.end());
  nos.erase(std::unique(nos.begin(), nos.end()), nos.end());
  static const Page kZero{};
  for (uint64_t no : nos) {
    const Page* a = find(no);
    const Page* b = other.find(no);
    const Page& pa = a ? *a : kZero;
    const Page& pb = b ? *b : kZero;
    for (uint64_t i = 0; i < kPageBytes; ++i)
      if (pa.bytes[i] != pb.bytes[i]) return (no << kPageBits) | i;
  }
  return std::nullopt;
}

void GuestMemory::clear() {
  m_pages.clear();
  forget_pages();
}

std::string format_dma_access(const DmaAccess& a) {
  return fmt::format("{} {} byte{} at {:#x} {} {:#x} (edge {})", a.write ? "write" : "read", unsigned(a.size),
                     a.size == 1 ? "" : "s", a.addr, a.write ? "=" : "->", a.data, a.cycle);
}

uint64_t MemoryPort::read(uint64_t addr, unsigned size, Cycle at) {
  if (m_record) return read_recorded(addr, size, at);
  return m_memory.read(addr, size);
}

void MemoryPort::write(uint64_t addr, uint64_t value, unsigned size, Cycle at) {
  if (m_record) return write_recorded(addr, value, size, at);
  m_memory.write(addr, value & size_mask(size), size);
}

__attribute__((noinline)) uint64_t MemoryPort::read_recorded(uint64_t addr, unsigned size, Cycle at) {
  uint64_t v;
  if (__builtin_expect(!m_memory.read_cached(addr, size, v), 0)) return read_slow_recorded(addr, size, at);
  if (matches(at, addr, v, size, false)) return v;
  return log_access(at, addr, v, size, false);
}

__attribute__((noinline)) void MemoryPort::write_recorded(uint64_t addr, uint64_t value, unsigned size, Cycle at) {
  value &= size_mask(size);
  if (__builtin_expect(!m_memory.write_cached(addr, value, size), 0)) return write_slow_recorded(addr, value, size, at);
  if (!matches(at, addr, value, size, true)) log_access(at, addr, value, size, true);
}

__attribute__((noinline)) uint64_t MemoryPort::read_slow_recorded(uint64_t addr, unsigned size, Cycle at) {
  const uint64_t v = m_memory.read(addr, size);
  if (matches(at, addr, v, size, false)) return v;
  return log_access(at, addr, v, size, false);
}

// `value` already masked to `size`.
__attribute__((noinline)) void MemoryPort::write_slow_recorded(uint64_t addr, uint64_t value, unsigned size, Cycle at) {
  m_memory.write(addr, value, size);
  if (!matches(at, addr, value, size, true)) log_access(at, addr, value, size, true);
}

__attribute__((noinline)) uint64_t MemoryPort::log_access(Cycle at, uint64_t addr, uint64_t data, unsigned size,
                                                          bool write) {
  m_log.push_back({at, addr, data, static_cast<uint8_t>(size), write});
  return data;
}

}  // namespace tandem

namespace tandem {

void GuestMemory::save(StateWriter& out) const {
  std::vector<uint64_t> numbers;
  for (const auto& [no, page] : m_pages)
    if (page && !all_zero(page->bytes, kPageBytes)) numbers.push_back(no);
  std::sort(numbers.begin(), numbers.end());
  out.u64(numbers.size());
  for (uint64_t no : numbers) {
    out.u64(no);
    const Page& p = *m_pages.at(no);
    out.bytes.insert(out.bytes.end(), p.bytes, p.bytes + kPageBytes);
  }
}

bool GuestMemory::restore(StateReader& in) {
  uint64_t n = 0;
  if (!in.u64(n) || n > (uint64_t(1) << 24)) return false;
  GuestMemory next;
  uint64_t last = 0;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t no = 0;
    if (!in.u64(no) || no >= (uint64_t(1) << (64 - kPageBits)) || (i > 0 && no <= last)) return false;
    last = no;
    Page& p = next.obtain(no);
    for (uint64_t k = 0; k < kPageBytes; ++k)
      if (!in.u8(p.bytes[k])) return false;
  }
  m_pages = std::move(next.m_pages);
  forget_pages();
  return true;
}

}  // namespace tandem
