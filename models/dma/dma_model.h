// Functional model of dma (rtl/dma/dma.sv): a descriptor-chain DMA engine. Time is lazy: the
// model keeps the one access in flight on its master port and the edges it is taken and
// completes at, and does the work of each when it is brought up to that edge.
#pragma once

#include <cstdint>
#include <string>

#include <tandem/device.h>
#include <tandem/word_registers.h>
#include <tandem_regs/dma.hpp>  // generated from devices/dma/dma.rdl

namespace tandem {
struct LockstepFastPath;  // tandem/binding.h
}

namespace models {

class DmaModel : public tandem::Device {
 public:
  // Byte offsets and bits of the registers: the generated names of devices/dma/dma.rdl.
  enum Offset : uint64_t {
    ID = tandem_regs::dma::ID,
    CTRL = tandem_regs::dma::CTRL,
    STATUS = tandem_regs::dma::STATUS,
    IRQ_ENABLE = tandem_regs::dma::IRQ_ENABLE,
    DESC_LO = tandem_regs::dma::DESC_LO,
    DESC_HI = tandem_regs::dma::DESC_HI,
    MAX_DESC = tandem_regs::dma::MAX_DESC,
    CUR_LO = tandem_regs::dma::CUR_LO,
    CUR_HI = tandem_regs::dma::CUR_HI,
  };
  static constexpr uint32_t kId = tandem_regs::dma::ID_RESET;
  static constexpr uint32_t kStart = tandem_regs::dma::CTRL_START_MASK, kAbort = tandem_regs::dma::CTRL_ABORT_MASK;
  static constexpr uint32_t kDone = tandem_regs::dma::STATUS_DONE_MASK, kError = tandem_regs::dma::STATUS_ERROR_MASK,
                            kAborted = tandem_regs::dma::STATUS_ABORTED_MASK,
                            kStartErr = tandem_regs::dma::STATUS_START_ERR_MASK;
  static constexpr uint32_t kBusy = tandem_regs::dma::STATUS_BUSY_MASK;
  static constexpr unsigned kErrCodeShift = tandem_regs::dma::STATUS_ERR_CODE_LSB;
  enum ErrCode : uint32_t { kNoError = 0, kLength = 1, kBudget = 2, kAlign = 3 };
  // Descriptor layout in guest memory.
  static constexpr uint64_t kSrc = 0x00, kDst = 0x08, kLen = 0x10, kFlags = 0x14, kNext = 0x18, kResult = 0x20;
  static constexpr uint32_t kIoc = 1u << 0, kLast = 1u << 1;
  static constexpr uint32_t kMaxLen = 4096;
  static constexpr uint32_t kMaxDescReset = tandem_regs::dma::MAX_DESC_COUNT_RESET;

  void reset(tandem::Cycle now) override;
  tandem::BusResponse read(uint64_t offset, unsigned size, tandem::Cycle now) override;
  tandem::BusResponse write(uint64_t offset, uint64_t value, unsigned size, tandem::Cycle now) override;
  void advance(tandem::Cycle now) override { catch_up(now); }
  tandem::Cycle next_event(tandem::Cycle) const override { return m_next_edge; }
  tandem::Cycle next_irq_event(tandem::Cycle) const override;
  bool irq_events_apart() const override { return true; }
  uint32_t irq() const override;
  // Lockstep's step path over this class (tandem/lockstep_fast.h), for the binding.
  static tandem::LockstepFastPath lockstep_fast_path();
  void attach_dma(tandem::DmaPort* port) override {
    m_port = port;
    m_memory = port ? port : &no_memory();
    m_latency = port ? port->latency() : 0;
  }
  void save(tandem::StateWriter& out) const override;
  std::string restore(tandem::StateReader& in) override;

  // The RESULT word the engine writes back.
  static uint64_t result_done(uint32_t bytes) { return (uint64_t(bytes) << 32) | kDone; }
  static uint64_t result_error(uint32_t code) { return kError | (uint64_t(code) << 4); }
  // log2 of the beat size for a transfer: the natural alignment of SRC, DST and LEN, up to 8.
  static unsigned beat_lsz(uint64_t src, uint64_t dst, uint32_t len);
  // SRC+LEN and DST+LEN within 2^64, LEN at most kMaxLen.
  static bool range_ok(uint64_t src, uint64_t dst, uint32_t len);

 protected:
  enum class Phase : uint8_t { idle, fetch, read, write, result, drain };

  // Hooks the seeded-bug mutants override; the correct model is these defaults.
  virtual bool check_range(uint64_t src, uint64_t dst, uint32_t len) const { return range_ok(src, dst, len); }
  virtual bool honours_abort() const { return true; }
  // Whether the chain ends after the descriptor just written back, given its LAST flag.
  virtual bool ends_chain(bool last) { return last; }
  // Called at an accepted START, and when the data of a fetched descriptor starts to move.
  virtual void on_start() {}
  virtual void on_transfer_start(tandem::Cycle /*at*/) {}

  // The register front end's hooks (tandem/word_registers.h).
  friend struct tandem::WordRegisters<DmaModel>;
  static constexpr unsigned word_bytes() { return 4; }
  static bool mapped(uint64_t word_offset) { return word_offset <= CUR_HI; }  // ID .. CUR_HI, no holes
  uint32_t read_word(uint64_t word_offset, tandem::Cycle) const;
  void write_word(uint64_t word_offset, uint32_t value, uint32_t lanes, tandem::Cycle now);
  // For a read, only the events before `now`: the access ends with catch_up(now), which
  // moves m_now. (An access is never at edge 0: reset takes cycles first.) A write's are run
  // by write_word, which needs them apart from those at `now` only for a W1C or a START/ABORT.
  void catch_up_before(tandem::Cycle now, tandem::Direction dir) {
    if (dir == tandem::Direction::read && __builtin_expect(now > m_next_edge, 0)) run_until(now - 1);
  }
  // Bring the model up to edge `now`: one compare while no port event is due, which is the
  // common case at every access.
  void catch_up(tandem::Cycle now) {
    if (__builtin_expect(now >= m_next_edge, 0)) return run_until(now);
    if (now > m_now) m_now = now;
  }
  void run_until(tandem::Cycle now);  // the port events up to `now`, one by one
  // read() and write() when a port event is due at or before `now`.
  tandem::BusResponse read_due(uint64_t offset, unsigned size, tandem::Cycle now);
  tandem::BusResponse write_due(uint64_t offset, uint64_t value, unsigned size, tandem::Cycle now);

  // The registers as they read, by word index, so that a read is one load and a write one
  // masked merge with no branch on the register: a random register program mispredicts a
  // switch over registers at nearly every access. STATUS holds DONE, ERROR, ABORTED,
  // START_ERR and ERR_CODE; BUSY is the engine's phase (busy()). CUR_LO/HI mirror m_cur.
  static constexpr unsigned kWords = CUR_HI / 4 + 1;
  uint32_t m_regs[kWords] = {kId, 0, 0, 0, 0, 0, kMaxDescReset, 0, 0};
  uint32_t& reg(Offset o) { return m_regs[o / 4]; }
  uint32_t reg(Offset o) const { return m_regs[o / 4]; }
  uint64_t desc() const { return reg(DESC_LO) | uint64_t(reg(DESC_HI)) << 32; }
  uint32_t max_desc() const { return reg(MAX_DESC); }
  uint32_t err_code() const { return (reg(STATUS) & kErrCodeMask) >> kErrCodeShift; }
  bool flag(uint32_t bit) const { return (reg(STATUS) & bit) != 0; }
  void set_cur(uint64_t cur) {
    m_cur = cur;
    reg(CUR_LO) = static_cast<uint32_t>(cur);
    reg(CUR_HI) = static_cast<uint32_t>(cur >> 32);
  }
  static constexpr uint32_t kErrCodeMask = tandem_regs::dma::STATUS_ERR_CODE_MASK;
  static constexpr uint32_t kW1c = kDone | kError | kAborted | kStartErr;

  bool busy() const { return m_phase != Phase::idle; }
  void take();                      // the memory takes the request, at m_take_at
  void complete(tandem::Cycle at);  // the access in flight completes at `at`
  void complete_fetch(tandem::Cycle at);
  void complete_result(tandem::Cycle at);
  void request(tandem::Cycle at, bool write, uint64_t addr, unsigned lsz, uint64_t wdata = 0);
  void request_result(tandem::Cycle at, uint64_t value, bool error);
  void finish() {
    m_phase = Phase::idle;
    m_next_edge = tandem::kNever;
  }
  void fail(uint32_t code) {
    reg(STATUS) = (reg(STATUS) & ~kErrCodeMask) | kError | (code << kErrCodeShift);
    finish();
  }
  void start(tandem::Cycle at);
  void abort(tandem::Cycle at);
  void control(uint32_t ctrl, bool was_busy, tandem::Cycle now);  // a CTRL write with START or ABORT

  tandem::DmaPort* m_port = nullptr;
  // m_port, or without one a memory that reads zero and drops writes: what take() uses. It is
  // defined in its own file, so that the compiler does not guess its type at every access.
  static tandem::DmaPort& no_memory();
  tandem::DmaPort* m_memory = &no_memory();
  unsigned m_latency = 0;  // m_port's (DmaPort::latency), asked once at attach_dma
  tandem::Cycle m_now = 0;

  // The engine: the copy of the descriptor being processed, and where it is.
  Phase m_phase = Phase::idle;
  unsigned m_word = 0;  // descriptor word being fetched
  uint64_t m_cur = 0;   // the descriptor's address (CUR)
  uint64_t m_src = 0, m_dst = 0, m_next = 0;
  uint32_t m_len = 0, m_flags = 0;
  uint32_t m_offset = 0;  // bytes moved
  unsigned m_lsz = 0;     // log2 of the beat size
  bool m_result_error = false;
  uint32_t m_count = 0;  // descriptors fetched since START

  // The access in flight on the master port.
  bool m_req_write = false;
  uint64_t m_req_addr = 0, m_req_wdata = 0;
  unsigned m_req_lsz = 0;
  bool m_taken = false;  // the memory has taken it (at m_take_at)
  tandem::Cycle m_take_at = 0, m_done_at = 0;
  uint64_t m_rdata = 0;           // a read's data, from the edge it was taken
  tandem::Cycle m_port_free = 0;  // first edge the memory takes a new request
  // The next edge the port does something: m_take_at until the request is taken, then
  // m_done_at; kNever while idle. next_event() and catch_up() read only this.
  tandem::Cycle m_next_edge = tandem::kNever;
};

}  // namespace models
