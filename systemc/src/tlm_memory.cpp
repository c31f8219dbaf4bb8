// Guest memory through the DMA socket: single transfers, the per-step page cache, its write-back.
#include "tlm_memory.h"

#include <cstring>

#include <fmt/format.h>

namespace tandem {

namespace {
// TLM data arrays hold bytes in address order on a little-endian host; guest memory values are
// little-endian: a value's bytes are its memory image.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the TLM target assumes a little-endian host");
}  // namespace

TlmMemoryBridge::TlmMemoryBridge(DmaSocketPort& socket, std::function<sc_core::sc_time(Cycle)> time_of,
                                 std::string owner)
    : m_socket(socket), m_time_of(std::move(time_of)), m_owner(std::move(owner)) {}

void TlmMemoryBridge::failed(bool write, uint64_t addr, unsigned len, const char* why) {
  if (m_errors++ == 0)
    SC_REPORT_WARNING("tandem/dma", fmt::format("{}: DMA {} of {} bytes at {:#x}: {} (reads 0, writes dropped; "
                                                "further failures are only counted)",
                                                m_owner, write ? "write" : "read", len, addr, why)
                                        .c_str());
}

bool TlmMemoryBridge::transfer(bool write, uint64_t addr, uint8_t* data, unsigned len, Cycle at) {
  if (m_socket.size() == 0) {
    failed(write, addr, len, "the target's dma_socket is not bound");
    return false;
  }
  tlm::tlm_generic_payload t;
  t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  t.set_address(addr);
  t.set_data_ptr(data);
  t.set_data_length(len);
  t.set_streaming_width(len);
  t.set_byte_enable_ptr(nullptr);
  t.set_dmi_allowed(false);
  t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  const sc_core::sc_time when = m_time_of(at), now = sc_core::sc_time_stamp();
  sc_core::sc_time delay = when > now ? when - now : sc_core::SC_ZERO_TIME;
  m_socket->b_transport(t, delay);
  if (t.is_response_ok()) return true;
  failed(write, addr, len, t.get_response_string().c_str());
  return false;
}

bool TlmMemoryBridge::debug_read(uint64_t addr, uint8_t* data, unsigned len) {
  if (m_socket.size() == 0) return false;
  tlm::tlm_generic_payload t;
  t.set_command(tlm::TLM_READ_COMMAND);
  t.set_address(addr);
  t.set_data_ptr(data);
  t.set_data_length(len);
  return m_socket->transport_dbg(t) == len;
}

void TlmMemoryBridge::fill(uint64_t base, uint8_t* bytes, size_t n) {
  auto it = m_fetched.find(base);
  if (it == m_fetched.end()) {
    it = m_fetched.emplace(base, std::array<uint8_t, GuestMemory::kPageBytes>{}).first;
    if (!transfer(false, base, it->second.data(), static_cast<unsigned>(n), m_step_at)) it->second.fill(0);
    if (on_fill) on_fill(base, it->second.data(), n);
  }
  std::memcpy(bytes, it->second.data(), n);
}

void TlmMemoryBridge::end_step(GuestMemory& reference, std::initializer_list<GuestMemory*> caches, Cycle at) {
  if (m_fetched.empty()) return;
  std::array<uint8_t, GuestMemory::kPageBytes> now{};
  for (auto& [base, before] : m_fetched) {
    reference.read_bytes(base, now.data(), now.size());
    size_t i = 0;
    bool changed = false;
    while (i < now.size()) {
      if (now[i] == before[i]) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < now.size() && now[j] != before[j]) ++j;
      transfer(true, base + i, now.data() + i, static_cast<unsigned>(j - i), at);
      changed = true;
      i = j;
    }
    if (changed && on_write_back) on_write_back(base, now.data(), now.size());
  }
  m_fetched.clear();
  for (GuestMemory* m : caches) m->clear();
}

uint64_t TlmDmaPort::read(uint64_t addr, unsigned size, Cycle at) {
  uint8_t bytes[8] = {};
  m_bridge.transfer(false, addr, bytes, size, at);
  uint64_t v = 0;
  std::memcpy(&v, bytes, size);
  return v;
}

void TlmDmaPort::write(uint64_t addr, uint64_t value, unsigned size, Cycle at) {
  uint8_t bytes[8];
  std::memcpy(bytes, &value, 8);
  m_bridge.transfer(true, addr, bytes, size, at);
}

uint64_t PeekDmaPort::read(uint64_t addr, unsigned size, Cycle) {
  uint8_t bytes[8] = {};
  if (m_bridge && !m_bridge->debug_read(addr, bytes, size)) return 0;
  uint64_t v = 0;
  std::memcpy(&v, bytes, size);
  return v;
}

}  // namespace tandem
