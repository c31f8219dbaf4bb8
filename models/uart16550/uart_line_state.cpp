// The serial-line state's byte-stream form (uart_line_state.h).
#include "uart_line_state.h"

namespace models::uart {

void put_frames(tandem::StateWriter& out, const FrameLine& line) {
  out.u32(static_cast<uint32_t>(line.frames().size()));
  for (const Frame& f : line.frames()) {
    out.u64(f.start);
    out.u64(f.bit_len);
    out.u64(f.stop_len);
    out.u8(f.nbits);
    out.u32(f.bits);
    out.u8(f.stop_level);
  }
}

void put_sampler(tandem::StateWriter& out, const Sampler& s) {
  out.u8(static_cast<uint8_t>(s.state()));
  out.u64(s.origin());
  out.u64(s.detect());
  out.u8(s.format().lcr);
  out.u64(s.bit_len());
}

bool valid_length(Cycle len, unsigned ticks) { return len % ticks == 0 && len / ticks >= 1 && len / ticks <= 65536; }

bool get_frames(Reader& r, FrameLine& line, Cycle now, const char* what, uint32_t limit) {
  uint32_t n = 0;
  if (!r.u32(n, what)) return false;
  if (n > limit) return r.fail(std::string(what) + ": too many frames");
  Cycle last_end = 0;
  for (uint32_t i = 0; i < n; ++i) {
    Frame f;
    uint32_t bits = 0;
    if (!r.u64(f.start, what) || !r.u64(f.bit_len, what) || !r.u64(f.stop_len, what) || !r.u8(f.nbits, what) ||
        !r.u32(bits, what) || !r.flag(f.stop_level, what))
      return false;
    if (!valid_length(f.bit_len, 16)) return r.fail(std::string(what) + ": bit length is not 16 x divisor");
    const Cycle div = f.bit_len / 16;
    if (f.stop_len != 16 * div && f.stop_len != 24 * div && f.stop_len != 32 * div)
      return r.fail(std::string(what) + ": stop length is not 16, 24 or 32 x divisor");
    if (f.nbits < 5 || f.nbits > 9) return r.fail(std::string(what) + ": bits per frame out of range (5..9)");
    if (bits >> f.nbits) return r.fail(std::string(what) + ": frame bits beyond its length");
    if (f.start > now) return r.fail(std::string(what) + ": frame starts after the saved cycle");
    if (f.start < last_end) return r.fail(std::string(what) + ": frames overlap or are out of order");
    f.bits = static_cast<uint16_t>(bits);
    last_end = f.end();
    line.add(f);
  }
  return true;
}

bool get_sampler(Reader& r, Sampler& s, Cycle now, const char* what) {
  uint8_t state = 0, fmt = 0;
  Cycle origin = 0, detect = 0, bit_len = 0;
  if (!r.u8(state, what) || !r.u64(origin, what) || !r.u64(detect, what) || !r.u8(fmt, what) || !r.u64(bit_len, what))
    return false;
  if (state > static_cast<uint8_t>(Sampler::State::receiving)) return r.fail(std::string(what) + ": no such state");
  if (fmt > 0x3f) return r.fail(std::string(what) + ": format beyond LCR[5:0]");
  if (!valid_length(bit_len, 16)) return r.fail(std::string(what) + ": bit length is not 16 x divisor");
  if (origin > now) return r.fail(std::string(what) + ": origin after the saved cycle");
  const auto st = static_cast<Sampler::State>(state);
  if ((st == Sampler::State::start_check || st == Sampler::State::receiving) && (detect > now || detect == 0))
    return r.fail(std::string(what) + ": detection edge out of range");
  s.load(st, origin, detect, Format{fmt}, bit_len);
  return true;
}

}  // namespace models::uart
