// A register field's software access semantics: the (sw, onread, onwrite) triple of SystemRDL,
// the named policy it classifies into, and the pure function that applies one bus access.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tandem {

// What software may do with a field (SystemRDL `sw`). rw1/w1 accept one write after reset.
enum class SwAccess : uint8_t { rw, r, w, rw1, w1, na };
// Side effect of a read (SystemRDL `onread`).
enum class OnRead : uint8_t { none, rclr, rset };
// How written data combines with the current value (SystemRDL `onwrite`).
enum class OnWrite : uint8_t { none, woset, woclr, wot, wzs, wzc, wzt, wclr, wset };

struct AccessTriple {
  SwAccess sw = SwAccess::rw;
  OnRead onread = OnRead::none;
  OnWrite onwrite = OnWrite::none;

  bool operator==(const AccessTriple& o) const { return sw == o.sw && onread == o.onread && onwrite == o.onwrite; }
  bool operator!=(const AccessTriple& o) const { return !(*this == o); }
};

// The access policies tandem models exactly (the UVM names). Every legal triple is exactly one.
enum class AccessPolicy : uint8_t {
  rw,
  ro,
  wo,  // plain
  rc,
  rs,  // read-only, read clears / sets
  wrc,
  wrs,  // read-write, read clears / sets
  wc,
  ws,  // any write clears / sets
  wsrc,
  wcrs,  // any write sets, read clears / any write clears, read sets
  w1c,
  w1s,
  w1t,  // write 1 to clear / set / toggle
  w0c,
  w0s,
  w0t,  // write 0 to clear / set / toggle
  w1src,
  w1crs,  // write 1 sets, read clears / write 1 clears, read sets
  w0src,
  w0crs,  // write 0 sets, read clears / write 0 clears, read sets
  w1,     // write-once, not readable (sw = w1)
  rw1,    // write-once, readable (sw = rw1)
};

// The policy of `t`, or nullopt for a combination tandem does not model (sw=na, sw=w with an
// onwrite side effect, onread on a field software cannot read, onwrite on sw=r, ...).
std::optional<AccessPolicy> classify(const AccessTriple& t);
// The canonical triple of `p` (classify(triple_of(p)) == p).
AccessTriple triple_of(AccessPolicy p);

const char* policy_name(AccessPolicy p);  // "W1C"
const char* sw_name(SwAccess s);          // "rw"
const char* onread_name(OnRead r);        // "rclr", "" for none
const char* onwrite_name(OnWrite w);      // "woclr", "" for none
// "sw=rw onwrite=woclr": a triple as a message prints it.
std::string describe(const AccessTriple& t);

bool readable(AccessPolicy p);  // a read returns the field's value (else 0)
bool writable(AccessPolicy p);  // some write can change the field's value

// The state of one field: its value, and for write-once fields whether the one write was taken.
struct FieldState {
  uint64_t value = 0;
  bool written = false;

  bool operator==(const FieldState& o) const { return value == o.value && written == o.written; }
};

struct FieldAccess {
  FieldState next;    // the field after the access
  uint64_t read = 0;  // a read's data (the value before the read's side effect); 0 for writes
};

// One read of a field of `width` bits (1..64) with policy `p` in state `s`.
FieldAccess field_read(AccessPolicy p, FieldState s, unsigned width);
// One write of `data` (bits above `width` are ignored).
FieldAccess field_write(AccessPolicy p, FieldState s, uint64_t data, unsigned width);

}  // namespace tandem
