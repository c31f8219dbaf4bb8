// The serial-line pieces' state (uart_line.h) as a byte stream, shared by the uart16550 model and
// the line models beside it: writers, and readers that treat the stream as untrusted (every
// count, format and edge checked, the reason for a refusal kept in a Reader).
#pragma once

#include <string>
#include <type_traits>

#include <tandem/state_stream.h>

#include "uart_line.h"

namespace models::uart {

// Reads with a running "why not" so each field is one line.
struct Reader {
  tandem::StateReader& in;
  std::string why;
  bool u8(uint8_t& v, const char* what) { return ok(in.u8(v), what); }
  bool u32(uint32_t& v, const char* what) { return ok(in.u32(v), what); }
  bool u64(uint64_t& v, const char* what) { return ok(in.u64(v), what); }
  bool flag(bool& v, const char* what) {
    uint8_t b = 0;
    if (!u8(b, what)) return false;
    if (b > 1) return fail(std::string(what) + ": not boolean");
    v = b != 0;
    return true;
  }
  bool ok(bool got, const char* what) { return got || fail(std::string(what) + ": truncated"); }
  bool fail(std::string reason) {
    if (why.empty()) why = std::move(reason);
    return false;
  }
};

void put_frames(tandem::StateWriter& out, const FrameLine& line);
template <class V>
void put_levels(tandem::StateWriter& out, const History<V>& h) {
  out.u8(static_cast<uint8_t>(h.initial()));
  out.u32(static_cast<uint32_t>(h.changes().size()));
  for (const auto& c : h.changes()) {
    out.u64(c.first);
    out.u8(static_cast<uint8_t>(c.second));
  }
}
void put_sampler(tandem::StateWriter& out, const Sampler& s);

// A divisor-derived length: `ticks` times a divisor 1..65536.
bool valid_length(Cycle len, unsigned ticks);
// Each reads what its put_ wrote, refusing edges after `now` and anything the hardware could not
// hold; `what` names the field in the reason.
bool get_frames(Reader& r, FrameLine& line, Cycle now, const char* what, uint32_t limit = 4096);
// A history of at most `limit` changes, each value a flag (bool) or at most `max`.
template <class V>
bool get_levels(Reader& r, History<V>& h, Cycle now, const char* what, uint32_t limit = 4096, V max = V(1)) {
  const auto value = [&](V& v) {
    if constexpr (std::is_same_v<V, bool>) {
      return r.flag(v, what);
    } else {
      if (!r.u8(v, what)) return false;
      return v <= max || r.fail(std::string(what) + ": a value beyond " + std::to_string(max));
    }
  };
  V initial{};
  uint32_t n = 0;
  if (!value(initial) || !r.u32(n, what)) return false;
  if (n > limit) return r.fail(std::string(what) + ": too many changes");
  h.reset(initial);
  V level = initial;
  Cycle last = 0;
  for (uint32_t i = 0; i < n; ++i) {
    Cycle e = 0;
    V v{};
    if (!r.u64(e, what) || !value(v)) return false;
    if (e > now) return r.fail(std::string(what) + ": change after the saved cycle");
    if (i > 0 && e <= last) return r.fail(std::string(what) + ": changes out of order");
    if (v == level) return r.fail(std::string(what) + ": a change to the same level");
    h.changes().emplace_back(e, v);
    level = v;
    last = e;
  }
  return true;
}
bool get_sampler(Reader& r, Sampler& s, Cycle now, const char* what);

}  // namespace models::uart
