// Guest memory: the sparse, 64-bit-addressable RAM a bus-master device reads and writes, one
// per side of a lockstep run, and the record of one access to it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tandem/device.h"

namespace tandem {

// Where the bytes of a page not yet present come from. A GuestMemory with a source is a cache of
// memory that lives elsewhere (a SystemC platform's memory behind a TLM socket, systemc/): each
// page is filled once, on its first access, and clear() drops them all.
class PageSource {
 public:
  virtual ~PageSource() = default;
  virtual void fill(uint64_t base, uint8_t* bytes, size_t n) = 0;
};

// The guest memory of a model that keeps its own (Device::keeps_guest_memory) as the source of
// the model side's GuestMemory: a page is read from the model the first time it is needed after
// the cache was last cleared. Follows the pointer, so a model replaced by migration is read.
class ModelRam final : public PageSource {
 public:
  explicit ModelRam(const std::unique_ptr<Device>& model) : m_model(model) {}
  void fill(uint64_t base, uint8_t* bytes, size_t n) override { m_model->guest_read(base, bytes, n); }

 private:
  const std::unique_ptr<Device>& m_model;
};

// Pages are allocated on the first write of a non-zero byte; every byte never written reads 0.
// Addresses wrap modulo 2^64: an access at 0xffff'ffff'ffff'ffff of 2 bytes touches that byte
// and byte 0. Multi-byte values are little-endian.
class GuestMemory {
 public:
  // Small pages: stimulus scatters descriptors over the whole address space, and each stray
  // write-back then costs a page.
  static constexpr unsigned kPageBits = 8;
  static constexpr uint64_t kPageBytes = uint64_t(1) << kPageBits;

  GuestMemory() { forget_pages(); }
  GuestMemory(const GuestMemory&) = delete;  // the page cache points into this memory's pages
  GuestMemory& operator=(const GuestMemory&) = delete;

  // `size` is 1 to 8 bytes (Error otherwise). Every DMA beat and guest-memory write step of
  // both sides comes here, so an access within one page that the page cache knows is a load
  // or a masked merge inline; everything else (other sizes, page crossings, a page not yet
  // looked up or not allocated) takes the out-of-line path.
  uint64_t read(uint64_t addr, unsigned size) const {
    const Page* p = cached(addr, size);
    return p ? load(p, addr) & value_mask(size) : read_slow(addr, size);
  }
  void write(uint64_t addr, uint64_t value, unsigned size) {
    if (!write_cached(addr, value, size)) write_slow(addr, value, size);
  }
  // read() and write() when the page cache knows the page, with no call: false (and nothing
  // done) for the rest, which read() or write() then does. For a caller whose own work after
  // the access is its fast path too (the recording port), so that it needs no frame.
  bool read_cached(uint64_t addr, unsigned size, uint64_t& value) const {
    const Page* p = cached(addr, size);
    if (p) value = load(p, addr) & value_mask(size);
    return p != nullptr;
  }
  bool write_cached(uint64_t addr, uint64_t value, unsigned size) {
    Page* p = cached(addr, size);
    if (!p) return false;
    merge(p, addr, value, value_mask(size));
    return true;
  }

  // The same write to two memories (lockstep's guest-memory write step, to both sides): an
  // access both page caches know has its checks, its slot and its mask worked out once.
  static void write_both(GuestMemory& a, GuestMemory& b, uint64_t addr, uint64_t value, unsigned size) {
    Page* pa = a.cached(addr, size);
    const Slot& sb = b.m_slots[slot_of(addr >> kPageBits)];  // the slot a's lookup found
    if (!pa || sb.no != addr >> kPageBits) {
      a.write(addr, value, size);
      return b.write(addr, value, size);
    }
    const uint64_t m = value_mask(size);
    merge(pa, addr, value, m);
    merge(sb.page, addr, value, m);
  }

  void read_bytes(uint64_t addr, uint8_t* out, size_t n) const;
  void write_bytes(uint64_t addr, const uint8_t* in, size_t n);

  // A hash of the contents: equal contents give equal hashes, whatever was allocated when.
  uint64_t hash() const;
  // The lowest address whose byte differs between the two memories, if any.
  std::optional<uint64_t> first_difference(const GuestMemory& other) const;
  bool same_contents(const GuestMemory& other) const { return !first_difference(other); }

  size_t pages() const { return m_pages.size(); }
  void clear();
  // Pages not present are filled from `source` from now on (nullptr: they read 0); drops the
  // pages present. Not owned.
  void set_source(PageSource* source);

  // Contents as a byte stream (non-zero pages in address order), and back: false when the
  // stream is malformed (the memory is then unchanged).
  void save(StateWriter& out) const;
  bool restore(StateReader& in);

 private:
  // A page's bytes, then 7 bytes that are never memory: an access within the page loads and
  // stores 8 bytes at its offset whatever its size, so the tail keeps that inside the block.
  struct Page {
    uint8_t bytes[kPageBytes + 7] = {};
  };
  // Pages recently looked up, direct-mapped by a multiplicative hash of the page number (a
  // descriptor ring and its buffers sit on different pages, and a one-entry cache alternates).
  struct Slot {
    uint64_t no;
    Page* page;
  };
  static constexpr unsigned kSlotBits = 6;
  static constexpr uint64_t kNoPage = ~uint64_t(0);  // page numbers have kPageBits fewer bits

  static unsigned slot_of(uint64_t page_no) {
    return static_cast<unsigned>((page_no * 0x9E3779B97F4A7C15ULL) >> (64 - kSlotBits));
  }
  static uint64_t value_mask(unsigned size) { return ~uint64_t(0) >> (64 - 8 * size); }
  // The page of an access of a legal size within one page, when the cache knows it.
  Page* cached(uint64_t addr, unsigned size) const {
    if (!kLittleEndianHost || size - 1u >= 8u || (addr & (kPageBytes - 1)) + size > kPageBytes) return nullptr;
    const Slot& s = m_slots[slot_of(addr >> kPageBits)];
    return s.no == addr >> kPageBits ? s.page : nullptr;
  }
  static uint64_t load(const Page* p, uint64_t addr) {
    uint64_t v;
    std::memcpy(&v, p->bytes + (addr & (kPageBytes - 1)), 8);
    return v;
  }
  static void store(Page* p, uint64_t addr, uint64_t v) { std::memcpy(p->bytes + (addr & (kPageBytes - 1)), &v, 8); }
  // The bytes of `value` that `m` selects, written over the page's.
  static void merge(Page* p, uint64_t addr, uint64_t value, uint64_t m) {
    store(p, addr, (load(p, addr) & ~m) | (value & m));
  }
  static constexpr bool kLittleEndianHost = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

  uint64_t read_slow(uint64_t addr, unsigned size) const;
  void write_slow(uint64_t addr, uint64_t value, unsigned size);
  const Page* find(uint64_t page_no) const;
  Page& obtain(uint64_t page_no);
  uint8_t byte(uint64_t addr) const;
  Page* fill(uint64_t page_no) const;
  void forget_pages() const;

  // Mutable: with a source, a read fills the page it touches (the memory is then a cache).
  mutable std::unordered_map<uint64_t, std::unique_ptr<Page>> m_pages;
  PageSource* m_source = nullptr;
  mutable Slot m_slots[1u << kSlotBits];
};

// One access of a bus-master port to guest memory, as both sides record it. The stream of
// these (address, size, direction, data) is what lockstep compares; the cycle is reported.
struct DmaAccess {
  Cycle cycle = 0;  // the edge the memory took the access at
  uint64_t addr = 0;
  uint64_t data = 0;  // the value written, or the value read: `size` bytes at lane 0
  uint8_t size = 0;   // bytes: 1, 2, 4 or 8
  bool write = false;
};

// "write 8 bytes at 0x10020 = 0x100000001 (edge 5012)".
std::string format_dma_access(const DmaAccess& a);

// The model's bus-master port: a DmaPort over the model's own guest memory that records each
// access like the RTL side's port does.
class MemoryPort final : public DmaPort {
 public:
  MemoryPort(GuestMemory& memory, unsigned latency, bool record)
      : m_memory(memory), m_latency(latency), m_record(record) {}

  uint64_t read(uint64_t addr, unsigned size, Cycle at) override;
  void write(uint64_t addr, uint64_t value, unsigned size, Cycle at) override;
  unsigned latency() const override { return m_latency; }

  std::vector<DmaAccess>& log() { return m_log; }
  const std::vector<DmaAccess>& log() const { return m_log; }

  // Lockstep's expectation: while log() is empty, an access equal to the RTL's at the same
  // position of `rtl_log` (cycle included when `cycles`) is only counted, not recorded; the
  // first one that differs or that the RTL has not made yet, and every one after it, is
  // recorded as before. Null: record everything. Resets the count.
  void expect(const std::vector<DmaAccess>* rtl_log, bool cycles) {
    m_expected = rtl_log;
    m_cycle_mask = cycles ? ~Cycle(0) : 0;
    m_matched = 0;
  }
  // How many accesses matched since the last call: the first that many of the RTL's log, to
  // be retired from it.
  size_t take_matched() { return std::exchange(m_matched, 0); }
  size_t matched() const { return m_matched; }

 private:
  // read() and write() when recording, out of line: the model alone records nothing, and
  // the recording inlined would give read() and write() a frame.
  uint64_t read_recorded(uint64_t addr, unsigned size, Cycle at);
  void write_recorded(uint64_t addr, uint64_t value, unsigned size, Cycle at);
  // Their paths with a call (the memory's slow path, an access recorded in the log), apart:
  // the common path (a cached page, an access the RTL's log expects) then calls nothing and
  // saves no registers.
  uint64_t read_slow_recorded(uint64_t addr, unsigned size, Cycle at);
  void write_slow_recorded(uint64_t addr, uint64_t value, unsigned size, Cycle at);
  // Whether the access is the next one of the RTL's log that expect() named (then counted,
  // not recorded). Nearly every access of a lockstep run is: the fields are compared at once,
  // OR-ed differences with one branch, and the access is only built when it is recorded
  // (log_access, out of line), so the matched path needs no frame of its own.
  bool matches(Cycle at, uint64_t addr, uint64_t data, unsigned size, bool write) {
    if (!m_expected || !m_log.empty() || m_matched >= m_expected->size()) return false;
    const DmaAccess& e = (*m_expected)[m_matched];
    const uint64_t diff = (e.addr ^ addr) | (e.data ^ data) | ((e.cycle ^ at) & m_cycle_mask) |
                          (e.size ^ static_cast<uint8_t>(size)) | (uint64_t(e.write) ^ uint64_t(write));
    if (diff != 0) return false;
    ++m_matched;
    return true;
  }
  uint64_t log_access(Cycle at, uint64_t addr, uint64_t data, unsigned size, bool write);  // returns data

  GuestMemory& m_memory;
  unsigned m_latency;
  bool m_record;
  Cycle m_cycle_mask = 0;  // all ones: the cycle of an access is compared too (expect's `cycles`)
  const std::vector<DmaAccess>* m_expected = nullptr;
  size_t m_matched = 0;
  std::vector<DmaAccess> m_log;
};

}  // namespace tandem
