// The bus-master port: how a verilated top reaches guest memory, and the bridge's server of it.
//
// A top that has all of these ports (exact names) is served every cycle, from the RTL side's
// GuestMemory, by the Verilator harness (verilated_harness.h) under any bus; a top without them pays nothing.
//
//   output        m_valid    a request is presented
//   output        m_write    1 write, 0 read
//   output [63:0] m_addr     byte address (alignment is not required; wraps modulo 2^64)
//   output [1:0]  m_size     log2 of the byte count: 0 = 1, 1 = 2, 2 = 4, 3 = 8
//   output [63:0] m_wdata    write data: the low 2^m_size bytes (lane 0, little-endian)
//   input         m_ready    the memory takes the request presented at this edge
//   input         m_rvalid   read data is on m_rdata at this edge (exactly one edge per read)
//   input  [63:0] m_rdata    read data at lane 0, upper bytes zero
//
// Rules (L = RtlOptions::mem_latency; edges numbered as RtlTarget::now() counts them):
//   * An access is taken at an edge where m_valid and m_ready are both high. Until then the
//     master may change or withdraw its request. m_ready never depends on m_valid.
//   * The memory is read or written at the edge A it takes the access: a write is complete
//     there; a read returns the memory's content at A, presented with m_rvalid high for edge
//     A+1+L only.
//   * One access at a time: after a read taken at A, m_ready is low until edge A+2+L; after a
//     write, until A+1+L. With L = 0 writes can go every edge, reads every other edge.
//   * A guest-memory write step applied while the RTL stands at edge N is seen by accesses
//     taken at N+1 and later (and not by earlier ones, whatever their data latency).
//   * While reset is active nothing is taken; a reset also drops a read whose data is still due.
//   * Every access taken is appended to RtlTarget::dma_log() (DmaAccess), in edge order.
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "tandem/device.h"
#include "tandem/guest_memory.h"

namespace tandem {

namespace detail {
template <class T, class = void>
struct has_master_port : std::false_type {};
template <class T>
struct has_master_port<T, std::void_t<decltype(std::declval<T&>().m_valid), decltype(std::declval<T&>().m_write),
                                      decltype(std::declval<T&>().m_addr), decltype(std::declval<T&>().m_size),
                                      decltype(std::declval<T&>().m_wdata), decltype(std::declval<T&>().m_ready),
                                      decltype(std::declval<T&>().m_rvalid), decltype(std::declval<T&>().m_rdata)>>
    : std::true_type {};
}  // namespace detail

// The memory side of the port. The harness calls drive() with the clock low before each
// rising edge, evaluates the top, then calls take() for the same edge.
class MasterPortServer {
 public:
  explicit MasterPortServer(unsigned latency) : m_latency(latency) {}

  void reset() {
    m_free_at = 0;
    m_data_at = kNever;
    m_data = 0;
  }

  // All inputs low: the state before the first edge.
  template <class Top>
  static void quiet(Top& top) {
    top.m_ready = 0;
    top.m_rvalid = 0;
    top.m_rdata = 0;
  }

  template <class Top>
  void drive(Top& top, Cycle edge, bool in_reset) const {
    top.m_ready = !in_reset && edge >= m_free_at;
    top.m_rvalid = edge == m_data_at;
    top.m_rdata = edge == m_data_at ? m_data : 0;
  }

  template <class Top>
  void take(Top& top, Cycle edge, bool in_reset, GuestMemory& memory, std::vector<DmaAccess>& log) {
    if (in_reset || edge < m_free_at || !top.m_valid) return;
    DmaAccess a;
    a.cycle = edge;
    a.addr = static_cast<uint64_t>(top.m_addr);
    a.size = static_cast<uint8_t>(1u << (static_cast<unsigned>(top.m_size) & 3u));
    a.write = top.m_write;
    if (a.write) {
      a.data = static_cast<uint64_t>(top.m_wdata) & size_mask(a.size);
      memory.write(a.addr, a.data, a.size);
      m_free_at = edge + 1 + m_latency;
    } else {
      a.data = memory.read(a.addr, a.size);
      m_data = a.data;
      m_data_at = edge + 1 + m_latency;
      m_free_at = edge + 2 + m_latency;
    }
    log.push_back(a);
  }

  void save(StateWriter& out) const {
    out.u64(m_free_at);
    out.u64(m_data_at);
    out.u64(m_data);
  }
  bool restore(StateReader& in) { return in.u64(m_free_at) && in.u64(m_data_at) && in.u64(m_data); }

 private:
  unsigned m_latency;
  Cycle m_free_at = 0;       // first edge a request can be taken at
  Cycle m_data_at = kNever;  // edge the pending read's data is presented for
  uint64_t m_data = 0;
};

}  // namespace tandem
