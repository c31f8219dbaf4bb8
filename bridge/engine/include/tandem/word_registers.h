// The register front end every model whose registers are bus words shares: which word an
// access means, whether it is mapped, the byte lanes of a narrow access, and where the access
// falls against the clock edge it completes at.
#pragma once

#include <cstdint>
#include <type_traits>

#include "tandem/device.h"

namespace tandem {

// Which way an access goes (Model::catch_up_before is told).
enum class Direction : uint8_t { read, write };

// A model's read() and write() are one line each:
//
//   BusResponse MyModel::read(uint64_t offset, unsigned size, Cycle now) {
//     return WordRegisters<MyModel>::read(*this, offset, size, now);
//   }
//
// and the model keeps only what is its device's own, as members (declare
// `friend struct tandem::WordRegisters<MyModel>;` when they are not public):
//
//   word_bytes()                 the register width in bytes: 1, 2, 4 or 8, the bus width or
//                                less; a constexpr static for a fixed block (then every lane
//                                computation folds to constants)
//   mapped(word)                 whether the word at byte offset `word` (the access's offset
//                                with its lane bits cleared: the register names of a generated
//                                map are byte offsets) is a register; offsets beyond the block
//                                are not. An unmapped access answers the bus error, reads 0,
//                                and changes nothing
//   read_word(word, now)         the register as it stands before edge `now`, with any effect
//                                the read has at `now` (a pop, a clear on read); either the
//                                word, or a BusResponse for a register that answers with an
//                                error
//   write_word(word, value, lanes, now)
//                                the write: `value` and `lanes` (the written bytes' mask) at
//                                the word's own bit positions, so a register whose bits are all
//                                written is `(old & ~lanes) | (value & lanes)`; returns void,
//                                or bool: true for an error response
//   catch_up_before(now, dir)    the state the access sees: for a read, the model brought up
//                                to `now - 1`; for a write, `now - 1`, or `now` when the
//                                device applies its own events at an edge before a write there
//                                (a model may skip it when nothing is due before `now`)
//   catch_up(now)                the model brought up to `now`; after a write it applies what
//                                of edge `now` write_word did not (write_word may apply parts
//                                of it itself, in the order its device needs)
//
// Everything is resolved at compile time and inlined into the model's read()/write(): a model
// runs alone at tens of millions of accesses a second, so the front end may cost nothing over
// the code each model used to repeat.
template <class Model>
struct WordRegisters {
  static BusResponse read(Model& m, uint64_t offset, unsigned size, Cycle now) {
    m.catch_up_before(now, Direction::read);
    const unsigned bytes = m.word_bytes();
    const uint64_t word = offset & ~uint64_t(bytes - 1);
    BusResponse r;
    if (__builtin_expect(m.mapped(word), 1)) {
      using Answer = decltype(m.read_word(word, now));
      if constexpr (std::is_same_v<Answer, BusResponse>) {
        r = m.read_word(word, now);
        r.data = lane_extract(r.data, offset, size, bytes);
      } else {
        r.data = lane_extract(m.read_word(word, now), offset, size, bytes);
      }
    } else {
      r.error = true;
    }
    m.catch_up(now);
    return r;
  }

  static BusResponse write(Model& m, uint64_t offset, uint64_t value, unsigned size, Cycle now) {
    m.catch_up_before(now, Direction::write);
    const unsigned bytes = m.word_bytes();
    const uint64_t word = offset & ~uint64_t(bytes - 1);
    BusResponse r;
    if (__builtin_expect(m.mapped(word), 1)) {
      const uint64_t lanes = lane_mask(offset, size, bytes);
      const uint64_t placed = value << lane_shift(offset, bytes);
      using Answer = decltype(m.write_word(word, placed, lanes, now));
      if constexpr (std::is_same_v<Answer, void>) {
        m.write_word(word, placed, lanes, now);
      } else {
        r.error = m.write_word(word, placed, lanes, now);
      }
    } else {
      r.error = true;
    }
    m.catch_up(now);
    return r;
  }
};

}  // namespace tandem
