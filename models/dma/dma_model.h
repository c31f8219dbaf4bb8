// Functional model of dma (rtl/dma/dma.sv): a descriptor-chain DMA engine. Time is lazy: the
// model keeps the one access in flight on its master port and the edges it is taken and
// completes at, and does the work of each when it is brought up to that edge.
#pragma once

#include <cstdint>
#include <string>

#include <tandem/device.h>
#include <tandem/word_registers.h>
#include <tandem_regs/dma.hpp>  // generated from devices/dma/dma.rdl

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
  tandem::Cycle next_event(tandem::Cycle now) const override;
  uint32_t irq() const override;
  void attach_dma(tandem::DmaPort* port) override { m_port = port; }
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
  static bool mapped(uint64_t word_offset);
  uint32_t read_word(uint64_t word_offset, tandem::Cycle) const;
  void write_word(uint64_t word_offset, uint32_t value, uint32_t lanes, tandem::Cycle now);
  void catch_up_before(tandem::Cycle now, tandem::Direction) { catch_up(now - 1); }

  uint32_t status() const;
  bool busy() const { return m_phase != Phase::idle; }
  void catch_up(tandem::Cycle now);
  void take();                      // the memory takes the request, at m_take_at
  void complete(tandem::Cycle at);  // the access in flight completes at `at`
  void request(tandem::Cycle at, bool write, uint64_t addr, unsigned lsz, uint64_t wdata = 0);
  void request_result(tandem::Cycle at, uint64_t value, bool error);
  void finish() { m_phase = Phase::idle; }
  void fail(uint32_t code) {
    m_error = true;
    m_err_code = code;
    finish();
  }
  void start(tandem::Cycle at);
  void abort(tandem::Cycle at);
  unsigned latency() const { return m_port ? m_port->latency() : 0; }

  tandem::DmaPort* m_port = nullptr;
  tandem::Cycle m_now = 0;

  // Registers.
  uint64_t m_desc = 0, m_cur = 0;
  uint32_t m_max_desc = kMaxDescReset, m_irq_en = 0, m_err_code = 0;
  bool m_done = false, m_error = false, m_aborted = false, m_start_err = false;

  // The engine: the copy of the descriptor being processed, and where it is.
  Phase m_phase = Phase::idle;
  unsigned m_word = 0;  // descriptor word being fetched
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
};

}  // namespace models
