// Field-level restore checks of timer, dma and uart16550 (both bus widths): for each field
// restore validates, a crafted state is refused, the reason names the field, and the model
// keeps the state it had. Offsets follow each model's save() layout.
#include <catch2/catch.hpp>

#include <functional>

#include <tandem/stimulus.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {

using Bytes = std::vector<uint8_t>;

uint64_t get(const Bytes& b, size_t at, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) v |= uint64_t(b.at(at + i)) << (8 * i);
  return v;
}
void set(Bytes& b, size_t at, unsigned width, uint64_t v) {
  for (unsigned i = 0; i < width; ++i) b.at(at + i) = uint8_t(v >> (8 * i));
}

Bytes save_of(const Device& d) {
  StateWriter w;
  d.save(w);
  return w.bytes;
}

std::string restore_bytes(Device& model, const Bytes& state) {
  StateReader in(state);
  return model.restore(in);
}

// The first state of a lockstep run (strategy all) that `pick` accepts.
Bytes find_state(const DeviceBinding& b, const std::function<bool(const Bytes&)>& pick, uint64_t seed = 1) {
  std::unique_ptr<Stimulus> stimulus = make_stimulus("all", b, seed);
  Lockstep engine(b);
  for (uint64_t i = 0; i < 20000 && !engine.diverged(); ++i) {
    engine.execute(stimulus->next());
    Bytes s = save_of(engine.model());
    if (pick(s)) return s;
  }
  FAIL("no state of " << b.name << " matches");
  return {};
}

struct FieldCase {
  std::string field;  // what the reason must start with
  std::function<void(Bytes&)> edit;
};

void check_refusals(const DeviceBinding& b, const Bytes& valid, const std::vector<FieldCase>& cases) {
  std::unique_ptr<Device> model = b.make_model();
  REQUIRE(restore_bytes(*model, valid).empty());
  REQUIRE(save_of(*model) == valid);
  for (const FieldCase& c : cases) {
    Bytes crafted = valid;
    c.edit(crafted);
    INFO(b.name << ": case " << c.field);
    REQUIRE(crafted != valid);
    const std::string why = restore_bytes(*model, crafted);
    CHECK_THAT(why, Catch::StartsWith(c.field));
    CHECK(save_of(*model) == valid);  // unchanged
  }
}

}  // namespace

TEST_CASE("timer restore refuses each invalid field and keeps its state", "[restore]") {
  const DeviceBinding& b = test_catalog().get("timer");
  // Layout: version u32, INT_STATUS u32, INT_ENABLE u32, cycle u64, then per timer (30 bytes
  // from 20): enabled u8, periodic u8, prescale u32, compare u32, count u32, base u64, first u64.
  const Bytes valid = find_state(b, [](const Bytes& s) { return get(s, 12, 8) > 1000; });
  const uint64_t now = get(valid, 12, 8);
  constexpr size_t T = 20;
  // clang-format off
  check_refusals(b, valid, {
      {"version:", [](Bytes& s) { set(s, 0, 4, 2); }},
      {"int_status:", [](Bytes& s) { set(s, 4, 4, 0x10); }},
      {"int_enable:", [](Bytes& s) { set(s, 8, 4, 0x100); }},
      {"cycle:", [](Bytes& s) { set(s, 12, 8, uint64_t(1) << 62); }},
      {"timer.enabled:", [](Bytes& s) { set(s, T + 0, 1, 2); }},
      {"timer.periodic:", [](Bytes& s) { set(s, T + 30 + 1, 1, 7); }},
      {"timer.prescale:", [](Bytes& s) { set(s, T + 2, 4, 0x100); }},
      {"timer.first:", [](Bytes& s) { set(s, T + 22, 8, 0); }},
      {"timer.first:", [](Bytes& s) { set(s, T + 60 + 22, 8, 257); }},
      {"timer.base: after", [now](Bytes& s) { set(s, T + 90 + 14, 8, now + 1); }},
      {"timer.base: a match before", [](Bytes& s) {  // running, matched long ago, never applied
         set(s, T + 0, 1, 1);
         set(s, T + 2, 4, 0);
         set(s, T + 6, 4, 1);  // compare 1, count 0: the first tick matches
         set(s, T + 10, 4, 0);
         set(s, T + 14, 8, 0);
         set(s, T + 22, 8, 1);
       }},
      {"timer: truncated", [](Bytes& s) { s.resize(s.size() - 3); }},
      {"header: truncated", [](Bytes& s) { s.resize(10); }},
      {"trailing bytes", [](Bytes& s) { s.push_back(0); }},
  });
  // clang-format on
}

TEST_CASE("dma restore refuses each invalid field and keeps its state", "[restore]") {
  const DeviceBinding& b = test_catalog().get("dma");
  // Layout (models/dma/dma_model.cpp save()): version 0, cycle 4, DESC 12, CUR 20, MAX_DESC 28,
  // IRQ_ENABLE 32, err_code 36, flags done/error/aborted/start_err 40-43, phase 44, word 45,
  // src 49, dst 57, next 65, len 73, flags 77, offset 81, lsz 85, result_error 89, count 90,
  // req_write 94, req_addr 95, req_wdata 103, req_lsz 111, taken 115, take_at 116, done_at 124,
  // rdata 132, port_free 140.
  enum : size_t {
    kNow = 4,
    kCur = 20,
    kMaxDesc = 28,
    kIrqEn = 32,
    kErr = 36,
    kDone = 40,
    kPhase = 44,
    kWord = 45,
    kLen = 73,
    kOffset = 81,
    kLsz = 85,
    kCount = 90,
    kReqWrite = 94,
    kReqLsz = 111,
    kTaken = 115,
    kTakeAt = 116,
    kDoneAt = 124
  };
  // A transfer moving data (phase read or write) with an access taken and still in flight.
  const Bytes moving = find_state(b, [](const Bytes& s) {
    return (s[kPhase] == 2 || s[kPhase] == 3) && s[kTaken] == 1 && get(s, kDoneAt, 8) > get(s, kNow, 8);
  });
  const uint64_t now = get(moving, kNow, 8);
  // clang-format off
  check_refusals(b, moving, {
      {"version:", [](Bytes& s) { set(s, 0, 4, 0); }},
      {"flag:", [](Bytes& s) { s[kDone] = 2; }},
      {"flag:", [](Bytes& s) { s[kTaken] = 0xff; }},
      {"phase: no such state", [](Bytes& s) { s[kPhase] = 6; }},
      {"cycle:", [](Bytes& s) { set(s, kNow, 8, uint64_t(1) << 62); }},
      {"max_desc:", [](Bytes& s) { set(s, kMaxDesc, 4, 0x100); }},
      {"irq_enable:", [](Bytes& s) { set(s, kIrqEn, 4, 0x10); }},
      {"err_code:", [](Bytes& s) { set(s, kErr, 4, 4); }},
      {"word:", [](Bytes& s) { set(s, kWord, 4, 4); }},
      {"beat size:", [](Bytes& s) { set(s, kLsz, 4, 4); }},
      {"beat size:", [](Bytes& s) { set(s, kReqLsz, 4, 9); }},
      {"cur:", [](Bytes& s) { set(s, kCur, 8, get(s, kCur, 8) | 4); }},
      {"count:", [](Bytes& s) { set(s, kCount, 4, 0); }},
      {"count:", [](Bytes& s) { set(s, kCount, 4, 0x100); }},
      {"len:", [](Bytes& s) { set(s, kLen, 4, 0); }},
      {"len:", [](Bytes& s) { set(s, kLen, 4, 4097); }},
      {"beat size: not the transfer's", [](Bytes& s) { set(s, kLsz, 4, (get(s, kLsz, 4) + 1) % 4); }},
      {"offset:", [](Bytes& s) { set(s, kOffset, 4, get(s, kLen, 4)); }},
      {"drain:", [](Bytes& s) {
         s[kPhase] = 5;
         s[kReqWrite] = 1;
       }},
      {"take_at:", [now](Bytes& s) {
         s[kTaken] = 0;
         set(s, kTakeAt, 8, now);
       }},
      {"done_at:", [now](Bytes& s) { set(s, kDoneAt, 8, now); }},
      {"phase: idle with a read in flight", [](Bytes& s) {
         s[kPhase] = 0;
         s[kReqWrite] = 0;
       }},
      {"state: truncated", [](Bytes& s) { s.resize(100); }},
      {"trailing bytes", [](Bytes& s) { s.push_back(1); }},
  });
  // clang-format on
}

namespace {

// uart16550's variable-length tail: where each FIFO count, line and sampler starts.
struct UartLayout {
  size_t tx, rx, tx_line, loop, brk, receiver;
  explicit UartLayout(const Bytes& s) {
    tx = 76;
    rx = tx + 4 + get(s, tx, 4);
    tx_line = rx + 4 + 2 * get(s, rx, 4);
    loop = tx_line + 4 + 30 * get(s, tx_line, 4);
    brk = loop + 5 + 9 * get(s, loop + 1, 4);
    receiver = brk + 5 + 9 * get(s, brk + 1, 4);
  }
};

// Grows the u32 count at `at` to `n`, appending copies of zero-filled `elem`-byte entries.
void grow(Bytes& s, size_t at, unsigned elem, uint32_t n) {
  const uint64_t c = get(s, at, 4);
  s.insert(s.begin() + long(at + 4 + c * elem), size_t(n - c) * elem, uint8_t(0));
  set(s, at, 4, n);
}

void uart_refusals(const DeviceBinding& b) {
  // Fixed prefix (models/uart16550/uart16550_state.cpp save(), version 2): version 0, cycle 4,
  // reset edge 12, LCR 20 DLL 21 DLM 22 SCR 23 IER 24 MCR 25 trigger 26 rbr_last 27 lsr_flags
  // 28 msr_status 29 msr_delta 30, flags 31-34 (fifo_en, thre_int, thre_iir_cleared, cti),
  // edges 35/43/51 (to_base, to_min, msr_at), transmitter 59 (busy, end, load_at), TX FIFO
  // count 76. (The line registers' fields, version 1's harness part, are the line model's
  // state now: tests/uart_window_test.cpp refuses them there.)
  // A state with the transmitter sending a frame and a frame on the line.
  const Bytes valid = find_state(b, [](const Bytes& s) {
    const UartLayout l(s);
    return s[59] == 1 && get(s, l.tx_line, 4) >= 1 && s[31] == 1;
  });
  const uint64_t now = get(valid, 4, 8);
  const UartLayout l(valid);
  // clang-format off
  check_refusals(b, valid, {
      {"version:", [](Bytes& s) { set(s, 0, 4, 9); }},
      {"version:", [](Bytes& s) { set(s, 0, 4, 1); }},  // version 1 carried the harness's registers
      {"cycle:", [](Bytes& s) { set(s, 4, 8, ~uint64_t(0)); }},
      {"reset edge:", [now](Bytes& s) { set(s, 12, 8, now + 1); }},
      {"flags:", [](Bytes& s) { s[33] = 2; }},
      {"ier:", [](Bytes& s) { s[24] = 0x10; }},
      {"mcr:", [](Bytes& s) { s[25] = 0x20; }},
      {"fcr trigger:", [](Bytes& s) { s[26] = 4; }},
      {"lsr flags:", [](Bytes& s) { s[28] = 0x01; }},
      {"msr:", [](Bytes& s) { s[29] = 0x10; }},
      {"msr:", [](Bytes& s) { s[30] = 0x80; }},
      {"thre interrupt:", [](Bytes& s) {
         s[24] &= uint8_t(~0x2);
         s[32] = 1;
       }},
      {"edges:", [now](Bytes& s) { set(s, 35, 8, now + 1); }},
      {"msr update:", [now](Bytes& s) { set(s, 51, 8, now + 7); }},
      {"transmitter: busy with a bad end", [now](Bytes& s) { set(s, 60, 8, now); }},
      {"transmitter: load neither", [now](Bytes& s) {
         s[59] = 0;
         set(s, 68, 8, now + 9);
       }},
      {"tx fifo: more entries", [l](Bytes& s) { grow(s, l.tx, 1, 17); }},
      {"rx fifo: more entries", [l](Bytes& s) { grow(s, l.rx, 2, 17); }},
      {"rx fifo: error bits", [l](Bytes& s) {
         grow(s, l.rx, 2, uint32_t(get(s, l.rx, 4) + 1));
         s[l.rx + 4 + 2 * (get(s, l.rx, 4) - 1) + 1] = 8;
       }},
      {"tx line: bits per frame", [l](Bytes& s) { s[l.tx_line + 4 + 24] = 10; }},
      {"tx line: bit length", [l](Bytes& s) { set(s, l.tx_line + 4 + 8, 8, 15); }},
      {"tx line: frame starts after", [l, now](Bytes& s) { set(s, l.tx_line + 4, 8, now + 1); }},
      {"loopback history: not boolean", [l](Bytes& s) { s[l.loop] = 3; }},
      {"receiver: no such state", [l](Bytes& s) { s[l.receiver] = 4; }},
      {"receiver: format beyond", [l](Bytes& s) { s[l.receiver + 17] = 0x40; }},
      {"receiver: bit length", [l](Bytes& s) { set(s, l.receiver + 18, 8, 0); }},
      {"trailing bytes", [](Bytes& s) { s.push_back(0); }},
  });
  // clang-format on
}

}  // namespace

TEST_CASE("uart16550 restore refuses each invalid field and keeps its state", "[restore]") {
  uart_refusals(test_catalog().get("uart16550"));
}

TEST_CASE("uart16550_w32 restore refuses each invalid field and keeps its state", "[restore]") {
  uart_refusals(test_catalog().get("uart16550_w32"));
}
